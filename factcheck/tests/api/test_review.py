"""The review workflow through the API: assignments, the board's columns, notifications."""

import pytest
from django.contrib.auth.models import Group, User

from factcheck.models import ApiToken, Claim, ClaimLink, Notification

from .conftest import Api, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db):
    user = User.objects.create_user("ana", password="pw-ana-123", first_name="Ana", email="ana@example.org")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def colleague_api(colleague):
    return Api(ApiToken.issue(colleague, "tests")[1])


def test_assigning_a_claim_tells_the_assignee_in_the_app_and_by_mail(
    editor_api, colleague_api, colleague, make_claim, mailoutbox, django_capture_on_commit_callbacks
):
    claim = make_claim("The army is loyal to the president", "The army is loyal")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_api.call(
            "PUT", f"/claims/{claim.pk}/assignment", {"version": 1, "assignee": "ana", "due_on": "2019-05-02"}
        )
    assert response.status_code == 200, response.content
    assert (response.json()["assignee"], response.json()["due_on"]) == ("ana", "2019-05-02")
    notes = colleague_api.get("/notifications").json()
    assert notes["unread"] == 1
    assert notes["items"][0]["message"] == "Eda assigned you the claim “The army is loyal”, due 2 May 2019"
    assert notes["items"][0]["claim"] == claim.pk
    [mail] = mailoutbox
    assert mail.to == ["ana@example.org"]
    assert "Eda assigned you the claim" in mail.subject
    read = colleague_api.post("/notifications/read", {"ids": None})
    assert read.json()["unread"] == 0


def test_only_an_editor_can_be_assigned(editor_api, viewer, make_claim):
    claim = make_claim("The army is loyal to the president")
    body = refused(editor_api.call("PUT", f"/claims/{claim.pk}/assignment", {"version": 1, "assignee": "viewer"}), 422)
    assert body["errors"] == {"assignee": ["No editor with this username."]}
    assert Claim.objects.get().assignee is None


def test_a_claim_moves_across_the_board_and_into_published_only_with_a_verdict(editor_api, make_claim):
    claim = make_claim("The army is loyal to the president")
    moved = editor_api.post(f"/claims/{claim.pk}/move", {"version": 1, "review_status": "in_review"})
    assert moved.json()["review_status"] == "in_review"
    body = refused(editor_api.post(f"/claims/{claim.pk}/move", {"version": 2, "review_status": "published"}), 422)
    assert "give it a verdict first" in " ".join(body["errors"]["__all__"])
    Claim.objects.filter(pk=claim.pk).update(verdict=Claim.Verdict.FALSE)
    published = editor_api.post(f"/claims/{claim.pk}/move", {"version": 2, "review_status": "published"})
    assert published.status_code == 200, published.content
    assert Claim.objects.get().is_published
    back = editor_api.post(f"/claims/{claim.pk}/move", {"version": 3, "review_status": "in_review"})
    assert back.json()["review_status"] == "in_review"
    assert not Claim.objects.get().is_published


def test_a_stale_move_is_409(editor_api, make_claim):
    claim = make_claim("The army is loyal to the president")
    Claim.objects.filter(pk=claim.pk).update(version=3)
    refused(editor_api.post(f"/claims/{claim.pk}/move", {"version": 1, "review_status": "reviewed"}), 409)
    assert Claim.objects.get().review_status == "to_check"


def test_a_link_is_reviewed_but_never_published(editor_api, make_claim, colleague, colleague_api):
    one, other = make_claim("The army is loyal to the president"), make_claim("the army is not loyal")
    link = one.link(other, ClaimLink.Kind.CONTRADICTS, reason="Loyal, or not.")
    assigned = editor_api.call("PUT", f"/links/{link.pk}/assignment", {"version": 1, "assignee": "ana"})
    assert assigned.json()["assignee"] == "ana"
    refused(editor_api.post(f"/links/{link.pk}/move", {"version": 2, "review_status": "published"}), 422)
    reviewed = editor_api.post(f"/links/{link.pk}/move", {"version": 2, "review_status": "reviewed"})
    assert reviewed.json()["review_status"] == "reviewed"
    assert colleague_api.get("/notifications").json()["items"][0]["link"] == link.pk


def test_a_viewer_can_neither_assign_nor_move(viewer_api, make_claim, editor):
    claim = make_claim("The army is loyal to the president")
    refused(viewer_api.call("PUT", f"/claims/{claim.pk}/assignment", {"version": 1, "assignee": "editor"}), 403)
    refused(viewer_api.post(f"/claims/{claim.pk}/move", {"version": 1, "review_status": "reviewed"}), 403)
    assert Claim.objects.get().review_status == "to_check"


def test_each_sees_only_their_own_notifications(editor_api, viewer_api, editor, make_claim):
    claim = make_claim("The army is loyal to the president")
    Notification.send([editor.pk], Notification.Verb.COMMENTED, about=claim, says="commented on your claim")
    assert editor_api.get("/notifications").json()["count"] == 1
    assert viewer_api.get("/notifications").json()["count"] == 0
    viewer_api.post("/notifications/read", {"ids": [Notification.objects.get().pk]})
    assert Notification.objects.get().read_at is None
    assert editor_api.get("/notifications", unread="true").json()["unread"] == 1
