import datetime
import io

import pytest
from django.core.management import call_command

from factcheck.models import Article, Claim, ClaimTag, Event, Story, StoryArticle, Tag

pytestmark = pytest.mark.django_db


def test_the_demo_has_its_story_with_all_five_articles_and_dated_events(seeded):
    story = Story.objects.get()
    assert story.title == "Venezuela coup plots, 2018-19"
    assert story.created_by.username == "ana"
    assert story.articles.count() == Article.objects.count() == 5
    events = {event.name: (event.starts_on, event.ends_on) for event in story.events.all()}
    assert events == {
        "Officers' secret talks with US officials": (None, None),
        "Guaidó reveals talks with the military": (datetime.date(2019, 1, 30), None),
        "23 February aid convoy": (datetime.date(2019, 2, 23), None),
        "30 April uprising": (datetime.date(2019, 4, 30), datetime.date(2019, 5, 1)),
    }
    # Every event says where its days come from: the texts, or the public record.
    for event in story.events.all():
        assert event.description.strip()
    assert "public record" in story.events.get(name="23 February aid convoy").description


def test_the_demo_claims_are_scoped_to_events_of_their_article_stories_and_tagged(seeded):
    scoped = Claim.objects.filter(event__isnull=False).select_related("event")
    assert scoped.count() >= 30
    for claim in scoped:
        assert StoryArticle.objects.filter(story=claim.event.story, article=claim.article).exists()
    at_the_gate = Claim.objects.get(statement__startswith="Guaidó's video was recorded at the gate")
    assert at_the_gate.event.name == "30 April uprising"
    drive_back = Claim.objects.get(statement__startswith="Led by retired General Alcalá")
    assert drive_back.event.name == "23 February aid convoy"
    assert set(Tag.objects.values_list("name", flat=True)) >= {"Russia", "military intervention", "military loyalty"}
    assert not at_the_gate.tags.exists()
    five_killed = Claim.objects.get(statement__startswith="Five people were killed")
    assert sorted(five_killed.tags.values_list("name", flat=True)) == ["deaths"]
    assert five_killed.history.first().history_user.username == "ana"

    def snapshot():
        models = (Story, StoryArticle, Event, Tag, ClaimTag, Claim)
        return [list(model.objects.order_by("pk").values()) for model in models]

    before = snapshot()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert snapshot() == before
    assert "1 stories, 4 events" in out.getvalue()
