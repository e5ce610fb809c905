import pytest

from factcheck.models import ClaimLink, Comment

from .conftest import refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(make_claim):
    return make_claim("The army is loyal to the president"), make_claim("the army is not loyal")


def test_an_editor_links_two_claims(editor_api, editor, claims):
    loyal, not_loyal = claims
    data = {"from_claim": not_loyal.pk, "to_claim": loyal.pk, "kind": "contradicts", "reason": "Opposite."}
    response = editor_api.post("/links", data)
    assert response.status_code == 201, response.content
    link = ClaimLink.objects.get()
    # Stored in the one order for a symmetric kind, as the pages store it.
    assert (link.from_claim, link.to_claim, link.created_by) == (loyal, not_loyal, editor)
    assert response.json()["created_by"] == "editor"
    assert link.history.get().history_user == editor


def test_the_same_link_twice_is_refused(editor_api, claims):
    loyal, not_loyal = claims
    data = {"from_claim": loyal.pk, "to_claim": not_loyal.pk, "kind": "contradicts", "reason": "Opposite."}
    assert editor_api.post("/links", data).status_code == 201
    # Either way round, as a contradiction goes both ways.
    reverse = {**data, "from_claim": not_loyal.pk, "to_claim": loyal.pk}
    body = refused(editor_api.post("/links", reverse), 422)
    assert body["errors"] == {"__all__": ["These claims are already linked this way."]}
    assert ClaimLink.objects.count() == 1


def test_the_same_link_made_by_a_colleague_at_the_same_instant_is_a_conflict(editor_api, claims, monkeypatch):
    loyal, not_loyal = claims
    theirs = loyal.link(not_loyal, "supports")
    # As if the colleague's link was saved between this request's check and its write.
    monkeypatch.setattr(ClaimLink, "validate_constraints", lambda self, exclude=None: None)
    body = refused(
        editor_api.post("/links", {"from_claim": loyal.pk, "to_claim": not_loyal.pk, "kind": "supports"}), 409
    )
    assert body["detail"] == f"A colleague has just made this same link: link {theirs.pk}."
    assert ClaimLink.objects.count() == 1


def test_bad_links_are_refused_with_messages(editor_api, claims):
    loyal, not_loyal = claims
    body = refused(
        editor_api.post("/links", {"from_claim": loyal.pk, "to_claim": not_loyal.pk, "kind": "contradicts"}), 422
    )
    assert body["errors"] == {"reason": ["Say why these claims contradict each other."]}
    body = refused(editor_api.post("/links", {"from_claim": loyal.pk, "to_claim": loyal.pk, "kind": "supports"}), 422)
    assert body["errors"] == {"__all__": ["A claim cannot be linked to itself."]}
    body = refused(editor_api.post("/links", {"from_claim": loyal.pk, "to_claim": 999999, "kind": "supports"}), 422)
    assert body["errors"] == {"to_claim": ["No claim with this id."]}
    body = refused(editor_api.post("/links", {"from_claim": loyal.pk, "to_claim": not_loyal.pk, "kind": "agrees"}), 422)
    assert list(body["errors"]) == ["kind"]
    assert ClaimLink.objects.count() == 0


def test_it_lists_links_by_kind_and_claim(editor_api, viewer_api, claims, make_claim):
    loyal, not_loyal = claims
    third = make_claim("Opposition leaders")
    supports = loyal.link(third, "supports")
    contradicts = loyal.link(not_loyal, "contradicts", reason="Opposite.")
    assert [link["id"] for link in viewer_api.get("/links").json()["items"]] == [contradicts.pk, supports.pk]
    assert [link["id"] for link in viewer_api.get("/links", kind="supports").json()["items"]] == [supports.pk]
    assert [link["id"] for link in viewer_api.get("/links", claim=third.pk).json()["items"]] == [supports.pk]
    assert viewer_api.get(f"/links/{supports.pk}").json()["from_claim"] == {
        "id": loyal.pk,
        "statement": loyal.statement,
    }
    assert viewer_api.get(f"/links/{supports.pk}").json()["created_by"] is None


def test_an_editor_removes_a_link_with_its_discussion(editor_api, viewer_api, editor, claims):
    link = claims[0].link(claims[1], "supports")
    Comment.post(link, "Is it?", by=editor)
    refused(viewer_api.delete(f"/links/{link.pk}"), 403)
    assert ClaimLink.objects.count() == 1
    response = editor_api.delete(f"/links/{link.pk}")
    assert response.status_code == 204
    assert (ClaimLink.objects.count(), Comment.objects.count()) == (0, 0)
    assert ClaimLink.history.first().history_user == editor
    refused(editor_api.delete(f"/links/{link.pk}"), 404)
