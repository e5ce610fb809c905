"""Moving a card: the new column over the version seen; the board back (htmx) or a 303 to it; a colleague's move
meanwhile is a 409 with the board as it is; a rule broken (an unreviewed claim published) a 422 with its words."""

import pytest
from django.test import Client
from django.urls import reverse

from factcheck.models import Claim, ClaimLink, ReviewStatus

from .conftest import HTMX

pytestmark = pytest.mark.django_db


def move(client, item, status, *, version=None, story=None, headers=None, **extra):
    kind = "link" if isinstance(item, ClaimLink) else "claim"
    data = {"status": status, "version": item.version if version is None else version, **extra}
    if story is not None:
        data["story"] = story.pk
    return client.post(reverse(f"{kind}_move", args=[item.pk]), data, headers=headers)


def test_moving_on_the_board_with_htmx_answers_the_board(client, editor, story, claim):
    client.force_login(editor)
    response = move(client, claim, "in_review", story=story, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="board"' in html
    assert 'hx-swap-oob="innerHTML"' in html and "Moved “The army is loyal.” to In review." in html
    assert f'id="card-claim-{claim.pk}" tabindex="-1"' in html
    claim.refresh_from_db()
    assert claim.review_status == ReviewStatus.IN_REVIEW
    assert claim.version == 2
    assert claim.history.first().history_user == editor


def test_moving_without_htmx_goes_back_to_the_board_with_its_filter(client, editor, story, claim):
    client.force_login(editor)
    response = move(client, claim, "in_review", story=story, assignee="me")
    assert response.status_code == 303
    assert response["Location"] == reverse("story_board", args=[story.pk]) + "?assignee=me"
    page = client.get(response["Location"]).content.decode()
    assert "Moved “The army is loyal.” to In review." in page


def test_moving_from_the_claim_page_answers_its_review_block(client, editor, claim):
    client.force_login(editor)
    response = move(client, claim, "in_review", headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="assignment"')
    assert "Moved “The army is loyal.” to In review." in html
    response = move(client, Claim.objects.get(pk=claim.pk), "reviewed")
    assert response.status_code == 303
    assert response["Location"] == claim.get_absolute_url()


def test_a_link_moves_too_but_is_never_published(client, editor, story, link):
    client.force_login(editor)
    assert move(client, link, "reviewed", story=story).status_code == 303
    link.refresh_from_db()
    assert link.review_status == ReviewStatus.REVIEWED
    response = move(client, link, "published", story=story, headers=HTMX)
    assert response.status_code == 422
    assert "A link is not published" in response.content.decode()
    link.refresh_from_db()
    assert link.review_status == ReviewStatus.REVIEWED


def test_a_stale_version_is_a_conflict_with_the_board_as_it_is(client, editor, colleague, story, claim):
    seen = claim.version
    claim.move("in_review", by=colleague, seen_version=seen)
    client.force_login(editor)
    response = move(client, claim, "reviewed", version=seen, story=story, headers=HTMX)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Ana Reyes changed “The army is loyal.” since you loaded this page" in html
    assert f"you saw version {seen}; it is now version {seen + 1}, in In review" in html
    assert "The army is loyal." in html[html.index('id="column-in_review"') :]
    assert Claim.objects.get(pk=claim.pk).review_status == ReviewStatus.IN_REVIEW


def test_a_stale_version_without_htmx_is_the_whole_board_with_the_message(client, editor, colleague, story, claim):
    seen = claim.version
    claim.move("in_review", by=colleague, seen_version=seen)
    client.force_login(editor)
    response = move(client, claim, "reviewed", version=seen, story=story)
    assert response.status_code == 409
    html = response.content.decode()
    assert "<html" in html and "Nothing was moved" in html


def test_publishing_an_unreviewed_claim_says_why_not(client, editor, story, claim):
    client.force_login(editor)
    response = move(client, claim, "published", story=story, headers=HTMX)
    assert response.status_code == 422
    assert "An unreviewed claim has nothing to publish: give it a verdict first." in response.content.decode()
    assert not Claim.objects.get(pk=claim.pk).is_published
    response = move(client, claim, "published", story=story)
    assert response.status_code == 422
    assert "An unreviewed claim has nothing to publish" in response.content.decode()


def test_publishing_and_unpublishing_by_moving(client, editor, story, claim):
    claim.verdict = Claim.Verdict.FALSE
    claim.save()
    client.force_login(editor)
    assert move(client, claim, "published", story=story).status_code == 303
    claim.refresh_from_db()
    assert claim.is_published and claim.published_by == editor and claim.review_status == "published"
    # Back to "in review": unpublished, then moved, as one change.
    assert move(client, claim, "in_review", story=story).status_code == 303
    claim.refresh_from_db()
    assert not claim.is_published and claim.review_status == "in_review"


def test_a_bad_column_or_a_missing_version_is_refused(client, editor, story, claim):
    client.force_login(editor)
    response = move(client, claim, "lost", story=story, headers=HTMX)
    assert response.status_code == 422
    assert "Choose one of the board" in response.content.decode()
    response = client.post(reverse("claim_move", args=[claim.pk]), {"status": "reviewed", "story": story.pk})
    assert response.status_code == 422
    assert "lacks the version" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).version == claim.version


def test_the_same_column_changes_nothing(client, editor, story, claim):
    client.force_login(editor)
    response = move(client, claim, "to_check", story=story, headers=HTMX)
    assert response.status_code == 200
    assert "is already in To check" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).version == claim.version


def test_viewers_may_not_move(client, viewer, story, claim, link):
    client.force_login(viewer)
    assert move(client, claim, "in_review", story=story).status_code == 403
    assert move(client, link, "in_review", story=story, headers=HTMX).status_code == 403
    assert Claim.objects.get(pk=claim.pk).review_status == "to_check"


def test_moving_needs_the_csrf_token(editor, story, claim):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert move(client, claim, "in_review", story=story).status_code == 403


def test_moving_on_a_missing_story_is_not_found(client, editor, claim):
    client.force_login(editor)
    response = client.post(reverse("claim_move", args=[claim.pk]), {"status": "in_review", "version": 1, "story": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("htmx", [False, True])
def test_moving_query_count_is_fixed(client, editor, story, claim, link, grow_story, fixed_queries, htmx):
    client.force_login(editor)
    statuses = iter(["in_review", "to_check"] * 5)

    def moved():
        fresh = Claim.objects.get(pk=claim.pk)
        return move(client, fresh, next(statuses), story=story, headers=HTMX if htmx else None)

    count = fixed_queries(moved, grow_story, status=200 if htmx else 303)
    assert count == (18 if htmx else 16)  # with the test's own read of the claim
