import pytest

from factcheck.models import Comment

from .conftest import refused

pytestmark = pytest.mark.django_db


def test_an_editor_comments_on_a_claim_and_a_link(editor_api, viewer_api, editor, make_claim):
    claim = make_claim("the army is not loyal")
    other = make_claim("Opposition leaders")
    link = claim.link(other, "supports")
    response = editor_api.post(f"/claims/{claim.pk}/comments", {"body": "  Which minister?  "})
    assert response.status_code == 201, response.content
    assert (response.json()["body"], response.json()["author"]) == ("Which minister?", "editor")
    assert editor_api.post(f"/links/{link.pk}/comments", {"body": "Agreed."}).status_code == 201
    assert [c["body"] for c in viewer_api.get(f"/claims/{claim.pk}/comments").json()] == ["Which minister?"]
    assert [c["body"] for c in viewer_api.get(f"/links/{link.pk}/comments").json()] == ["Agreed."]
    assert Comment.history.first().history_user == editor


def test_bad_comments_are_refused(editor_api, viewer_api, make_claim):
    claim = make_claim("the army is not loyal")
    assert refused(editor_api.post(f"/claims/{claim.pk}/comments", {"body": " "}), 422)["errors"] == {
        "body": ["This field cannot be blank."]
    }
    body = refused(editor_api.post(f"/claims/{claim.pk}/comments", {"body": "x" * 5001}), 422)
    assert body["errors"] == {"body": ["String should have at most 5000 characters"]}
    refused(viewer_api.post(f"/claims/{claim.pk}/comments", {"body": "Mine."}), 403)
    refused(editor_api.post("/claims/999999/comments", {"body": "Lost."}), 404)
    refused(editor_api.get("/links/999999/comments"), 404)
    assert Comment.objects.count() == 0
