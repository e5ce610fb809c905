import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from factcheck import history
from factcheck.models import Article, Claim, EditConflict, Relay, Source

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
PARAPHRASE = Relay.Manner.PARAPHRASE


@pytest.fixture
def outlet(db):
    return Source.objects.create(name="GPA", kind=Source.Kind.OUTLET)


@pytest.fixture
def claim(make_claim, article, outlet):
    article.outlet = outlet
    article.save()
    return make_claim("The army is loyal to the president", "The army is loyal.")


@pytest.fixture
def sources(db):
    def made(*names, kind=Source.Kind.OUTLET):
        return [Source.objects.create(name=name, kind=kind) for name in names]

    return made


@pytest.fixture
def beast(sources):
    return sources("The Daily Beast")[0]


@pytest.fixture
def simon(sources):
    return sources("Simon", kind=Source.Kind.ANONYMOUS)[0]


def hop(source, manner=Relay.Manner.VERBATIM, reason="", **more):
    return {"source": source, "manner": manner, "reason": reason, **more}


def saved_chain(claim):
    return [(r.position, r.source.name, r.manner) for r in Claim.objects.get(pk=claim.pk).chain()]


def three_hops(claim, editor, sources):
    wire, blog, bank = sources("Caracas wire", "A blog", "Bloomberg")
    hops = [hop(bank), hop(wire, PARAPHRASE, "“No” became “does not support”"), hop(blog)]
    claim.set_chain([], hops, by=editor, seen_version=claim.version)
    return wire, blog, bank


# The model: Claim.set_chain, chain(), chain_line()


def test_the_line_reads_speakers_then_hops_then_the_articles_outlet(claim, editor, beast, simon, speaker):
    speaker.kind = Source.Kind.ANONYMOUS
    speaker.name = "Alejandro"
    speaker.save()
    claim.set_chain([simon], [hop(beast)], by=editor, seen_version=claim.version)
    claim = Claim.objects.for_detail().with_chain().get(pk=claim.pk)
    assert claim.chain_line() == "Alejandro (anonymous) and Simon (anonymous) → The Daily Beast → GPA"
    assert claim.speakers() == [speaker, simon]


def test_the_outlet_is_not_repeated_when_it_is_the_last_hop(claim, editor, outlet, beast):
    claim.set_chain([], [hop(beast), hop(outlet)], by=editor, seen_version=claim.version)
    assert claim.chain_line() == "A minister → The Daily Beast → GPA"


def test_removing_a_middle_hop_leaves_no_gap(claim, editor, sources):
    wire, blog, bank = three_hops(claim, editor, sources)
    claim.set_chain([], [hop(bank), hop(blog)], by=editor, seen_version=claim.version)
    assert saved_chain(claim) == [(1, "Bloomberg", "verbatim"), (2, "A blog", "verbatim")]


def test_moving_hops_rewrites_their_places(claim, editor, sources):
    wire, blog, bank = three_hops(claim, editor, sources)
    claim.set_chain([], [hop(blog), hop(bank), hop(wire, "summary", "Shorter")], by=editor, seen_version=claim.version)
    assert saved_chain(claim) == [
        (1, "A blog", "verbatim"),
        (2, "Bloomberg", "verbatim"),
        (3, "Caracas wire", "summary"),
    ]


def test_no_source_twice_in_a_row(claim, editor, beast):
    with pytest.raises(ValidationError) as error:
        claim.set_chain([], [hop(beast), hop(beast)], by=editor, seen_version=claim.version)
    assert error.value.message_dict["chain"] == [
        "Hop 2: The Daily Beast passes the claim on to itself (twice in a row)."
    ]
    assert saved_chain(claim) == []


def test_the_speaker_is_not_its_own_first_hop(claim, editor, speaker, simon):
    for co_speakers, first in (([], speaker), ([simon], simon)):
        with pytest.raises(ValidationError, match="is an original speaker"):
            claim.set_chain(co_speakers, [hop(first)], by=editor, seen_version=claim.version)
    assert saved_chain(claim) == []
    assert Claim.objects.get(pk=claim.pk).version == claim.version == 1


def test_a_hop_that_changed_the_words_needs_its_reason(claim, editor, beast):
    with pytest.raises(ValidationError, match="Hop 1: say how The Daily Beast changed the claim"):
        claim.set_chain([], [hop(beast, Relay.Manner.ESCALATED, "   ")], by=editor, seen_version=claim.version)
    assert saved_chain(claim) == []


def test_the_database_refuses_a_changed_hop_without_reason(claim, beast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Relay.objects.create(claim=claim, position=1, source=beast, manner=PARAPHRASE)


def test_the_database_refuses_two_hops_at_one_place(claim, beast, simon):
    Relay.objects.create(claim=claim, position=1, source=beast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Relay.objects.create(claim=claim, position=1, source=simon)


def test_a_bad_url_is_refused_with_nothing_saved(claim, editor, beast):
    with pytest.raises(ValidationError, match="Hop 1: Enter a valid URL"):
        claim.set_chain([], [hop(beast, url="not a link")], by=editor, seen_version=claim.version)
    assert Claim.objects.get(pk=claim.pk).version == 1


def test_a_colleagues_save_meanwhile_is_a_conflict(claim, editor, beast):
    seen = claim.version
    Claim.objects.get(pk=claim.pk).set_chain([], [hop(beast)], by=editor, seen_version=seen)
    with pytest.raises(EditConflict):
        claim.set_chain([], [], by=editor, seen_version=seen)
    assert saved_chain(claim) == [(1, "The Daily Beast", "verbatim")]


def test_history_records_who_changed_the_chain(claim, editor, beast, simon):
    claim.set_chain([simon], [hop(beast, url="https://example.org/a")], by=editor, seen_version=claim.version)
    claim.set_chain([], [hop(beast, PARAPHRASE, "Shorter")], by=editor, seen_version=claim.version)
    relay = Relay.history.filter(claim_id=claim.pk).order_by("history_id")
    assert [(r.history_type, r.manner, r.history_user) for r in relay] == [
        ("+", "verbatim", editor),
        ("~", "paraphrase", editor),
    ]
    assert [(r.history_type, r.history_user) for r in claim.co_speaker_rows.model.history.order_by("history_id")] == [
        ("+", editor),
        ("-", editor),
    ]
    changes = [entry["changes"] for entry in history.entries(Claim.objects.get(pk=claim.pk))[:2]]
    assert changes == [
        [
            {
                "field": "attribution chain",
                "old": "A minister and Simon (anonymous) → The Daily Beast → GPA",
                "new": "A minister → The Daily Beast → GPA",
            }
        ],
        [{"field": "attribution chain", "old": "", "new": "A minister and Simon (anonymous) → The Daily Beast → GPA"}],
    ]


def test_the_chain_is_read_in_a_fixed_number_of_queries(claim, editor, sources, django_assert_num_queries):
    three_hops(claim, editor, sources)
    with django_assert_num_queries(3):
        read = Claim.objects.for_detail().with_chain().get(pk=claim.pk)
        assert read.chain_line() == "A minister → Bloomberg → Caracas wire → A blog → GPA"
        assert [hop.article for hop in read.chain()] == [None, None, None]


# The claim page's Provenance section


def test_claim_page_shows_the_chain(client, viewer, claim, editor, sources):
    three_hops(claim, editor, sources)
    report = Article.objects.create(title="The wire's report", body="The army is loyal.")
    hops = [hop(h.source, h.manner, h.reason) for h in claim.chain()]
    hops[0]["url"], hops[1]["article"] = "https://bloomberg.example/story", report
    claim.set_chain([], hops, by=editor, seen_version=claim.version)
    client.force_login(viewer)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert '<p class="chain-line">A minister → Bloomberg → Caracas wire → A blog → GPA</p>' in html
    assert "paraphrased: “No” became “does not support”" in html
    assert '<a href="https://bloomberg.example/story" rel="noopener noreferrer">' in html
    assert f'<a href="{report.get_absolute_url()}">The wire&#x27;s report</a>' in html
    assert reverse("claim_chain", args=[claim.pk]) not in html  # viewers see no edit button


def test_claim_page_offers_editors_to_trace_the_chain(client, editor, claim):
    client.force_login(editor)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert '<p class="chain-line">A minister → GPA</p>' in html
    assert f'href="{reverse("claim_chain", args=[claim.pk])}"' in html
    assert ">Trace the chain</a>" in html


@pytest.mark.parametrize("hops", [0, 3])
def test_claim_page_query_count_is_fixed_whatever_the_chain(
    client, viewer, claim, editor, sources, hops, fixed_queries
):
    def grow():
        wire, blog, bank = three_hops(claim, editor, sources) if not hops else sources("X", "Y", "Z")
        more = sources("Simon", "Alejandro", kind=Source.Kind.ANONYMOUS)
        chain = [hop(h.source) for h in Claim.objects.get(pk=claim.pk).chain()] + [hop(wire), hop(blog), hop(bank)]
        claim.refresh_from_db()
        claim.set_chain(more, chain, by=editor, seen_version=claim.version)

    if hops:
        three_hops(claim, editor, sources)
    client.force_login(viewer)
    assert fixed_queries(lambda: client.get(claim.get_absolute_url()), grow) == 15  # 14 + the claim's tags


def test_claim_list_shows_the_chains_in_a_fixed_number_of_queries(
    client, viewer, claim, editor, sources, fixed_queries
):
    def grow():
        for n in range(5):
            other = Claim.objects.create(
                article=claim.article,
                quote=claim.quote,
                quote_start=claim.quote_start,
                statement=f"Grown {n}",
                speaker=claim.speaker,
            )
            three_hops(other, editor, lambda *names, n=n: sources(*(f"{name} {n}" for name in names)))
            other.set_chain(
                sources(f"Simon {n}"), [hop(h.source) for h in other.chain()], by=editor, seen_version=other.version
            )

    three_hops(claim, editor, sources)
    client.force_login(viewer)
    assert fixed_queries(lambda: client.get(reverse("claim_list")), grow) == 8
    html = client.get(reverse("claim_list")).content.decode()
    assert '<p class="meta chain-line">Provenance: A minister → Bloomberg → Caracas wire → A blog → GPA</p>' in html
    assert "Provenance: A minister and Simon 4 → Bloomberg 4 → Caracas wire 4 → A blog 4 → GPA" in html


# The chain form: GET, changes without saving, save, errors, conflict


@pytest.fixture
def url(claim):
    return reverse("claim_chain", args=[claim.pk])


def form_data(claim, *hops, co=(), action="save", **more):
    claim.refresh_from_db(fields=["version"])
    data = {"version": claim.version, "action": action}
    for number, source in enumerate(co, start=1):
        data[f"co-{number}"] = source.pk if source else ""
    for number, fields in enumerate(hops, start=1):
        for name, value in fields.items():
            data[f"hop-{number}-{name}"] = getattr(value, "pk", value)
    return {**data, **more}


def test_chain_page_shows_the_form_filled_in(client, editor, url, claim, sources):
    three_hops(claim, editor, sources)
    client.force_login(editor)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert '<h3 id="hop-2-heading" tabindex="-1">Hop 2: Caracas wire</h3>' in html
    assert '<option value="paraphrase" selected>paraphrased</option>' in html
    assert ">“No” became “does not support”</textarea>" in html
    assert f'name="version" value="{claim.version}"' in html


def test_chain_form_with_htmx_is_the_provenance_section_only(client, editor, url):
    client.force_login(editor)
    response = client.get(url, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.strip().startswith('<section id="provenance"')
    assert response["Vary"].count("HX-Request") == 1


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_adding_moving_and_removing_hops_saves_nothing(client, editor, url, claim, sources, headers):
    wire, blog = sources("Caracas wire", "A blog")
    client.force_login(editor)
    data = form_data(
        claim, {"source": wire, "manner": "summary", "reason": "Cut short"}, {"source": blog}, action="add-hop"
    )
    html = client.post(url, data, headers=headers).content.decode()
    assert 'name="hop-3-source"' in html and 'id="pick-hop-3-source-find"' in html
    assert "autofocus data-autofocus" in html.split('id="pick-hop-3-source-find"')[1].split(">")[0]
    html = client.post(url, {**data, "action": "down-1"}, headers=headers).content.decode()
    assert html.index("Hop 1: A blog") < html.index("Hop 2: Caracas wire")
    assert ">Cut short</textarea>" in html.split("Hop 2: Caracas wire")[1]
    html = client.post(url, {**data, "action": "remove-hop-1"}, headers=headers).content.decode()
    assert "Hop 1: A blog" in html and "Hop 2" not in html
    assert saved_chain(claim) == [] and Claim.objects.get(pk=claim.pk).version == 1


def test_finding_a_source_without_javascript_lists_it(client, editor, url, claim, beast):
    client.force_login(editor)
    html = client.post(url, form_data(claim, {"source": "", "source-find": "daily"}, action="find")).content.decode()
    assert f'<option value="{beast.pk}">The Daily Beast (Outlet)</option>' in html
    select = html.split('id="pick-hop-1-source"')[1].split(">")[0]
    assert "autofocus" in select


def test_the_picker_list_fills_as_one_types(client, editor, beast):
    client.force_login(editor)
    response = client.get(reverse("pick_source"), {"name": "hop-2-source", "hop-2-source-find": "beast"}, headers=HTMX)
    assert f'<option value="{beast.pk}">The Daily Beast (Outlet)</option>' in response.content.decode()


def test_saving_without_javascript_goes_back_to_the_claim(client, editor, url, claim, beast, simon):
    client.force_login(editor)
    data = form_data(
        claim,
        {"source": beast, "manner": "narrowed", "reason": "Only the US option", "url": "https://x.example/1"},
        co=[simon],
    )
    response = client.post(url, data)
    assert response.status_code == 303
    assert response["Location"] == f"{claim.get_absolute_url()}#provenance"
    assert saved_chain(claim) == [(1, "The Daily Beast", "narrowed")]
    assert Claim.objects.get(pk=claim.pk).speakers()[1:] == [simon]
    html = client.get(response["Location"]).content.decode()
    assert "Chain saved." in html
    assert '<p class="chain-line">A minister and Simon (anonymous) → The Daily Beast → GPA</p>' in html
    # and in the history, in the same words
    assert '<span class="field">attribution chain</span>: <del>(empty)</del> → <ins>A minister and Simon' in html


def test_saving_with_htmx_gives_the_section_back(client, editor, url, claim, beast):
    client.force_login(editor)
    response = client.post(url, form_data(claim, {"source": beast}, {"source": "", "manner": "unknown"}), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert '<p class="chain-line">A minister → The Daily Beast → GPA</p>' in html
    assert "Chain saved." in html
    assert saved_chain(claim) == [(1, "The Daily Beast", "unknown")]  # the blank row is dropped


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_the_chains_rules_are_shown_beside_the_form(client, editor, url, claim, beast, headers):
    client.force_login(editor)
    data = form_data(
        claim, {"source": beast, "manner": "escalated", "reason": ""}, {"source": beast, "url": "https://y.example"}
    )
    response = client.post(url, data, headers=headers)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Hop 1: say how The Daily Beast changed the claim (escalated)." in html
    assert "Hop 2: The Daily Beast passes the claim on to itself (twice in a row)." in html
    assert 'value="https://y.example"' in html  # nothing typed is lost
    assert saved_chain(claim) == [] and Claim.objects.get(pk=claim.pk).version == 1


def test_a_hop_without_a_source_is_refused(client, editor, url, claim):
    client.force_login(editor)
    response = client.post(url, form_data(claim, {"source": "", "reason": "Told by whom?"}))
    assert response.status_code == 422
    assert "Choose who passed the claim on" in response.content.decode()


def test_a_form_without_its_version_is_refused(client, editor, url, claim, beast):
    client.force_login(editor)
    data = form_data(claim, {"source": beast})
    del data["version"]
    response = client.post(url, data)
    assert response.status_code == 422
    assert "lacks the version you started from" in response.content.decode()
    assert saved_chain(claim) == []


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_a_colleagues_save_meanwhile_keeps_what_was_typed(client, editor, url, claim, beast, sources, headers):
    client.force_login(editor)
    data = form_data(claim, {"source": beast, "reason": "Mine, kept"})
    wire = sources("Caracas wire")[0]
    Claim.objects.get(pk=claim.pk).set_chain([], [hop(wire)], by=editor, seen_version=claim.version)
    response = client.post(url, data, headers=headers)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Eda saved a newer version of this claim while you were editing." in html
    assert "<dd>A minister → Caracas wire → GPA</dd>" in html
    assert "<dd>A minister → The Daily Beast → GPA</dd>" in html
    assert ">Mine, kept</textarea>" in html
    assert 'name="version" value="2"' in html
    assert saved_chain(claim) == [(1, "Caracas wire", "verbatim")]
    # Saving again, having seen theirs, saves mine.
    assert client.post(url, {**data, "version": 2}).status_code == 303
    assert saved_chain(claim) == [(1, "The Daily Beast", "unknown")]


def test_unknown_buttons_and_numbers_do_nothing(client, editor, url, claim, beast):
    client.force_login(editor)
    for action in ("up-1", "down-1", "remove-hop-9", "up-x", "", "add-hop-1", "remove-co-99999999999999999999"):
        response = client.post(url, form_data(claim, {"source": beast}, action=action))
        assert response.status_code == 200
        assert "Hop 1: The Daily Beast" in response.content.decode()
    assert saved_chain(claim) == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_viewers_may_not_edit_the_chain(client, viewer, url, claim, beast, method):
    client.force_login(viewer)
    response = getattr(client, method)(url, form_data(claim, {"source": beast}))
    assert response.status_code == 403
    assert saved_chain(claim) == []


def test_the_chain_form_needs_the_csrf_token(editor, url, claim, beast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(url, form_data(claim, {"source": beast})).status_code == 403
    assert saved_chain(claim) == []


@pytest.mark.parametrize("hops", [0, 3])
def test_chain_form_query_count_is_fixed(client, editor, url, claim, sources, hops, fixed_queries):
    def grow():
        claim.refresh_from_db()
        more = sources("Simon", "Alejandro", kind=Source.Kind.ANONYMOUS)
        chain = [hop(h.source) for h in claim.chain()] + [hop(s) for s in sources("P", "Q", "R")]
        claim.set_chain(more, chain, by=editor, seen_version=claim.version)

    if hops:
        three_hops(claim, editor, sources)
    client.force_login(editor)
    assert fixed_queries(lambda: client.get(url), grow) == 7


@pytest.mark.parametrize(
    "bad",
    [
        {"hop-1-source": "abc"},
        {"hop-1-source": "²"},
        {"hop-1-source": "9" * 5000},
        {"hop-1-source": "987654"},
        {"hop-1-source": "{beast}", "hop-1-reason": "nul \x00 here", "hop-1-manner": "summary"},
        {"hop-1-source": "{beast}", "hop-1-url": "javascript:alert(1)"},
        {"hop-1-source": "{beast}", "hop-1-manner": "bogus", "hop-1-article": "123456"},
        {"hop-1-source": "{beast}", "hop-9999-source": "{beast}", "co-1": "{beast}", "co-2": "x"},
        {**{f"hop-{n}-source": "{beast}" for n in range(1, 40)}},
        {"hop-1-source": "{beast}", "version": "x"},
        {"hop-1-source": "{beast}", "version": "9" * 30},
    ],
)
def test_bad_input_is_a_form_error_never_a_server_error(client, editor, url, claim, beast, bad):
    client.force_login(editor)
    data = {"version": claim.version, "action": "save"}
    data.update({key: value.replace("{beast}", str(beast.pk)) for key, value in bad.items()})
    for action in ("add-hop", "find", "down-1", "save"):
        response = client.post(url, {**data, "action": action})
        # What cannot be read as a choice is no choice: a row left empty (dropped), or an error beside it.
        assert response.status_code in (200, 303, 409, 422), (action, response.status_code)
    assert [name for _, name, _ in saved_chain(claim)] in ([], ["The Daily Beast"])
