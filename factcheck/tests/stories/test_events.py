import datetime

import pytest
from django.urls import reverse

from factcheck.models import Claim, Event, Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(db):
    return Story.objects.create(title="Venezuela coup plots, 2018-19")


@pytest.fixture
def event(story):
    return Event.objects.create(
        story=story, name="30 April uprising", starts_on=datetime.date(2019, 4, 30), ends_on=datetime.date(2019, 5, 1)
    )


def event_data(**fields):
    return {"name": "23 February aid convoy", "starts_on": "2019-02-23", "ends_on": "", "description": "", **fields}


def test_new_event_form_is_offered_to_editors(client, editor, story):
    client.force_login(editor)
    response = client.get(reverse("event_new", args=[story.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>New event</h1>" in html and 'type="date"' in html and "Venezuela coup plots, 2018-19" in html


def test_adding_an_event_goes_back_to_the_story_events(client, editor, story):
    client.force_login(editor)
    data = event_data(description="At the Colombian border.")
    response = client.post(reverse("event_new", args=[story.pk]), data)
    assert response.status_code == 303
    assert response["Location"] == f"/stories/{story.pk}/edit#events"
    event = Event.objects.get()
    assert (event.story, event.name, event.starts_on, event.ends_on) == (
        story,
        "23 February aid convoy",
        datetime.date(2019, 2, 23),
        None,
    )
    assert event.history.get().history_user == editor
    html = client.get(response["Location"]).content.decode()
    assert "Event “23 February aid convoy” added." in html
    assert '<time datetime="2019-02-23">23 February 2019</time>' in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (event_data(ends_on="2019-02-22"), "ends_on", "An event ends on or after the day it starts."),
        (event_data(starts_on="", ends_on="2019-02-22"), "ends_on", "An event ends on or after the day it starts."),
        (event_data(name="30 APRIL uprising"), "name", "This story has an event of this name."),
        (event_data(name=" "), "name", "This field is required."),
        (event_data(starts_on="30/02/2019"), "starts_on", "Enter a valid date."),
    ],
)
def test_a_broken_rule_is_shown_at_its_field(client, editor, story, event, data, field, message):
    client.force_login(editor)
    response = client.post(reverse("event_new", args=[story.pk]), data)
    assert response.status_code == 422
    assert response.context["form"].errors == {field: [message]}
    assert Event.objects.count() == 1


def test_the_same_name_in_another_story_is_allowed(client, editor, event):
    other = Story.objects.create(title="Another story")
    client.force_login(editor)
    response = client.post(reverse("event_new", args=[other.pk]), event_data(name="30 April uprising"))
    assert response.status_code == 303
    assert other.events.get().name == "30 April uprising"


def test_editing_an_event_saves_it_over_its_version(client, editor, story, event):
    client.force_login(editor)
    url = reverse("event_edit", args=[event.pk])
    html = client.get(url).content.decode()
    assert 'value="30 April uprising"' in html and 'value="2019-04-30"' in html
    response = client.post(url, event_data(name="30 April uprising at La Carlota", starts_on="2019-04-30", version=1))
    assert response.status_code == 303
    event.refresh_from_db()
    assert (event.name, event.ends_on, event.version) == ("30 April uprising at La Carlota", None, 2)


def test_editing_an_event_with_a_stale_version_is_refused(client, editor, event):
    client.force_login(editor)
    event.description = "A colleague's words."
    event.save_over(1)
    response = client.post(reverse("event_edit", args=[event.pk]), event_data(version=1))
    assert response.status_code == 409
    assert "saved a newer version while you were editing" in response.content.decode()
    event.refresh_from_db()
    assert (event.name, event.version) == ("30 April uprising", 2)


def test_editing_an_event_to_break_a_rule_is_shown_at_the_field(client, editor, story, event):
    Event.objects.create(story=story, name="Aid convoy")
    client.force_login(editor)
    response = client.post(reverse("event_edit", args=[event.pk]), event_data(name="aid convoy", version=1))
    assert response.status_code == 422
    assert response.context["form"].errors == {"name": ["This story has an event of this name."]}


def test_deleting_an_event_asks_first_then_leaves_its_claims_without_an_event(client, editor, story, event, make_claim):
    claim = make_claim("The army is loyal to the president")
    Claim.objects.filter(pk=claim.pk).update(event=event)
    client.force_login(editor)
    url = reverse("event_delete", args=[event.pk])
    html = client.get(url).content.decode()
    assert "Delete the event “30 April uprising”?" in html and "1 claim is about this event" in html
    response = client.post(url)
    assert response.status_code == 303
    assert response["Location"] == f"/stories/{story.pk}/edit#events"
    assert not Event.objects.exists()
    claim.refresh_from_db()
    assert claim.event is None
    assert Event.history.filter(history_type="-").get().history_user == editor


def test_viewers_may_not_add_change_or_delete_events(client, viewer, story, event):
    client.force_login(viewer)
    assert client.get(reverse("event_new", args=[story.pk])).status_code == 403
    assert client.post(reverse("event_new", args=[story.pk]), event_data()).status_code == 403
    assert client.post(reverse("event_edit", args=[event.pk]), event_data(version=1)).status_code == 403
    assert client.post(reverse("event_delete", args=[event.pk])).status_code == 403
    assert list(Event.objects.values_list("name", flat=True)) == ["30 April uprising"]


def test_an_unknown_story_or_event_is_not_found(client, editor):
    client.force_login(editor)
    assert client.get(reverse("event_new", args=[999])).status_code == 404
    assert client.get(reverse("event_edit", args=[999])).status_code == 404
    assert client.post(reverse("event_delete", args=[999])).status_code == 404


@pytest.mark.parametrize("awkward", ["\x00", "9" * 30, "9" * 5000, "-1", "²", "0001-01-01", "9999-12-31", "2019-02-30"])
def test_awkward_input_is_never_a_server_error(client, editor, story, event, awkward):
    client.force_login(editor)
    for data in (
        event_data(name=awkward, starts_on=awkward, ends_on=awkward, description=awkward),
        event_data(ends_on=awkward),
    ):
        assert client.post(reverse("event_new", args=[story.pk]), data).status_code in (303, 409, 422)
        response = client.post(reverse("event_edit", args=[event.pk]), {**data, "version": awkward})
        assert response.status_code in (303, 409, 422)
