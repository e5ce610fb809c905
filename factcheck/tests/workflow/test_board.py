"""A story's board: four columns of cards (claims and links), filtered by assignee, read by all, in fixed queries."""

import datetime

import pytest
from django.urls import reverse

from factcheck.models import Story

from .conftest import HTMX

pytestmark = pytest.mark.django_db


def board_url(story, **query):
    url = reverse("story_board", args=[story.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def column(html, status):
    start = html.index(f'id="column-{status}"')
    return html[start : html.index("</section>", start)]


def test_the_board_shows_each_claim_and_link_in_its_column(client, editor, story, claim, other, link, colleague):
    claim.assign(colleague, due_on=datetime.date(2020, 1, 1), by=editor, seen_version=claim.version)
    link.move("in_review", by=editor, seen_version=link.version)
    client.force_login(editor)
    response = client.get(board_url(story))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    for heading in ("To check", "In review", "Reviewed", "Published"):
        assert f">{heading} <span" in html
    to_check = column(html, "to_check")
    assert "The army is loyal." in to_check and "The army is not loyal." in to_check
    assert "Assigned to Ana Reyes" in to_check
    assert "Overdue:" in to_check
    assert "contradicts" in column(html, "in_review")
    assert 'name="status"' in html  # editors move cards


def test_the_board_with_htmx_is_its_fragment(client, editor, story, claim):
    client.force_login(editor)
    response = client.get(board_url(story), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="board"')


def test_viewers_read_the_board_but_may_not_move(client, viewer, story, claim, link):
    client.force_login(viewer)
    html = client.get(board_url(story)).content.decode()
    assert "The army is loyal." in html
    assert 'name="status"' not in html
    assert "draggable" not in html


def test_links_never_offer_published(client, editor, story, link):
    client.force_login(editor)
    html = client.get(board_url(story)).content.decode()
    card = html[html.index(f'id="card-link-{link.pk}"') :]
    card = card[: card.index("</li>")]
    assert 'value="published"' not in card
    assert 'value="in_review"' in card


def test_the_filter_shows_my_cards_or_an_assignees(client, editor, story, claim, other, colleague):
    claim.assign(editor, by=editor, seen_version=claim.version)
    other.assign(colleague, by=editor, seen_version=other.version)
    client.force_login(editor)
    mine = client.get(board_url(story, assignee="me")).content.decode()
    assert "The army is loyal." in mine and "The army is not loyal." not in mine
    hers = client.get(board_url(story, assignee=colleague.pk)).content.decode()
    assert "The army is not loyal." in hers and "The army is loyal." not in hers
    nobody = client.get(board_url(story, assignee="none")).content.decode()
    assert "The army is loyal." not in nobody and "The army is not loyal." not in nobody
    # Rubbish is no filter.
    assert "The army is loyal." in client.get(board_url(story, assignee="x%C2%B2")).content.decode()


def test_the_assignee_filter_lists_who_may_edit(client, editor, viewer, superuser, story, colleague):
    client.force_login(editor)
    html = client.get(board_url(story)).content.decode()
    picker = html[html.index('id="board-assignee"') : html.index("</select>", html.index('id="board-assignee"'))]
    assert "Ana Reyes" in picker and "root" in picker and "Eda" in picker
    assert "viewer" not in picker


def test_an_unknown_story_has_no_board(client, editor):
    client.force_login(editor)
    assert client.get(reverse("story_board", args=[9999])).status_code == 404


def test_a_story_without_articles_has_an_empty_board(client, editor):
    story = Story.objects.create(title="Empty")
    client.force_login(editor)
    html = client.get(board_url(story)).content.decode()
    assert "0 cards" in html


@pytest.mark.parametrize("htmx", [False, True])
def test_the_board_query_count_is_fixed(client, editor, story, claim, link, grow_story, fixed_queries, htmx):
    client.force_login(editor)
    headers = HTMX if htmx else None
    count = fixed_queries(lambda: client.get(board_url(story), headers=headers), grow_story)
    # session, user, the user's permissions (2), story, claims, links; the page's filter also lists the reviewers
    assert count == (8 if not htmx else 7)


def test_the_filtered_board_query_count_is_fixed(client, editor, story, claim, link, grow_story, fixed_queries):
    client.force_login(editor)
    assert fixed_queries(lambda: client.get(board_url(story, assignee="me")), grow_story) == 8
