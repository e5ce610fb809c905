import re

import pytest
from django.test import Client
from django.urls import reverse

from factcheck.models import Claim

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def claim(make_claim):
    return make_claim("The army is loyal to the president", "The army is loyal.")


@pytest.fixture
def url(claim):
    return reverse("claim_edit", args=[claim.pk])


@pytest.fixture
def edit(claim):
    """The edit form's data, carrying the version the editor saw: the claim's current one."""

    def data(**fields):
        claim.refresh_from_db(fields=["version"])
        return {
            "statement": "The army backs Maduro.",
            "verdict": "misleading",
            "verdict_note": "Only generals.",
            "version": claim.version,
            **fields,
        }

    return data


def unchanged(claim):
    saved = Claim.objects.get(pk=claim.pk)
    return (saved.statement, saved.verdict, saved.verdict_note) == ("The army is loyal.", "unreviewed", "")


def test_edit_page_shows_the_form_filled_in(client, editor, url, claim):
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert 'id="summary"' in html
    assert ">\nThe army is loyal.</textarea>" in html
    assert '<option value="unreviewed" selected>Unreviewed</option>' in html
    assert f'<a href="/claims/{claim.pk}/">Back to the claim</a>' in html


def test_edit_form_with_htmx_is_the_summary_region_only(client, editor, url):
    client.force_login(editor)
    response = client.get(url, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="summary" class="summary editing"')
    assert f'hx-post="{url}"' in html


def test_saving_with_htmx_answers_with_the_new_summary(client, editor, url, claim, edit):
    client.force_login(editor)
    response = client.post(url, edit(statement="  The army backs Maduro.  "), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="summary" class="summary"')
    assert '<h1 id="claim-heading">The army backs Maduro.</h1>' in html
    assert "Verdict: Misleading" in html
    assert '<span class="verdict-note">Only generals.</span>' in html
    assert "Saved." in html
    saved = Claim.objects.get(pk=claim.pk)
    assert (saved.statement, saved.verdict, saved.verdict_note) == (
        "The army backs Maduro.",
        "misleading",
        "Only generals.",
    )


def test_saving_without_htmx_goes_back_to_the_claim_page(client, editor, url, claim, edit):
    client.force_login(editor)
    response = client.post(url, edit(verdict="false", verdict_note=""))
    assert response["Location"] == f"/claims/{claim.pk}/"
    saved = Claim.objects.get(pk=claim.pk)
    assert (saved.statement, saved.verdict, saved.verdict_note) == ("The army backs Maduro.", "false", "")
    html = client.get(response["Location"]).content.decode()
    assert "Claim saved." in html
    assert "Verdict: False" in html


def test_saving_without_htmx_answers_303_see_other(client, editor, url, edit):
    client.force_login(editor)
    assert client.post(url, edit()).status_code == 303


def test_saving_leaves_the_quote_and_speaker_alone(client, editor, url, claim, edit):
    client.force_login(editor)
    client.post(url, {**edit(), "quote": "changed", "quote_start": "0", "speaker": "999"})
    saved = Claim.objects.get(pk=claim.pk)
    assert (saved.quote, saved.quote_start, saved.speaker_id) == (claim.quote, claim.quote_start, claim.speaker_id)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize(
    "change, message",
    [
        ({"statement": "   "}, "This field is required."),
        ({"verdict": "probably"}, "Select a valid choice. probably is not one of the available choices."),
        ({"verdict": ""}, "This field is required."),
    ],
    ids=["empty statement", "unknown verdict", "no verdict"],
)
def test_bad_input_shows_the_form_again_and_changes_nothing(client, editor, url, claim, change, message, htmx, edit):
    client.force_login(editor)
    options = {"headers": HTMX} if htmx else {}
    response = client.post(url, edit(**change), **options)
    assert response.status_code == 422
    html = response.content.decode()
    assert ("<html" in html) is not htmx
    assert 'id="summary"' in html
    assert "Please correct the errors below." in html
    assert message in html
    assert unchanged(claim)


def test_a_viewer_may_not_edit_a_claim(client, viewer, url, claim, edit):
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    assert client.get(url, headers=HTMX).status_code == 403
    assert client.post(url, edit()).status_code == 403
    assert client.post(url, edit(), headers=HTMX).status_code == 403
    assert unchanged(claim)


def test_an_anonymous_user_is_sent_to_log_in(client, url, claim, edit):
    response = client.post(url, edit())
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"
    assert unchanged(claim)


def test_a_post_without_csrf_token_is_refused(editor, url, claim, edit):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(url, edit()).status_code == 403
    assert client.post(url, edit(), headers=HTMX).status_code == 403
    assert unchanged(claim)


def test_an_unknown_claim_is_not_found(client, editor, edit):
    client.force_login(editor)
    assert client.get(reverse("claim_edit", args=[2_000_000_000])).status_code == 404
    assert client.post(reverse("claim_edit", args=[2_000_000_000]), edit()).status_code == 404


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_edit_form_query_count_does_not_grow_with_the_data(
    client, editor, url, claim, grow_corpus, fixed_queries, htmx
):
    client.force_login(editor)
    options = {"headers": HTMX} if htmx else {}
    assert fixed_queries(lambda: client.get(url, **options), lambda: grow_corpus(claim=claim)) == 6


def test_saving_with_htmx_query_count_does_not_grow_with_the_data(
    client, editor, url, claim, grow_corpus, fixed_queries, edit
):
    client.force_login(editor)
    assert fixed_queries(lambda: client.post(url, edit(), headers=HTMX), lambda: grow_corpus(claim=claim)) == 21


def test_a_saved_statement_is_shown_escaped(client, editor, url, edit):
    client.force_login(editor)
    html = client.post(url, edit(statement="<b>Loyal</b> & true"), headers=HTMX).content.decode()
    assert "&lt;b&gt;Loyal&lt;/b&gt; &amp; true" in html
    assert "<b>Loyal</b>" not in html


def test_after_saving_the_next_poll_keeps_the_saved_message(client, editor, url, claim, edit):
    client.force_login(editor)
    html = client.post(url, edit(), headers=HTMX).content.decode()
    assert "Saved." in html
    shown = re.search(r'id="summary"[^>]*hx-vals=\'\{"shown": "([0-9a-f]{16})"\}\'', html, re.S)[1]
    poll = client.get(claim.get_absolute_url(), {"shown": shown}, headers={**HTMX, "HX-Target": "summary"})
    assert poll.status_code == 204


def test_a_stale_save_over_a_claim_without_history_names_a_colleague(client, editor, url, claim, edit):
    claim.history.all().delete()  # as for rows written in bulk, or before history was kept
    Claim.objects.filter(pk=claim.pk).update(version=2, statement="Changed by a script.")
    client.force_login(editor)
    response = client.post(url, {**edit(), "version": 1}, headers=HTMX)
    assert response.status_code == 409
    html = response.content.decode()
    assert "A colleague saved a newer version while you were editing." in html
    assert "Changed by a script." in html
