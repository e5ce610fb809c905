import pytest

from factcheck.models import Source

from .conftest import refused

pytestmark = pytest.mark.django_db


def test_it_lists_searches_and_filters_sources(editor_api):
    for n in range(25):
        Source.objects.create(name=f"Person {n:02}", kind=Source.Kind.PERSON)
    outlet = Source.objects.create(name="Reuters", kind=Source.Kind.OUTLET)
    first = editor_api.get("/sources").json()
    assert (first["count"], first["pages"], len(first["items"])) == (26, 2, 20)
    assert first["items"][0]["name"] == "Person 00"
    assert [s["id"] for s in editor_api.get("/sources", kind="outlet").json()["items"]] == [outlet.pk]
    assert [s["name"] for s in editor_api.get("/sources", q="reu").json()["items"]] == ["Reuters"]
    assert editor_api.get("/sources", q="person 1").json()["count"] == 10


def test_an_editor_adds_and_changes_a_source(editor_api, editor, viewer_api):
    outlet = Source.objects.create(name="GPA", kind=Source.Kind.OUTLET)
    response = editor_api.post("/sources", {"name": "A  general", "kind": "person", "affiliation": outlet.pk})
    assert response.status_code == 201, response.content
    source = Source.objects.get(pk=response.json()["id"])
    assert (source.name, source.affiliation, source.created_by) == ("A general", outlet, editor)
    assert viewer_api.get(f"/sources/{source.pk}").json()["affiliation"]["name"] == "GPA"
    response = editor_api.patch(f"/sources/{source.pk}", {"version": 1, "description": "Retired.", "affiliation": None})
    assert response.status_code == 200, response.content
    source.refresh_from_db()
    assert (source.description, source.affiliation, source.version) == ("Retired.", None, 2)
    assert source.history.first().history_user == editor


def test_source_rules_and_versions_are_kept(editor_api, viewer_api):
    source = Source.objects.create(name="A general", kind=Source.Kind.PERSON)
    body = refused(editor_api.post("/sources", {"name": "A general", "kind": "person"}), 422)
    assert body["errors"] == {"__all__": ["A source of this kind with this name already exists."]}
    body = refused(editor_api.patch(f"/sources/{source.pk}", {"version": 1, "affiliation": source.pk}), 422)
    assert body["errors"] == {"affiliation": ["A source cannot be affiliated with itself."]}
    refused(editor_api.patch(f"/sources/{source.pk}", {"version": 1, "affiliation": 999999}), 422)
    refused(viewer_api.post("/sources", {"name": "B"}), 403)
    refused(viewer_api.patch(f"/sources/{source.pk}", {"version": 1, "name": "B"}), 403)
    assert editor_api.patch(f"/sources/{source.pk}", {"version": 1, "name": "General A"}).status_code == 200
    refused(editor_api.patch(f"/sources/{source.pk}", {"version": 1, "name": "Gen. A"}), 409)
    assert list(Source.objects.values_list("name", flat=True)) == ["General A"]
    refused(editor_api.get("/sources/999999"), 404)
