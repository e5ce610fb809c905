import pytest

from factcheck.models import Article, Source
from factcheck.tests.conftest import BODY

from .conftest import refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def outlet(db):
    return Source.objects.create(name="GPA", kind=Source.Kind.OUTLET)


def test_it_lists_articles_newest_first_twenty_a_page(editor_api):
    for n in range(23):
        Article.objects.create(title=f"Report {n}", body=f"Text of report {n}.")
    first = editor_api.get("/articles").json()
    assert (first["count"], first["page"], first["pages"]) == (23, 1, 2)
    assert [a["title"] for a in first["items"][:2]] == ["Report 22", "Report 21"]
    assert "body" not in first["items"][0]
    second = editor_api.get("/articles", page=2).json()
    assert [a["title"] for a in second["items"]] == ["Report 2", "Report 1", "Report 0"]
    assert editor_api.get("/articles", page=99).json()["page"] == 2


def test_it_searches_and_filters_by_outlet(editor_api, outlet):
    Article.objects.create(title="Army loyal", body="The army is loyal.", outlet=outlet)
    Article.objects.create(title="Army split", body="The army is split.")
    Article.objects.create(title="Weather", body="Sunny.", outlet=outlet)
    found = editor_api.get("/articles", q="army").json()
    assert sorted(a["title"] for a in found["items"]) == ["Army loyal", "Army split"]
    found = editor_api.get("/articles", q="army", outlet=outlet.pk).json()
    assert [a["title"] for a in found["items"]] == ["Army loyal"]
    assert found["items"][0]["outlet"] == {"id": outlet.pk, "name": "GPA", "kind": "outlet"}


def test_it_reads_an_article_with_its_text(editor_api, article):
    response = editor_api.get(f"/articles/{article.pk}")
    assert response.status_code == 200
    assert response.json()["body"] == BODY
    assert response.json()["version"] == 1
    assert refused(editor_api.get("/articles/999999"), 404)["detail"] == "No article with this id."


def test_a_viewer_reads(viewer_api, article):
    assert viewer_api.get(f"/articles/{article.pk}").status_code == 200
    assert viewer_api.get("/articles").status_code == 200


def test_an_editor_adds_an_article_recorded_as_theirs(editor_api, editor, outlet):
    data = {"title": "New", "body": "Line one.\r\nLine two.", "outlet": outlet.pk, "published_on": "2019-01-23"}
    response = editor_api.post("/articles", data)
    assert response.status_code == 201, response.content
    article = Article.objects.get(pk=response.json()["id"])
    assert article.body == "Line one.\nLine two."
    assert article.added_by == editor
    assert article.history.get().history_user == editor
    assert response.json()["published_on"] == "2019-01-23"


def test_the_same_text_twice_is_refused_naming_the_article(editor_api, article):
    body = refused(editor_api.post("/articles", {"title": "Again", "body": BODY}), 409)
    assert body["detail"] == f"This text is already recorded as article {article.pk}."
    assert list(body["errors"]) == ["body"]
    assert Article.objects.count() == 1


def test_bad_input_gets_each_fields_message_and_saves_nothing(editor_api, outlet):
    person = Source.objects.create(name="Someone", kind=Source.Kind.PERSON)
    body = refused(editor_api.post("/articles", {"title": "", "body": "Text.", "url": "not a url"}), 422)
    assert body["errors"] == {"title": ["This field cannot be blank."], "url": ["Enter a valid URL."]}
    body = refused(editor_api.post("/articles", {"title": "T", "body": "Text.", "outlet": person.pk}), 422)
    assert body["errors"] == {"outlet": ["No outlet with this id."]}
    body = refused(editor_api.post("/articles", {"body": "Text\x00."}), 422)
    assert body["errors"] == {"title": ["Field required"], "body": ["Null characters are not allowed."]}
    assert refused(editor_api.call("POST", "/articles", None), 422)["errors"]
    assert Article.objects.count() == 0


def test_a_viewer_cannot_add_or_change(viewer_api, article):
    body = refused(viewer_api.post("/articles", {"title": "New", "body": "Text."}), 403)
    assert "only read" in body["detail"]
    refused(viewer_api.patch(f"/articles/{article.pk}", {"version": 1, "title": "Changed"}), 403)
    article.refresh_from_db()
    assert (Article.objects.count(), article.title, article.version) == (1, "Army loyal?", 1)


def test_an_editor_changes_an_article_with_the_version_read(editor_api, editor, article):
    response = editor_api.patch(f"/articles/{article.pk}", {"version": 1, "title": "Army loyal, says minister"})
    assert response.status_code == 200, response.content
    assert (response.json()["title"], response.json()["version"]) == ("Army loyal, says minister", 2)
    article.refresh_from_db()
    assert (article.title, article.body, article.version) == ("Army loyal, says minister", BODY, 2)
    assert article.history.first().history_user == editor


def test_a_stale_version_is_refused_and_changes_nothing(editor_api, article):
    assert editor_api.patch(f"/articles/{article.pk}", {"version": 1, "title": "First"}).status_code == 200
    body = refused(editor_api.patch(f"/articles/{article.pk}", {"version": 1, "title": "Second"}), 409)
    assert "Someone saved this" in body["detail"]
    article.refresh_from_db()
    assert (article.title, article.version) == ("First", 2)


def test_a_new_text_moves_the_claims_as_the_edit_page_does(editor_api, make_claim, article):
    claim = make_claim("the army is not loyal")
    response = editor_api.patch(f"/articles/{article.pk}", {"version": 1, "body": "Update.\n" + BODY})
    assert response.status_code == 200, response.content
    claim.refresh_from_db()
    assert claim.quote_start == len("Update.\n") + BODY.index("the army is not loyal")


def test_a_change_that_breaks_a_rule_is_refused_with_its_message(editor_api, article):
    Article.objects.create(title="Other", body="Other text.", url="https://example.org/a")
    body = refused(editor_api.patch(f"/articles/{article.pk}", {"version": 1, "url": "https://example.org/a"}), 422)
    assert body["errors"] == {"__all__": ["An article with this URL is already recorded."]}
    body = refused(editor_api.patch(f"/articles/{article.pk}", {"version": 1, "body": ""}), 422)
    assert body["errors"] == {"body": ["This field cannot be blank."]}
    article.refresh_from_db()
    assert (article.url, article.body, article.version) == ("", BODY, 1)
