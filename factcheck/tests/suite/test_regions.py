"""Rendered regions kept while nothing changes (factcheck.live.cached_region): a second view of an
unchanged page reads less, and no view ever shows what a change made stale, or what another role sees."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck.models import Claim, ClaimLink, Comment

HTMX = {"HX-Request": "true"}


def queries_and_html(client, url, **options):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **options)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.fixture
def claims(make_claim):
    loyal = make_claim("The army is loyal to the president", "The army is loyal.")
    not_loyal = make_claim("the army is not loyal", "The army is not loyal.")
    loyal.link(not_loyal, ClaimLink.Kind.CONTRADICTS, reason="Loyal or not.")
    return loyal, not_loyal


@pytest.mark.parametrize("page", ["home", "article", "claim", "contradictions", "claim_list"])
def test_a_second_view_of_an_unchanged_page_reads_less_and_shows_the_same(client, editor, claims, page):
    loyal, _ = claims
    url = {
        "home": reverse("home"),
        "article": loyal.article.get_absolute_url(),
        "claim": loyal.get_absolute_url(),
        "contradictions": reverse("contradiction_list"),
        "claim_list": reverse("claim_list"),
    }[page]
    client.force_login(editor)
    first_count, first = queries_and_html(client, url)
    second_count, second = queries_and_html(client, url)
    assert second_count < first_count
    assert "The army is not loyal." in second
    # The page differs only by its CSRF token.
    strip = re.compile(r'(csrfmiddlewaretoken" value=|x-csrftoken": )"[^"]+"')
    assert strip.sub("", first) == strip.sub("", second)


def test_a_colleagues_new_claim_shows_on_the_next_view_of_every_page(client, editor, claims, make_claim):
    loyal, _ = claims
    client.force_login(editor)
    urls = [reverse("home"), loyal.article.get_absolute_url(), reverse("claim_list")]
    for url in urls:
        client.get(url)
    make_claim("Opposition leaders said", "Opposition leaders spoke.")
    for url in urls:
        assert "Opposition leaders spoke." in client.get(url).content.decode(), url


def test_a_change_written_without_the_pages_shows_too(client, editor, claims):
    """The admin, the importer or a shell change the data through the models: history records them."""
    loyal, not_loyal = claims
    client.force_login(editor)
    client.get(not_loyal.get_absolute_url())
    Comment.objects.create(claim=not_loyal, body="Checked with a second source.", author=editor)
    assert "Checked with a second source." in client.get(not_loyal.get_absolute_url()).content.decode()
    not_loyal.statement = "The army is split."
    not_loyal.save()
    assert "The army is split." in client.get(loyal.get_absolute_url()).content.decode()


def test_a_viewer_never_gets_what_an_editor_was_shown(client, editor, viewer, claims):
    loyal, _ = claims
    client.force_login(editor)
    assert "Remove link" in client.get(loyal.get_absolute_url()).content.decode()
    client.force_login(viewer)
    html = client.get(loyal.get_absolute_url()).content.decode()
    assert "The army is not loyal." in html
    assert "Remove link" not in html


def test_a_notice_shown_once_is_not_kept(client, editor, claims):
    loyal, not_loyal = claims
    client.force_login(editor)
    link = ClaimLink.objects.get()
    response = client.post(reverse("link_delete", args=[link.pk]), {"claim": loyal.pk}, headers=HTMX)
    assert "Link removed." in response.content.decode()
    html = client.get(loyal.get_absolute_url()).content.decode()
    assert "Link removed." not in html
    assert "The army is not loyal." not in html.split('id="link-list"')[1].split("</div>")[0]


def test_a_poll_after_a_change_brings_it_and_an_unchanged_poll_costs_no_rendering(client, editor, claims):
    loyal, not_loyal = claims
    client.force_login(editor)
    page = client.get(loyal.get_absolute_url()).content.decode()
    stamp = page.split('id="link-list"')[1].split('"shown": "')[1].split('"')[0]
    poll = {"HX-Request": "true", "HX-Target": "link-list"}
    assert client.get(loyal.get_absolute_url(), {"shown": stamp}, headers=poll).status_code == 204
    Claim.objects.filter(pk=not_loyal.pk).get().comments.create(body="New.", author=editor)
    not_loyal.refresh_from_db()
    not_loyal.verdict = Claim.Verdict.FALSE
    not_loyal.save()
    response = client.get(loyal.get_absolute_url(), {"shown": stamp}, headers=poll)
    assert response.status_code == 200
    assert 'id="link-list"' in response.content.decode()


def test_without_keeping_every_view_renders_anew(client, editor, claims, settings):
    settings.FACTCHECK_REGION_CACHE_SECONDS = 0
    loyal, _ = claims
    client.force_login(editor)
    first_count, _ = queries_and_html(client, loyal.article.get_absolute_url())
    second_count, _ = queries_and_html(client, loyal.article.get_absolute_url())
    assert first_count == second_count
