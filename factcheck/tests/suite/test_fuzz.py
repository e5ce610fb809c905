"""Fuzzing: Hypothesis drives every form and htmx endpoint with generated input, as a logged-in editor, hundreds
of requests each (over a thousand in all). No answer may be a server error (500 or more), and afterwards the
database must still hold together: quotes match their articles, links are canonical, comments have one target,
every foreign key points to a row.

Each test seeds the demo corpus once; its examples then run one after the other on the same data, so later
requests meet what earlier ones created, changed or deleted. A request that fails with a server error is
recorded with its input and rolled back, so that one failure does not hide the next.
"""

import datetime

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.importing import import_article
from factcheck.models import Article, Claim, ClaimLink, Comment, Source

pytestmark = pytest.mark.django_db

# 200 in the "ci" profile that `make test` and CI run, fewer in `make test-fast` (see conftest.py).
EXAMPLES = settings().max_examples
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the project
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
MINIMUM_TOTAL = 5 * EXAMPLES
SENT = {}  # test name: requests sent, for the total checked last

# Strings that have broken web apps before: digits Python's int() refuses or accepts, huge numbers, SQL and
# LIKE wildcards, markup, NUL and other control characters, lone whitespace of every kind.
AWKWARD = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2028\u2029\u3000",
    "²",
    "١٢",
    "１",
    "𝟙",
    "-1",
    "0",
    "+1",
    " 1 ",
    "1.0",
    "1e3",
    "0x10",
    "9" * 19,
    "9" * 30,
    "9" * 5000,
    "NaN",
    "null",
    "None",
    "true",
    "%",
    "_",
    "%%",
    "\\",
    "'",
    '"',
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% debug %}",
    "army",
    "Maduro",
    "\U0001f600" * 3,
    "e\u0301",
    "\ufeff",
    "\u202e",
]
text = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=20),
    st.builds(lambda part, times: part * times, st.text(min_size=1, max_size=4), st.integers(200, 3000)),
    st.sampled_from(AWKWARD),
)
integers = st.one_of(
    st.integers(-10, 100), st.integers(-(2**70), 2**70), st.sampled_from([2**31, 2**63 - 1, 2**63, -(2**63)])
)
dates = st.one_of(
    st.dates().map(datetime.date.isoformat), st.sampled_from(["2019-02-30", "0000-01-01", "9999-12-31", "1/2/2019"])
)
htmx = st.booleans()


def number_or_junk(real):
    """A real id (or other real value) most often, else any integer or any text."""
    return st.one_of(st.sampled_from(real), integers.map(str), text)


def optional_fields(required=None, **optional):
    """Form data that may leave any field out, as a browser never would but a script can."""
    return st.fixed_dictionaries(required or {}, optional=optional)


class Fuzzer:
    """A client (an editor's, or a visitor's) that counts its requests and records every answer of 500 or more with
    its input."""

    def __init__(self, user, name):
        self.client = Client(raise_request_exception=False)
        if user is not None:
            self.client.force_login(user)
        self.name = name
        self.sent = 0
        self.failures = []

    def send(self, method, url, data=None, *, htmx=False, headers=None, allowed=None):
        """Send one request (inside a savepoint); record it if it fails, or if its status is not among `allowed`."""
        headers = {**(headers or {}), **({"HX-Request": "true"} if htmx else {})}
        with transaction.atomic():
            if method == "GET":
                response = self.client.get(url, data or {}, headers=headers)
            else:
                response = self.client.post(url, data or {}, headers=headers)
            self.sent += 1
            if response.status_code >= 500:
                error = getattr(response, "exc_info", None)
                error = repr(error[1]) if error else ""
                self.failures.append(
                    f"{response.status_code} {error} for {method} {url} {shown(data)} {shown(headers)}"
                )
                # Roll back what the failed request did, so the next one starts from a usable database.
                transaction.set_rollback(True)
            elif allowed and response.status_code not in allowed:
                self.failures.append(f"{response.status_code}, not one of {allowed}, for {method} {url} {shown(data)}")
        return response

    def check(self, minimum):
        """After the examples: no failed request, a consistent database, and as many requests as examples."""
        SENT[self.name] = self.sent
        assert self.failures == [], f"{len(self.failures)} failed requests:\n" + "\n".join(self.failures[:30])
        assert_consistent()
        assert self.sent >= minimum, f"only {self.sent} requests sent"


def shown(values, limit=80):
    """Request data for a failure report: long values cut short, with their length."""
    return {
        name: value if len(str(value)) <= limit else f"{str(value)[:limit]}… ({len(str(value))} characters)"
        for name, value in (values or {}).items()
    }


@pytest.fixture
def fuzzer(seeded, editor, request):
    return Fuzzer(editor, request.node.name)


@pytest.fixture
def corpus(seeded):
    """What the demo corpus holds at the start, as strings the way a form sends them."""
    claims = list(Claim.objects.order_by("pk"))
    return {
        "articles": [str(pk) for pk in Article.objects.values_list("pk", flat=True)],
        "claims": [str(claim.pk) for claim in claims],
        "sources": [str(pk) for pk in Source.objects.values_list("pk", flat=True)],
        "outlets": [str(pk) for pk in Source.objects.filter(kind="outlet").values_list("pk", flat=True)],
        "source_labels": [f"{s.name} ({s.get_kind_display()})" for s in Source.objects.all()]
        + list(Source.objects.values_list("name", flat=True)),
        "source_names": list(Source.objects.values_list("name", flat=True)),
        "bodies": {claim.article_id: claim.article.body for claim in claims},
    }


# Consistency


def assert_consistent():
    """The database holds together, whatever the requests did."""
    with transaction.atomic():
        # Foreign keys the database defers to the end of the transaction (never reached in a test): check now.
        connection.check_constraints()
    for claim in Claim.objects.select_related("article"):
        assert claim.quote, claim.pk
        # Its quote stands at its offsets, or the claim says plainly that it lost its place.
        assert claim.anchor_problem() in (None, "orphaned: its quote is no longer in the article's text"), claim.pk
        assert claim.quote_start is None or claim.quote_end == claim.quote_start + len(claim.quote), claim.pk
        assert claim.statement.strip() == claim.statement and claim.statement, claim.pk
        assert claim.verdict in Claim.Verdict.values, claim.pk
    pairs = set()
    for link in ClaimLink.objects.all():
        assert link.from_claim_id != link.to_claim_id, link.pk
        assert link.kind in ClaimLink.Kind.values, link.pk
        if link.kind in ClaimLink.SYMMETRIC_KINDS:
            assert link.from_claim_id < link.to_claim_id, f"link {link.pk} not in canonical order"
        if link.kind == ClaimLink.Kind.CONTRADICTS:
            assert link.reason.strip(), link.pk
        key = (link.from_claim_id, link.to_claim_id, link.kind)
        assert key not in pairs, f"link {link.pk} twice"
        pairs.add(key)
    for comment in Comment.objects.all():
        assert (comment.claim_id is None) != (comment.link_id is None), f"comment {comment.pk} has not one target"
        assert comment.body.strip(), comment.pk
    names = set()
    for source in Source.objects.all():
        assert source.name and source.kind in Source.Kind.values, source.pk
        assert source.affiliation_id != source.pk, source.pk
        assert (source.name, source.kind) not in names, source.pk
        names.add((source.name, source.kind))
    urls = list(Article.objects.exclude(url="").values_list("url", flat=True))
    assert len(urls) == len(set(urls))
    assert not Article.objects.filter(title="").exists()
    for model in apps.get_app_config("factcheck").get_models():
        if model.__name__.startswith("Historical"):
            continue
        if any(field.name == "version" for field in model._meta.fields):
            assert not model.objects.filter(version__lt=1).exists(), model.__name__
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey):
                target = field.related_model._base_manager.values("pk")
                orphans = model._base_manager.exclude(**{f"{field.attname}__isnull": True})
                orphans = orphans.exclude(**{f"{field.attname}__in": target})
                assert not orphans.exists(), f"{model.__name__}.{field.name} points to missing rows"


def test_the_consistency_check_finds_broken_data(seeded):
    """The check above can fail: on a quote moved off its passage, on a comment on a claim that does not exist
    (the database itself refuses the rest: a link out of order, a comment on nothing)."""
    assert_consistent()
    claim = Claim.objects.first()
    with pytest.raises(AssertionError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(quote_start=claim.quote_start + 1)
        assert_consistent()
    with pytest.raises((AssertionError, IntegrityError)), transaction.atomic():
        Comment.objects.create(claim_id=claim.pk + 10**6, body="On nothing.")
        assert_consistent()
    assert_consistent()


# The forms


def test_fuzz_claim_create(fuzzer, corpus):
    article_ids = corpus["articles"]

    @FUZZ
    @given(data=st.data(), article=st.sampled_from(article_ids), htmx=htmx)
    def run(data, article, htmx):
        body = corpus["bodies"].get(int(article)) or Article.objects.get(pk=article).body
        start = data.draw(st.integers(0, len(body)))
        passage = body[start : start + data.draw(st.integers(0, 300))]
        form = data.draw(
            optional_fields(
                quote=st.one_of(st.just(passage), st.just(f"  {passage}\n"), text),
                quote_start=st.one_of(st.just(str(start)), number_or_junk([str(start + 1), ""])),
                statement=text,
                speaker_name=st.one_of(st.sampled_from(corpus["source_labels"]), text),
                new_speaker_kind=st.one_of(st.sampled_from(Source.Kind.values), text),
                claimed_on=st.one_of(dates, text),
            )
        )
        fuzzer.send("POST", reverse("claim_create", args=[article]), form, htmx=htmx)

    run()
    fuzzer.check(EXAMPLES)


def test_fuzz_claim_edit(fuzzer, corpus):
    @FUZZ
    @given(data=st.data(), claim=st.sampled_from(corpus["claims"]), htmx=htmx)
    def run(data, claim, htmx):
        current = Claim.objects.filter(pk=claim).values_list("version", flat=True).first() or 1
        form = data.draw(
            optional_fields(
                statement=text,
                verdict=st.one_of(st.sampled_from(Claim.Verdict.values), text),
                verdict_note=text,
                # The version seen: the current one (saves), a stale one (conflict), or junk.
                version=st.one_of(st.just(str(current)), st.just(str(current - 1)), integers.map(str), text),
            )
        )
        fuzzer.send(data.draw(st.sampled_from(["GET", "POST"])), reverse("claim_edit", args=[claim]), form, htmx=htmx)

    run()
    fuzzer.check(EXAMPLES)


def test_fuzz_article_edit(fuzzer, corpus):
    @FUZZ
    @given(data=st.data(), article=st.sampled_from(corpus["articles"]))
    def run(data, article):
        current = Article.objects.filter(pk=article).values_list("version", flat=True).first() or 1
        form = data.draw(
            optional_fields(
                title=text,
                outlet=number_or_junk(corpus["outlets"] + corpus["sources"] + [""]),
                author=text,
                url=st.one_of(
                    st.sampled_from(["https://example.org/a", "http://x.test/?q=1", "javascript:alert(1)", ""]), text
                ),
                published_on=st.one_of(dates, text),
                version=st.one_of(st.just(str(current)), st.just(str(current - 1)), integers.map(str), text),
            )
        )
        fuzzer.send("POST", reverse("article_edit", args=[article]), form, htmx=data.draw(htmx))

    run()
    fuzzer.check(EXAMPLES)


def test_fuzz_source_edit(fuzzer, corpus):
    @FUZZ
    @given(data=st.data(), source=st.sampled_from(corpus["sources"]))
    def run(data, source):
        current = Source.objects.filter(pk=source).values_list("version", flat=True).first() or 1
        form = data.draw(
            optional_fields(
                # Names of other sources too, to meet the unique name per kind.
                name=st.one_of(st.sampled_from(corpus["source_names"]), text),
                kind=st.one_of(st.sampled_from(Source.Kind.values), text),
                affiliation=number_or_junk(corpus["sources"] + [source, ""]),
                description=text,
                url=st.one_of(st.sampled_from(["https://example.org/", "ftp://x", "data:,x"]), text),
                reliability_note=text,
                version=st.one_of(st.just(str(current)), st.just(str(current - 1)), integers.map(str), text),
            )
        )
        fuzzer.send("POST", reverse("source_edit", args=[source]), form, htmx=data.draw(htmx))

    run()
    fuzzer.check(EXAMPLES)


# Links and comments


def test_fuzz_link_create(fuzzer, corpus):
    @FUZZ
    @given(data=st.data(), claim=st.sampled_from(corpus["claims"]), htmx=htmx)
    def run(data, claim, htmx):
        form = data.draw(
            optional_fields(
                # Itself, and claims it is already linked to, among the real ones.
                to_claim=number_or_junk(corpus["claims"] + [claim]),
                kind=st.one_of(st.sampled_from(ClaimLink.Kind.values), text),
                reason=text,
                action=st.one_of(st.sampled_from(["link", "search"]), text),
                q=text,
            )
        )
        fuzzer.send("POST", reverse("claim_link_create", args=[claim]), form, htmx=htmx)

    run()
    fuzzer.check(EXAMPLES)


def test_fuzz_link_delete(fuzzer, corpus):
    claims = corpus["claims"]

    @FUZZ
    @given(
        # Indexes into what the database holds then, not sampled_from(it): what Hypothesis draws must not depend
        # on the database, which changes from one example to the next.
        link_index=st.integers(0, 10**6),
        bogus_pk=st.integers(0, 2**63 - 1),
        claim_index=st.integers(0, 10**6),
        junk=st.one_of(integers.map(str), text),
        method=st.sampled_from(["GET", "POST"]),
        htmx=htmx,
        relink=st.tuples(st.integers(0, 4), st.sampled_from(claims), st.sampled_from(claims)),
    )
    def run(link_index, bogus_pk, claim_index, junk, method, htmx, relink):
        live = list(ClaimLink.objects.order_by("pk").values_list("pk", "from_claim", "to_claim"))
        pk, *ends = live[link_index % len(live)] if live and link_index % 4 else (bogus_pk,)
        # The claim page to go back to: either end of the link, another claim, junk, or none.
        choices = [str(end) for end in ends] + [claims[claim_index % len(claims)], junk]
        form = {"claim": choices[claim_index % len(choices)]} if claim_index % 5 else {}
        fuzzer.send(method, reverse("link_delete", args=[pk]), form, htmx=htmx)
        # Links are made again now and then, so that there is always something to delete.
        again, claim, other = relink
        if again == 0 and claim != other:
            form = {"to_claim": other, "kind": "supports", "reason": "", "action": "link"}
            fuzzer.send("POST", reverse("claim_link_create", args=[claim]), form, htmx=htmx)

    run()
    fuzzer.check(EXAMPLES)


def test_fuzz_comments(fuzzer, corpus):
    links = [str(pk) for pk in ClaimLink.objects.values_list("pk", flat=True)]

    @FUZZ
    @given(
        target=st.one_of(
            st.tuples(st.just("claim_comment_create"), st.sampled_from(corpus["claims"])),
            st.tuples(st.just("link_comment_create"), st.sampled_from(links)),
            st.tuples(st.sampled_from(["claim_comment_create", "link_comment_create"]), st.integers(0, 2**63 - 1)),
        ),
        form=optional_fields(body=text),
        htmx=htmx,
    )
    def run(target, form, htmx):
        name, pk = target
        fuzzer.send("POST", reverse(name, args=[pk]), form, htmx=htmx)

    run()
    fuzzer.check(EXAMPLES)


def test_fuzz_login_forms(seeded):
    """Anyone may post the login forms: whatever they post, a form again (200), a lockout (429), never a 500."""
    fuzzer = Fuzzer(None, "test_fuzz_login_forms")

    @FUZZ
    @given(
        path=st.sampled_from([reverse("login"), reverse("admin:login")]),
        form=optional_fields(username=st.one_of(st.sampled_from(["ana", "admin", "vera"]), text), password=text),
    )
    def run(path, form):
        fuzzer.send("POST", path, form, allowed=(200, 429))

    run()
    fuzzer.check(EXAMPLES)


# Searches, filters, type-aheads and live regions


def page_of(name, ids):
    return st.sampled_from(ids).map(lambda pk: reverse(name, args=[pk]))


def fuzz_gets(fuzzer, requests, targets=None):
    """GET each of `requests` (URL, parameters), with or without htmx and an HX-Target among `targets` or junk."""
    targets = st.one_of(st.none(), st.sampled_from(targets or ["results"]), text)

    @FUZZ
    @given(request=requests, htmx=htmx, target=targets)
    def run(request, htmx, target):
        url, params = request
        headers = {"HX-Target": target} if target is not None and htmx else {}
        fuzzer.send("GET", url, params, htmx=htmx, headers=headers)

    run()
    fuzzer.check(EXAMPLES)


def test_fuzz_type_aheads(fuzzer, corpus):
    """The link candidates search and the speaker type-ahead."""
    fuzz_gets(
        fuzzer,
        st.one_of(
            st.tuples(page_of("claim_link_candidates", corpus["claims"]), optional_fields(q=text)),
            st.tuples(st.just(reverse("source_options")), optional_fields(speaker_name=text)),
        ),
        ["candidates", "speaker-options"],
    )


def test_fuzz_list_filters(fuzzer, corpus):
    fuzz_gets(
        fuzzer,
        st.one_of(
            st.tuples(
                st.just(reverse("article_list")),
                optional_fields(q=text, outlet=number_or_junk(corpus["outlets"]), page=number_or_junk(["1", "2"])),
            ),
            st.tuples(
                st.just(reverse("source_list")),
                optional_fields(q=text, kind=st.one_of(st.sampled_from(Source.Kind.values), text), page=integers),
            ),
            st.tuples(
                st.just(reverse("contradiction_list")),
                optional_fields(
                    source=number_or_junk(corpus["sources"]),
                    article=number_or_junk(corpus["articles"]),
                    page=number_or_junk(["1", "2"]),
                ),
            ),
        ),
    )


def test_fuzz_live_region_polls(fuzzer, corpus):
    """The 5-second polls: any region name, any digest of what the browser shows."""
    links = [str(pk) for pk in ClaimLink.objects.values_list("pk", flat=True)]
    fuzz_gets(
        fuzzer,
        st.one_of(
            st.tuples(page_of("claim_detail", corpus["claims"]), optional_fields(q=text, shown=text)),
            st.tuples(page_of("article_detail", corpus["articles"]), optional_fields(shown=text)),
            st.tuples(page_of("link_detail", links), optional_fields(shown=text)),
            st.tuples(
                st.just(reverse("contradiction_list")),
                optional_fields(source=number_or_junk(corpus["sources"]), shown=text, page=text),
            ),
            st.tuples(st.just(reverse("home")), optional_fields(q=text)),
        ),
        ["summary", "link-list", "comment-list", "article-text", "claim-list", "results", "discussion"],
    )


# Cases the fuzzing found, pinned


SEARCHES = [
    ("article_list", None, "q", False),
    ("article_list", None, "q", True),
    ("source_list", None, "q", True),
    ("source_options", None, "speaker_name", True),
    ("claim_link_candidates", Claim, "q", True),
    ("claim_detail", Claim, "q", False),
]


@pytest.mark.parametrize(("name", "model", "parameter", "htmx"), SEARCHES)
def test_a_nul_character_in_a_search_is_no_server_error(seeded, client, editor, name, model, parameter, htmx):
    """PostgreSQL refuses NUL in text: a search for one must find nothing, not fail (SQLite just finds nothing)."""
    args = [model.objects.order_by("pk").first().pk] if model else []
    client.force_login(editor)
    client.raise_request_exception = False
    headers = {"HX-Request": "true"} if htmx else None
    response = client.get(reverse(name, args=args), {parameter: "army\x00"}, headers=headers)
    assert response.status_code == 200


def test_a_nul_character_in_the_link_search_is_no_server_error(seeded, client, editor):
    claim = Claim.objects.order_by("pk").first()
    client.force_login(editor)
    client.raise_request_exception = False
    form = {"action": "search", "q": "\x00", "kind": "supports", "reason": ""}
    response = client.post(reverse("claim_link_create", args=[claim.pk]), form, headers={"HX-Request": "true"})
    assert response.status_code == 200


@pytest.mark.parametrize("to_claim", ["²", "9" * 5000], ids=["superscript digit", "5000 digits"])
def test_a_claim_to_link_that_is_no_number_is_a_form_error(seeded, client, editor, to_claim):
    """str.isdigit() says yes to both, int() says no."""
    claim = Claim.objects.order_by("pk").first()
    client.force_login(editor)
    client.raise_request_exception = False
    form = {"to_claim": to_claim, "kind": "supports", "reason": "", "action": "link"}
    for headers in (None, {"HX-Request": "true"}):
        response = client.post(reverse("claim_link_create", args=[claim.pk]), form, headers=headers)
        assert response.status_code == 422


@pytest.mark.parametrize("model", [Article, Source])
def test_an_edit_conflict_with_a_change_nobody_is_named_for_is_a_409(seeded, client, editor, model, tmp_path):
    """The importer and the demo's sources save without a user: a stale edit of such an object is a conflict to
    show (by "a colleague"), not a server error."""
    if model is Article:
        (tmp_path / "wire.txt").write_text("Wire copy\n\nThe army is loyal, a wire said.\n", encoding="utf-8")
        obj, _ = import_article(tmp_path / "wire.txt")
    else:
        obj = model.objects.order_by("pk").first()
    assert obj.history.first().history_user is None
    client.force_login(editor)
    name = model._meta.model_name
    form = {"title": "Changed", "name": "Changed", "kind": getattr(obj, "kind", ""), "version": obj.version + 1}
    if model is Article:
        form["body"] = obj.body
    client.raise_request_exception = False
    response = client.post(reverse(f"{name}_edit", args=[obj.pk]), form)
    assert response.status_code == 409
    assert "A colleague saved a newer version" in response.content.decode()


def test_fuzzing_sent_over_a_thousand_requests():
    """Runs last: the total of the tests above, when they all ran."""
    fuzz_tests = [name for name in globals() if name.startswith("test_fuzz_")]
    if set(SENT) != set(fuzz_tests):
        pytest.skip("only part of the fuzz tests ran")
    assert sum(SENT.values()) > MINIMUM_TOTAL, SENT
