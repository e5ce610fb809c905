"""A story as a file: its claims (with their event, tags and place in the review) and the links between them."""

import datetime

import pytest
from django.urls import reverse

from factcheck.models import Article, Claim, ClaimLink, ClaimTag, Event, Story, StoryArticle, Tag

from .conftest import read_export

pytestmark = pytest.mark.django_db


def story_url(story, file_format, **params):
    url = reverse(f"story_export_{file_format}", args=[story.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.fixture
def story(editor, speaker, article, make_claim):
    story = Story.objects.create(title="Army loyalty", created_by=editor)
    StoryArticle.objects.create(story=story, article=article)
    revolt = Event.objects.create(story=story, name="Barracks revolt", starts_on=datetime.date(2019, 4, 30))
    loyal = make_claim("The army is loyal to the president", "The army is loyal")
    not_loyal = make_claim("the army is not loyal", "The army is not loyal")
    Claim.objects.filter(pk=loyal.pk).update(event=revolt, assignee=editor, due_on=datetime.date(2019, 5, 2))
    for name in ("Russia", "Army"):
        ClaimTag.objects.create(claim=loyal, tag=Tag.objects.create(name=name))
    loyal.link(not_loyal, ClaimLink.Kind.CONTRADICTS, by=editor, reason="Loyal, or not.")
    # Elsewhere: neither its claim nor its links are the story's.
    elsewhere = Article.objects.create(title="Elsewhere", body="The army is loyal, they said.")
    outside = make_claim("The army is loyal", "Loyal elsewhere", in_article=elsewhere)
    outside.link(loyal, ClaimLink.Kind.REPEATS, by=editor)
    return story


def test_a_story_exports_its_claims_with_event_tags_and_review_as_csv(client, viewer, story, editor):
    client.force_login(viewer)
    response = client.get(story_url(story, "csv"))
    assert f"factcheck-story-{story.pk}-claims-" in response["Content-Disposition"]
    rows = read_export(response)
    assert [row["statement"] for row in rows] == ["The army is loyal", "The army is not loyal"]
    loyal = rows[0]
    assert (loyal["number"], loyal["event"], loyal["tags"]) == ("1", "Barracks revolt", "Army; Russia")
    assert (loyal["review_status"], loyal["assignee"], loyal["due_on"]) == ("to_check", "editor", "2019-05-02")
    assert (rows[1]["event"], rows[1]["tags"], rows[1]["assignee"]) == ("", "", "")


def test_a_story_exports_its_claims_as_json_with_their_claim_review(client, viewer, story):
    client.force_login(viewer)
    rows = read_export(client.get(story_url(story, "json")))
    assert [row["statement"] for row in rows] == ["The army is loyal", "The army is not loyal"]
    assert rows[0]["tags"] == "Army; Russia"
    assert "claimReview" in rows[0]


def test_a_story_exports_the_links_between_its_claims_only(client, viewer, story):
    client.force_login(viewer)
    rows = read_export(client.get(story_url(story, "csv", what="links")))
    assert [(row["kind"], row["reason"]) for row in rows] == [("contradicts", "Loyal, or not.")]
    assert rows[0]["review_status"] == "to_check"


def test_an_unknown_part_of_a_story_is_a_clear_400(client, viewer, story):
    client.force_login(viewer)
    response = client.get(story_url(story, "csv", what="sources"))
    assert response.status_code == 400
    assert "claims or links" in response.content.decode()


def test_a_story_that_does_not_exist_is_404(client, viewer):
    client.force_login(viewer)
    assert client.get(reverse("story_export_csv", args=[999])).status_code == 404


def test_a_story_export_reads_in_a_fixed_number_of_queries(client, viewer, story, make_claim, article):
    client.force_login(viewer)

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            read_export(client.get(story_url(story, "csv")))
        return len(captured)

    small = queries()
    for n in range(5):
        make_claim("Opposition leaders said", f"Leaders said, {n}")
    assert queries() == small
