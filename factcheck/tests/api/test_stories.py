"""Stories through the API: made, changed, their articles and events, a claim's event and tags, exported."""

import pytest

from factcheck.models import Claim, ClaimLink, Event, Story, StoryArticle

from .conftest import refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(editor, article):
    story = Story.objects.create(title="Army loyalty", summary="Who stands by whom.", created_by=editor)
    StoryArticle.objects.create(story=story, article=article)
    return story


def test_an_editor_drives_a_story_from_start_to_export(editor_api, editor, article, make_claim):
    loyal = make_claim("The army is loyal to the president", "The army is loyal")
    not_loyal = make_claim("the army is not loyal", "The army is not loyal")
    loyal.link(not_loyal, ClaimLink.Kind.CONTRADICTS, reason="Loyal, or not.")

    made = editor_api.post("/stories", {"title": "  Army   loyalty ", "summary": "Who stands by whom."})
    assert made.status_code == 201, made.content
    story = made.json()
    assert (story["title"], story["created_by"], story["articles"], story["events"]) == (
        "Army loyalty",
        "editor",
        [],
        [],
    )
    added = editor_api.call("PUT", f"/stories/{story['id']}/articles/{article.pk}")
    assert added.status_code == 200
    assert added.json()["articles"] == [{"id": article.pk, "title": article.title}]

    event = editor_api.post(
        f"/stories/{story['id']}/events",
        {"name": "Barracks revolt", "starts_on": "2019-04-30", "ends_on": "2019-05-01"},
    )
    assert event.status_code == 201, event.content
    scoped = editor_api.call(
        "PUT",
        f"/claims/{loyal.pk}/scope",
        {"version": loyal.version, "event": event.json()["id"], "tags": ["Russia", " army ", "russia"]},
    )
    assert scoped.status_code == 200, scoped.content
    assert scoped.json()["event"] == {"id": event.json()["id"], "name": "Barracks revolt"}
    assert sorted(scoped.json()["tags"]) == ["Russia", "army"]

    claims = editor_api.get(f"/stories/{story['id']}/claims").json()
    assert [c["statement"] for c in claims["items"]] == ["The army is loyal", "The army is not loyal"]
    assert [c["number"] for c in claims["items"]] == [1, 2]
    links = editor_api.get(f"/stories/{story['id']}/links").json()
    assert [link["reason"] for link in links["items"]] == ["Loyal, or not."]

    changed = editor_api.patch(f"/stories/{story['id']}", {"version": story["version"], "summary": "Loyal or not."})
    assert changed.status_code == 200
    assert changed.json()["summary"] == "Loyal or not."
    assert Story.objects.get().history.first().history_user == editor


def test_a_stale_version_is_409_and_the_story_keeps_the_colleagues_change(editor_api, story):
    Story.objects.filter(pk=story.pk).update(version=2, title="Army loyalty, 2019")
    response = editor_api.patch(f"/stories/{story.pk}", {"version": 1, "title": "Mine"})
    refused(response, 409)
    assert Story.objects.get().title == "Army loyalty, 2019"


def test_a_title_already_taken_whatever_its_case_is_422(editor_api, story):
    body = refused(editor_api.post("/stories", {"title": "ARMY LOYALTY"}), 422)
    assert body["errors"] == {"__all__": ["A story with this title exists."]}
    assert Story.objects.count() == 1


def test_an_event_ending_before_it_starts_is_422_and_nothing_is_saved(editor_api, story):
    body = refused(
        editor_api.post(
            f"/stories/{story.pk}/events", {"name": "Odd", "starts_on": "2019-05-02", "ends_on": "2019-05-01"}
        ),
        422,
    )
    assert body["errors"] == {"__all__": ["An event ends on or after the day it starts."]}
    assert not Event.objects.exists()


def test_an_event_of_another_story_cannot_scope_a_claim(editor_api, story, make_claim, editor):
    claim = make_claim("The army is loyal to the president")
    other = Story.objects.create(title="Elsewhere")
    event = Event.objects.create(story=other, name="Not this one")
    body = refused(editor_api.call("PUT", f"/claims/{claim.pk}/scope", {"version": 1, "event": event.pk}), 422)
    assert "event" in body["errors"]
    assert Claim.objects.get().event is None


def test_taking_an_article_out_of_a_story_clears_its_claims_events(editor_api, story, article, make_claim):
    claim = make_claim("The army is loyal to the president")
    event = Event.objects.create(story=story, name="Barracks revolt")
    Claim.objects.filter(pk=claim.pk).update(event=event)
    response = editor_api.delete(f"/stories/{story.pk}/articles/{article.pk}")
    assert response.status_code == 200
    assert response.json()["articles"] == []
    assert Claim.objects.get().event is None
    refused(editor_api.delete(f"/stories/{story.pk}/articles/{article.pk}"), 404)


def test_an_event_is_changed_with_its_version_and_removed(editor_api, story):
    event = Event.objects.create(story=story, name="Revolt")
    changed = editor_api.patch(f"/events/{event.pk}", {"version": 1, "name": "Barracks  revolt"})
    assert changed.status_code == 200
    assert changed.json()["name"] == "Barracks revolt"
    refused(editor_api.patch(f"/events/{event.pk}", {"version": 1, "name": "Stale"}), 409)
    assert editor_api.delete(f"/events/{event.pk}").status_code == 204
    assert not Event.objects.exists()


def test_a_viewer_reads_stories_but_changes_nothing(viewer_api, story, article):
    assert viewer_api.get("/stories").json()["items"][0]["title"] == "Army loyalty"
    assert viewer_api.get(f"/stories/{story.pk}").status_code == 200
    refused(viewer_api.post("/stories", {"title": "Mine"}), 403)
    refused(viewer_api.patch(f"/stories/{story.pk}", {"version": 1, "title": "Mine"}), 403)
    refused(viewer_api.delete(f"/stories/{story.pk}/articles/{article.pk}"), 403)
    refused(viewer_api.post(f"/stories/{story.pk}/events", {"name": "Mine"}), 403)
    assert Story.objects.get().title == "Army loyalty"
    assert StoryArticle.objects.count() == 1


def test_stories_are_searched_by_title_or_summary(editor_api, story):
    Story.objects.create(title="Aid convoy", summary="The February border crossing.")
    assert [s["title"] for s in editor_api.get("/stories", q="border").json()["items"]] == ["Aid convoy"]
    assert [s["title"] for s in editor_api.get("/stories", q="stands").json()["items"]] == ["Army loyalty"]
