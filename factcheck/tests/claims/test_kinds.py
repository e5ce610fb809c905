"""What kind of claim it is, its hedge, and when it was made (with how precisely): the forms, the pages, the
claim list's filters, the home page's count of claims waiting for a verdict, and the review it may publish."""

import datetime
import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from factcheck.claimreview import claim_review
from factcheck.forms import ClaimAdminForm, ClaimEditForm, ClaimForm
from factcheck.forms.claims import NOT_CHECKABLE_FACT, RANGE_BACKWARDS
from factcheck.models import Claim
from factcheck.templatetags.claim_kinds import date_display
from factcheck.tests.page_forms import FormFields

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
QUOTE = "The army is loyal to the president"
Kind, Precision, Verdict = Claim.Kind, Claim.DatePrecision, Claim.Verdict


@pytest.fixture
def claim(make_claim):
    return make_claim(QUOTE, "The army is loyal.")


def new_claim(**fields):
    return {
        "quote": QUOTE,
        "quote_start": "",
        "statement": "The army backs the president.",
        "speaker_name": "A minister (Government body)",
        "new_speaker_kind": "person",
        "kind": "fact",
        "hedge": "",
        "claimed_on": "2019-05-14",
        "claimed_on_precision": "day",
        "claimed_until": "",
        "claimed_on_basis": "",
        **fields,
    }


def edit_data(claim, **fields):
    claim.refresh_from_db()
    return {
        "statement": claim.statement,
        "kind": claim.kind,
        "hedge": claim.hedge,
        "claimed_on": "",
        "claimed_on_precision": "day",
        "claimed_until": "",
        "claimed_on_basis": "",
        "verdict": claim.verdict,
        "verdict_note": claim.verdict_note,
        "version": claim.version,
        **fields,
    }


def text(html):
    """The page's words, without the tags and spaces that lay them out."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def errors_beside(html, field):
    """The error messages shown beside one field of a form (Django's field group: its errors follow its help)."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return text(match.group(1)) if match else ""


# The new-claim form: every precision


@pytest.mark.parametrize(
    ("precision", "typed", "until", "stored", "shown"),
    [
        ("day", "2019-05-14", "", datetime.date(2019, 5, 14), "14 May 2019"),
        ("month", "2019-05-14", "", datetime.date(2019, 5, 1), "May 2019"),
        ("year", "2019-05-14", "", datetime.date(2019, 1, 1), "2019"),
        ("range", "2019-05-01", "2019-05-03", datetime.date(2019, 5, 1), "1–3 May 2019"),
    ],
)
def test_a_new_claim_keeps_its_kind_hedge_and_date_at_its_precision(
    article, speaker, precision, typed, until, stored, shown
):
    data = new_claim(
        kind="opinion",
        hedge="  reportedly ",
        claimed_on=typed,
        claimed_on_precision=precision,
        claimed_until=until,
        claimed_on_basis="said on Tuesday",
    )
    form = ClaimForm(data, article=article)
    assert form.is_valid(), form.errors
    claim = form.save(by=None)
    claim.refresh_from_db()
    assert (claim.kind, claim.hedge, claim.claimed_on, claim.claimed_on_precision) == (
        "opinion",
        "reportedly",
        stored,
        precision,
    )
    assert claim.claimed_until == (datetime.date(2019, 5, 3) if until else None)
    assert claim.claimed_on_basis == "said on Tuesday"
    assert date_display(claim) == shown


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"claimed_on_precision": "range", "claimed_until": "2019-05-13"}, "claimed_until", RANGE_BACKWARDS),
        ({"claimed_on_precision": "range"}, "claimed_until", "A range of dates needs its last day"),
        (
            {"claimed_on_precision": "range", "claimed_on": "", "claimed_until": "2019-05-20"},
            "claimed_on",
            "A range of dates needs its first day",
        ),
        ({"claimed_until": "2019-05-20"}, "claimed_until", "Only a range of dates has a last day"),
        ({"claimed_on_precision": "month", "claimed_on": ""}, "claimed_on", "Give the date"),
        ({"claimed_on_precision": "week"}, "claimed_on_precision", "Select a valid choice"),
        ({"kind": "rumour"}, "kind", "Select a valid choice"),
    ],
)
def test_a_bad_date_is_refused_beside_its_field(client, editor, article, fields, field, message):
    client.force_login(editor)
    url = reverse("claim_create", args=[article.pk])
    for headers in ({}, HTMX):
        response = client.post(url, new_claim(**fields), headers=headers)
        assert response.status_code == 422
        html = response.content.decode()
        assert message in errors_beside(html, field)
        assert ("<html" in html) is not bool(headers)
        assert 'value="The army backs the president."' in html or "The army backs the president." in html
    assert Claim.objects.count() == 0


def test_a_new_claim_from_the_page_form_is_a_dated_fact_by_default(client, editor, article):
    article.published_on = datetime.date(2019, 5, 2)
    article.save()
    client.force_login(editor)
    url = reverse("claim_create", args=[article.pk])
    parser = FormFields()
    parser.feed(client.get(url).content.decode())
    (form,) = [fields for fields in parser.forms.values() if "quote" in fields]
    assert (form["kind"], form["claimed_on_precision"], form["claimed_on"]) == ("fact", "day", "2019-05-02")
    response = client.post(url, {**form, "quote": QUOTE, "statement": "Loyal.", "speaker_name": "A minister"})
    assert response.status_code == 303
    claim = Claim.objects.get()
    assert (claim.kind, claim.claimed_on, claim.claimed_on_precision, claim.claimed_until) == (
        "fact",
        datetime.date(2019, 5, 2),
        "day",
        None,
    )


def test_the_new_claim_form_labels_every_field(client, editor, article):
    client.force_login(editor)
    html = client.get(reverse("claim_create", args=[article.pk])).content.decode()
    for field, label in [
        ("kind", "Kind of claim"),
        ("hedge", "Hedge"),
        ("claimed_on", "Claimed on"),
        ("claimed_on_precision", "Date precision"),
        ("claimed_until", "Last day of the range"),
        ("claimed_on_basis", "Date from"),
    ]:
        assert f'<label for="id_{field}">{label}:</label>' in html
    assert "<legend>Kind and date</legend>" in html
    assert "its first day is stored" in html


# The edit form: kinds and verdicts


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_not_checkable_is_refused_for_a_factual_statement_beside_the_verdict(client, editor, claim, htmx):
    client.force_login(editor)
    url = reverse("claim_edit", args=[claim.pk])
    response = client.post(url, edit_data(claim, verdict="not_checkable"), **({"headers": HTMX} if htmx else {}))
    assert response.status_code == 422
    html = response.content.decode()
    assert NOT_CHECKABLE_FACT in unescape(errors_beside(html, "verdict"))
    assert ("<html" in html) is not htmx
    saved = Claim.objects.get(pk=claim.pk)
    assert (saved.verdict, saved.version) == ("unreviewed", claim.version)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_an_opinion_can_be_marked_not_checkable(client, editor, claim, htmx):
    client.force_login(editor)
    url = reverse("claim_edit", args=[claim.pk])
    data = edit_data(
        claim,
        kind="opinion",
        hedge="presumably",
        verdict="not_checkable",
        claimed_on="2019-03-09",
        claimed_on_precision="month",
        claimed_on_basis="in March",
    )
    response = client.post(url, data, **({"headers": HTMX} if htmx else {}))
    assert response.status_code == (200 if htmx else 303)
    saved = Claim.objects.get(pk=claim.pk)
    assert (saved.kind, saved.hedge, saved.verdict) == ("opinion", "presumably", "not_checkable")
    assert (saved.claimed_on, saved.claimed_on_precision) == (datetime.date(2019, 3, 1), "month")
    html = response.content.decode() if htmx else client.get(response["Location"]).content.decode()
    assert "Opinion or judgement" in html
    assert "Claimed in March 2019" in text(html)


def test_the_edit_form_offers_not_checkable_with_a_hint(client, editor, claim):
    client.force_login(editor)
    html = client.get(reverse("claim_edit", args=[claim.pk])).content.decode()
    assert '<option value="not_checkable">Not checkable</option>' in html
    assert "it no longer waits for review" in html
    assert '<option value="fact" selected>Factual statement</option>' in html


def test_a_backwards_range_is_refused_on_the_edit_page_and_nothing_is_saved(client, editor, claim):
    client.force_login(editor)
    data = edit_data(claim, claimed_on="2019-05-03", claimed_on_precision="range", claimed_until="2019-05-01")
    response = client.post(reverse("claim_edit", args=[claim.pk]), data)
    assert response.status_code == 422
    assert RANGE_BACKWARDS in errors_beside(response.content.decode(), "claimed_until")
    assert Claim.objects.get(pk=claim.pk).claimed_on is None


def test_an_edit_without_the_new_fields_keeps_them(client, editor, claim):
    """An older form (or a script) sending only the statement and verdict changes nothing else."""
    Claim.objects.filter(pk=claim.pk).update(
        kind=Kind.OPINION, hedge="reportedly", claimed_on=datetime.date(2019, 1, 1), claimed_on_precision="year"
    )
    client.force_login(editor)
    claim.refresh_from_db()
    data = {"statement": "Still loyal.", "verdict": "not_checkable", "verdict_note": "", "version": claim.version}
    assert client.post(reverse("claim_edit", args=[claim.pk]), data).status_code == 303
    saved = Claim.objects.get(pk=claim.pk)
    assert (saved.statement, saved.kind, saved.hedge, saved.claimed_on_precision, saved.verdict) == (
        "Still loyal.",
        "opinion",
        "reportedly",
        "year",
        "not_checkable",
    )
    assert saved.claimed_on == datetime.date(2019, 1, 1)


def test_a_published_review_cannot_become_not_checkable(claim, editor):
    claim.verdict, claim.kind = Verdict.FALSE, Kind.OPINION
    claim.save()
    claim.publish(by=editor, seen_version=claim.version)
    form = ClaimEditForm(edit_data(claim, verdict="not_checkable"), instance=claim)
    assert not form.is_valid()
    assert "Unpublish the review first" in form.errors["verdict"][0]


# The admin's form


def test_the_admin_form_refuses_a_bad_range_beside_its_field(claim):
    data = {
        "article": claim.article_id,
        "quote": claim.quote,
        "quote_start": claim.quote_start,
        "statement": claim.statement,
        "speaker": claim.speaker_id,
        **{k: v for k, v in edit_data(claim).items() if k not in {"statement"}},
        "claimed_on": "2019-05-03",
        "claimed_on_precision": "range",
        "claimed_until": "2019-04-30",
        "verdict": "not_checkable",
    }
    form = ClaimAdminForm(data, instance=claim)
    assert not form.is_valid()
    assert form.errors["claimed_until"] == [RANGE_BACKWARDS]
    assert form.errors["verdict"] == [NOT_CHECKABLE_FACT]
    assert "__all__" not in form.errors


def test_the_admin_page_refuses_a_bad_range_without_an_error_page(client, superuser, claim):
    client.force_login(superuser)
    url = reverse("admin:factcheck_claim_change", args=[claim.pk])
    parser = FormFields()
    parser.feed(client.get(url).content.decode())
    (form,) = [fields for form_id, fields in parser.forms.items() if form_id.endswith("_form")]
    form = {name: value for name, value in form.items() if value is not None}
    assert form["claimed_on_precision"] == "day"
    form.update(claimed_on="2019-05-03", claimed_on_precision="range", claimed_until="2019-04-30")
    response = client.post(url, form)
    assert response.status_code == 200
    assert RANGE_BACKWARDS in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).claimed_on_precision == "day"
    form.update(claimed_until="2019-05-05", kind="prediction")
    assert client.post(url, form).status_code == 302
    saved = Claim.objects.get(pk=claim.pk)
    assert (saved.kind, saved.claimed_until) == ("prediction", datetime.date(2019, 5, 5))


# Display


@pytest.mark.parametrize(
    ("start", "end", "precision", "shown"),
    [
        (None, None, "day", ""),
        (datetime.date(2019, 5, 3), None, "day", "3 May 2019"),
        (datetime.date(2019, 5, 1), None, "month", "May 2019"),
        (datetime.date(2019, 1, 1), None, "year", "2019"),
        (datetime.date(2019, 5, 1), datetime.date(2019, 5, 3), "range", "1–3 May 2019"),
        (datetime.date(2019, 4, 30), datetime.date(2019, 5, 2), "range", "30 April – 2 May 2019"),
        (datetime.date(2018, 12, 30), datetime.date(2019, 1, 2), "range", "30 December 2018 – 2 January 2019"),
        (datetime.date(2019, 5, 3), datetime.date(2019, 5, 3), "range", "3 May 2019"),
    ],
)
def test_the_date_is_shown_at_its_precision(start, end, precision, shown):
    claim = Claim(claimed_on=start, claimed_until=end, claimed_on_precision=precision)
    assert date_display(claim) == shown


def test_the_claim_page_shows_kind_hedge_date_and_where_the_date_comes_from(client, viewer, claim):
    Claim.objects.filter(pk=claim.pk).update(
        kind=Kind.PREDICTION,
        hedge="many believed",
        claimed_on=datetime.date(2019, 5, 1),
        claimed_until=datetime.date(2019, 5, 3),
        claimed_on_precision=Precision.RANGE,
        claimed_on_basis="between Wednesday and Friday",
    )
    client.force_login(viewer)
    html = client.get(claim.get_absolute_url()).content.decode()
    summary = text(html[html.index('id="summary"') :])
    assert "Kind Prediction" in summary
    assert "Hedge “many believed”" in summary
    assert "Claimed between 1–3 May 2019 Date from the text: “between Wednesday and Friday”" in summary


def test_the_claim_page_of_a_plain_fact_says_so_and_shows_no_empty_rows(client, viewer, claim):
    client.force_login(viewer)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "Factual statement" in html
    assert "<dt>Hedge</dt>" not in html
    assert "Claimed on" not in text(html)


def test_the_lists_tag_claims_that_are_not_factual_statements(client, viewer, claim, make_claim, article, speaker):
    opinion = make_claim("Opposition leaders said", "The leaders are right.")
    Claim.objects.filter(pk=opinion.pk).update(kind=Kind.OPINION, verdict=Verdict.NOT_CHECKABLE)
    client.force_login(viewer)
    tag = '<span class="claim-kind claim-kind-opinion">Opinion</span>'
    for url in (reverse("claim_list"), article.get_absolute_url(), speaker.get_absolute_url()):
        html = client.get(url).content.decode()
        assert html.count(tag) == 1, url
        assert "claim-kind-fact" not in html, url


def test_the_claim_list_reads_the_kinds_without_a_query_per_row(client, viewer, claim, grow_corpus, fixed_queries):
    client.force_login(viewer)
    url = reverse("claim_list")
    # Every seventh grown claim is an opinion, not checkable: the page grows from none to several.
    fixed_queries(lambda: client.get(url), lambda: grow_corpus(25))
    assert 'class="claim-kind claim-kind-opinion"' in client.get(url).content.decode()


# Waiting for a verdict


@pytest.fixture
def kinds(make_claim):
    """A fact waiting for a verdict, a checked fact, an opinion not checkable, a prediction waiting."""
    made = {}
    for name, kind, verdict in [
        ("waiting", Kind.FACT, Verdict.UNREVIEWED),
        ("checked", Kind.FACT, Verdict.FALSE),
        ("opinion", Kind.OPINION, Verdict.NOT_CHECKABLE),
        ("prediction", Kind.PREDICTION, Verdict.UNREVIEWED),
    ]:
        claim = make_claim("The army is loyal", f"Claim {name}")
        Claim.objects.filter(pk=claim.pk).update(kind=kind, verdict=verdict)
        made[name] = claim
    return made


def listed(client, params):
    response = client.get(reverse("claim_list"), params)
    assert response.status_code == 200
    return sorted(claim.statement for claim in response.context["page"])


def test_the_claim_list_filters_by_kind_and_by_waiting_for_a_verdict(client, viewer, kinds):
    client.force_login(viewer)
    assert listed(client, {"kind": "opinion"}) == ["Claim opinion"]
    assert listed(client, {"kind": "fact"}) == ["Claim checked", "Claim waiting"]
    assert listed(client, {"kind": "no-such-kind"}) == listed(client, {})
    assert listed(client, {"verdict": "waiting"}) == ["Claim prediction", "Claim waiting"]
    assert listed(client, {"verdict": "waiting", "kind": "fact"}) == ["Claim waiting"]
    assert listed(client, {"verdict": "not_checkable"}) == ["Claim opinion"]
    html = client.get(reverse("claim_list"), {"kind": "prediction", "verdict": "waiting"}).content.decode()
    assert '<option value="prediction" selected>Prediction</option>' in html
    assert '<option value="waiting" selected>Waiting for a verdict</option>' in html


def test_the_kind_filter_answers_htmx_with_the_results_only(client, viewer, kinds):
    client.force_login(viewer)
    response = client.get(reverse("claim_list"), {"kind": "opinion"}, headers=HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="results"')
    assert "Claim opinion" in html and "Claim waiting" not in html


def test_the_kind_filter_carries_into_the_exports(client, viewer, kinds):
    client.force_login(viewer)
    response = client.get(reverse("claim_export_json"), {"kind": "opinion"})
    import json

    rows = json.loads(b"".join(response.streaming_content))
    assert [(row["statement"], row["kind"], row["claimReview"]) for row in rows] == [("Claim opinion", "opinion", None)]


def test_the_home_page_counts_the_claims_waiting_for_a_verdict(client, viewer, kinds):
    client.force_login(viewer)
    html = client.get(reverse("home")).content.decode()
    assert "<dt>Claims</dt><dd>4</dd>" in html
    assert '<dt>Waiting for a verdict</dt><dd><a href="/claims/?verdict=waiting">2</a></dd>' in html


# The review it may publish


def test_a_not_checkable_claim_has_no_claim_review(claim):
    claim.kind, claim.verdict = Kind.OPINION, Verdict.NOT_CHECKABLE
    claim.save()
    assert claim_review(claim, base_url="https://factcheck.example/") is None
    assert claim_review(Claim.objects.for_review().get(pk=claim.pk), base_url="https://factcheck.example/") is None


def test_the_model_refuses_to_publish_a_not_checkable_claim(claim, editor):
    claim.kind, claim.verdict = Kind.OPINION, Verdict.NOT_CHECKABLE
    claim.save()
    with pytest.raises(ValidationError, match="not checkable has no rating to publish"):
        claim.publish(by=editor, seen_version=claim.version)
    assert Claim.objects.get(pk=claim.pk).published_at is None


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_publishing_a_not_checkable_claim_is_refused_with_a_message(client, editor, claim, htmx):
    Claim.objects.filter(pk=claim.pk).update(kind=Kind.OPINION, verdict=Verdict.NOT_CHECKABLE)
    client.force_login(editor)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Publish the review" not in page
    assert "Not checkable: there is no rating to publish as a review." in page
    response = client.post(
        reverse("claim_publish", args=[claim.pk]), {"version": claim.version}, **({"headers": HTMX} if htmx else {})
    )
    message = "A claim that is not checkable has no rating to publish"
    if htmx:
        assert response.status_code == 409
        assert message in response.content.decode()
    else:
        assert response.status_code == 303
        assert message in client.get(response["Location"]).content.decode()
    assert Claim.objects.get(pk=claim.pk).published_at is None


def test_a_viewer_may_not_change_a_claims_kind(client, viewer, claim):
    client.force_login(viewer)
    response = client.post(reverse("claim_edit", args=[claim.pk]), edit_data(claim, kind="opinion"))
    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).kind == "fact"
