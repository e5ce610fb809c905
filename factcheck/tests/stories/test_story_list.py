import pytest
from django.urls import reverse

from factcheck.models import Article, Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(article, editor):
    story = Story.objects.create(title="Venezuela coup plots, 2018-19", summary="Who plotted against Maduro.")
    story.add_article(article, by=editor)
    return story


def test_it_lists_every_story_with_its_article_count(client, viewer, story):
    Story.objects.create(title="Another story")
    client.force_login(viewer)
    response = client.get(reverse("story_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="/stories/{story.pk}/">Venezuela coup plots, 2018-19</a>' in html
    assert "Who plotted against Maduro." in html
    assert "1 article ·" not in html  # a viewer has no edit link
    assert "1 article</p>" in html
    assert "0 articles</p>" in html
    assert "2 stories." in html


def test_it_offers_editors_a_new_story_and_edit_links(client, editor, story):
    client.force_login(editor)
    html = client.get(reverse("story_list")).content.decode()
    assert 'href="/stories/new">New story</a>' in html
    assert f'href="/stories/{story.pk}/edit">Edit' in html


def test_it_offers_viewers_no_changes(client, viewer, story):
    client.force_login(viewer)
    html = client.get(reverse("story_list")).content.decode()
    assert "New story" not in html
    assert "/edit" not in html


def test_it_says_when_there_is_no_story(client, viewer):
    client.force_login(viewer)
    assert "No stories yet." in client.get(reverse("story_list")).content.decode()


def test_it_is_paginated(client, viewer):
    Story.objects.bulk_create(Story(title=f"Story {n:02}") for n in range(25))
    client.force_login(viewer)
    first = client.get(reverse("story_list")).content.decode()
    assert "Story 19" in first and "Story 20" not in first
    assert "Page 1 of 2" in first
    second = client.get(reverse("story_list"), {"page": 2}).content.decode()
    assert "Story 20" in second and "Story 24" in second


def test_its_query_count_does_not_grow_with_the_data(client, editor, story, fixed_queries):
    client.force_login(editor)

    def grow():
        for n in range(10):
            grown = Story.objects.create(title=f"Grown story {n}")
            for m in range(3):
                grown.add_article(Article.objects.create(title=f"Grown {n}-{m}", body=f"Text {n}-{m}"), by=editor)

    fixed_queries(lambda: client.get(reverse("story_list")), grow)
