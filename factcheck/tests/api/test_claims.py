import pytest

from factcheck.models import Article, Claim, Source
from factcheck.tests.conftest import BODY

from .conftest import refused

pytestmark = pytest.mark.django_db


def _new(article, speaker, **fields):
    return {"article": article.pk, "speaker": speaker.pk, "statement": "The army is loyal.", **fields}


def test_it_lists_claims_newest_first_with_filters(editor_api, make_claim, article, speaker):
    loyal = make_claim("The army is loyal to the president")
    not_loyal = make_claim("the army is not loyal")
    other_speaker = Source.objects.create(name="Opposition", kind=Source.Kind.ORGANISATION)
    Claim.objects.filter(pk=not_loyal.pk).update(speaker=other_speaker, verdict="false")
    listed = editor_api.get("/claims").json()
    assert [c["id"] for c in listed["items"]] == [not_loyal.pk, loyal.pk]
    assert listed["items"][1]["speaker"] == {"id": speaker.pk, "name": "A minister", "kind": "government"}
    assert listed["items"][1]["article"] == {"id": article.pk, "title": "Army loyal?"}
    assert [c["id"] for c in editor_api.get("/claims", speaker=speaker.pk).json()["items"]] == [loyal.pk]
    assert [c["id"] for c in editor_api.get("/claims", verdict="false").json()["items"]] == [not_loyal.pk]
    other = Article.objects.create(title="Other", body="Nothing here.")
    assert editor_api.get("/claims", article=other.pk).json()["count"] == 0
    assert refused(editor_api.get("/claims", verdict="wrong"), 422)["errors"]["verdict"]


def test_it_searches_claims(editor_api, make_claim):
    make_claim("The army is loyal to the president", statement="The army backs the president.")
    make_claim("Opposition leaders", statement="Opposition leaders speak.")
    found = editor_api.get("/claims", q="president").json()
    assert [c["statement"] for c in found["items"]] == ["The army backs the president."]


def test_it_reads_a_claim(viewer_api, make_claim):
    claim = make_claim("the army is not loyal")
    response = viewer_api.get(f"/claims/{claim.pk}")
    assert response.status_code == 200
    body = response.json()
    assert (body["quote"], body["quote_start"], body["quote_end"]) == (
        "the army is not loyal",
        BODY.index("the army is not loyal"),
        BODY.index("the army is not loyal") + len("the army is not loyal"),
    )
    refused(viewer_api.get("/claims/424242"), 404)


def test_an_editor_adds_a_claim_placed_on_its_quote(editor_api, editor, article, speaker):
    response = editor_api.post("/claims", _new(article, speaker, quote="Opposition leaders said"))
    assert response.status_code == 201, response.content
    claim = Claim.objects.get(pk=response.json()["id"])
    assert claim.quote_start == BODY.index("Opposition leaders said")
    assert claim.created_by == editor
    assert claim.history.get().history_user == editor


def test_a_quote_not_in_the_text_or_found_twice_is_refused(editor_api, article, speaker):
    body = refused(editor_api.post("/claims", _new(article, speaker, quote="not in the article")), 422)
    assert body["errors"] == {"quote": ["This passage does not appear in the article."]}
    body = refused(editor_api.post("/claims", _new(article, speaker, quote="army is")), 422)
    assert "appears 2 times" in body["errors"]["quote"][0]
    at = BODY.rindex("army is")
    assert editor_api.post("/claims", _new(article, speaker, quote="army is", quote_start=at)).status_code == 201
    assert Claim.objects.get().quote_start == at


def test_bad_claim_input_names_each_field_and_saves_nothing(editor_api, article):
    data = {"article": 999999, "speaker": 999999, "statement": "  ", "quote": "army"}
    body = refused(editor_api.post("/claims", data), 422)
    assert body["errors"] == {
        "statement": ["Say what the claim is, in neutral words."],
        "speaker": ["No source with this id."],
        "article": ["No article with this id."],
    }
    body = refused(editor_api.post("/claims", {"article": 0, "quote": 5}), 422)
    assert set(body["errors"]) == {"article", "quote", "statement", "speaker"}
    assert Claim.objects.count() == 0 and Source.objects.count() == 0


def test_a_viewer_cannot_add_or_change_claims(viewer_api, article, speaker, make_claim):
    refused(viewer_api.post("/claims", _new(article, speaker, quote="Opposition leaders said")), 403)
    claim = make_claim("the army is not loyal")
    refused(viewer_api.patch(f"/claims/{claim.pk}", {"version": 1, "verdict": "false"}), 403)
    claim.refresh_from_db()
    assert (Claim.objects.count(), claim.verdict, claim.version) == (1, "unreviewed", 1)


def test_an_editor_changes_the_verdict_with_the_version_read(editor_api, editor, make_claim):
    claim = make_claim("the army is not loyal")
    response = editor_api.patch(f"/claims/{claim.pk}", {"version": 1, "verdict": "false", "verdict_note": "See X."})
    assert response.status_code == 200, response.content
    assert (response.json()["verdict"], response.json()["version"]) == ("false", 2)
    claim.refresh_from_db()
    assert (claim.verdict, claim.verdict_note, claim.statement) == ("false", "See X.", "Says: the army is not loyal")
    assert claim.history.first().history_user == editor


def test_a_stale_claim_version_is_refused(editor_api, make_claim):
    claim = make_claim("the army is not loyal")
    assert editor_api.patch(f"/claims/{claim.pk}", {"version": 1, "statement": "Mine."}).status_code == 200
    refused(editor_api.patch(f"/claims/{claim.pk}", {"version": 1, "statement": "Theirs."}), 409)
    assert Claim.objects.get().statement == "Mine."


def test_bad_changes_are_refused_with_messages(editor_api, make_claim):
    claim = make_claim("the army is not loyal")
    body = refused(editor_api.patch(f"/claims/{claim.pk}", {"version": 1, "verdict": "maybe"}), 422)
    assert list(body["errors"]) == ["verdict"]
    body = refused(editor_api.patch(f"/claims/{claim.pk}", {"version": 1, "statement": " "}), 422)
    assert body["errors"] == {"statement": ["This field cannot be blank."]}
    body = refused(editor_api.patch(f"/claims/{claim.pk}", {"statement": "No version."}), 422)
    assert body["errors"] == {"version": ["Field required"]}
    claim.refresh_from_db()
    assert (claim.statement, claim.version) == ("Says: the army is not loyal", 1)


def test_an_orphaned_claim_is_placed_again(editor_api, make_claim):
    claim = make_claim("the army is not loyal")
    Claim.objects.filter(pk=claim.pk).update(quote_start=None)
    body = refused(editor_api.patch(f"/claims/{claim.pk}", {"version": 1, "quote": "nowhere"}), 422)
    assert body["errors"] == {"quote": ["This passage does not appear in the article."]}
    response = editor_api.patch(f"/claims/{claim.pk}", {"version": 1, "quote": "Opposition leaders"})
    assert response.status_code == 200, response.content
    assert response.json()["quote_start"] == BODY.index("Opposition leaders")
    claim.refresh_from_db()
    assert (claim.quote, claim.quote_start) == ("Opposition leaders", BODY.index("Opposition leaders"))
