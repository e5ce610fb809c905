import pytest
from django.test import Client
from django.urls import reverse

from factcheck.models import Claim, Event, Story, StoryArticle, Tag
from factcheck.tests.page_forms import FormFields

pytestmark = pytest.mark.django_db
STALE = "Someone saved this while you were editing it."


def admin_form(client, url):
    """Open an admin form; return what saving it unchanged would send."""
    response = client.get(url)
    assert response.status_code == 200
    parser = FormFields()
    parser.feed(response.content.decode())
    (form,) = [fields for form_id, fields in parser.forms.items() if form_id.endswith("_form")]
    return {name: value for name, value in form.items() if value is not None}


@pytest.fixture
def staff(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def story(article, editor):
    story = Story.objects.create(title="Venezuela coup plots, 2018-19")
    story.add_article(article, by=editor)
    return story


def change_url(obj):
    return reverse(f"admin:factcheck_{obj._meta.model_name}_change", args=[obj.pk])


def test_an_editor_adds_a_story_with_an_article_and_an_event(staff, editor, article):
    form = admin_form(staff, reverse("admin:factcheck_story_add"))
    form.update(
        {
            "title": "Aid convoy",
            "story_articles-TOTAL_FORMS": "1",
            "story_articles-0-article": str(article.pk),
            "events-TOTAL_FORMS": "1",
            "events-0-name": "23 February aid convoy",
            "events-0-starts_on": "2019-02-23",
        }
    )
    response = staff.post(reverse("admin:factcheck_story_add"), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    story = Story.objects.get()
    assert (story.title, story.created_by) == ("Aid convoy", editor)
    membership = StoryArticle.objects.get()
    assert (membership.article, membership.added_by) == (article, editor)
    assert story.events.get().name == "23 February aid convoy"


def test_a_colleagues_save_of_the_story_is_not_overwritten(staff, story):
    seen = admin_form(staff, change_url(story))
    story.summary = "A colleague's summary."
    story.save_over(1)
    response = staff.post(change_url(story), {**seen, "summary": "Mine"})
    assert response.status_code == 200
    assert STALE in response.content.decode()
    story.refresh_from_db()
    assert (story.summary, story.version) == ("A colleague's summary.", 2)


def test_removing_an_article_in_the_admin_goes_through_the_story(staff, story, article, make_claim):
    event = Event.objects.create(story=story, name="30 April uprising")
    claim = make_claim("The army is loyal to the president")
    Claim.objects.filter(pk=claim.pk).update(event=event)
    form = admin_form(staff, change_url(story))
    form["story_articles-0-DELETE"] = "on"
    assert staff.post(change_url(story), form).status_code == 302
    assert not story.articles.exists()
    claim.refresh_from_db()
    assert claim.event is None


def test_an_event_is_changed_on_its_own_page_over_its_version(staff, story):
    event = Event.objects.create(story=story, name="30 April uprising")
    seen = admin_form(staff, change_url(event))
    assert staff.post(change_url(event), {**seen, "description": "At La Carlota."}).status_code == 302
    event.refresh_from_db()
    assert (event.description, event.version) == ("At La Carlota.", 2)
    response = staff.post(change_url(event), {**seen, "description": "Stale."})
    assert STALE in response.content.decode()


def test_an_event_ending_before_it_starts_is_refused_in_the_admin(staff, story):
    event = Event.objects.create(story=story, name="30 April uprising")
    form = admin_form(staff, change_url(event))
    response = staff.post(change_url(event), {**form, "starts_on": "2019-05-01", "ends_on": "2019-04-30"})
    assert response.status_code == 200
    assert "An event ends on or after the day it starts." in response.content.decode()


def test_tags_are_listed_with_their_claim_counts_and_unique_in_any_case(staff):
    Tag.objects.create(name="Russia")
    assert "Russia" in staff.get(reverse("admin:factcheck_tag_changelist")).content.decode()
    response = staff.post(reverse("admin:factcheck_tag_add"), {"name": "russia"})
    assert response.status_code == 200
    assert "This tag exists." in response.content.decode()
    assert Tag.objects.count() == 1


def test_an_event_can_be_added_on_its_own_admin_page(staff, story):
    form = admin_form(staff, reverse("admin:factcheck_event_add"))
    form.update({"story": str(story.pk), "name": "23 February aid convoy", "starts_on": "2019-02-23"})
    assert staff.post(reverse("admin:factcheck_event_add"), form).status_code == 302
    assert story.events.get().name == "23 February aid convoy"
    form.update({"name": "23 FEBRUARY aid convoy"})
    response = staff.post(reverse("admin:factcheck_event_add"), form)
    assert "This story has an event of this name." in response.content.decode()
