"""The story page: who disputes whom, the graph and its list equivalent, the source matrix, the timeline."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from factcheck.models import Article, Story, StoryArticle

from .disputed_story import make_disputed_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def disputed(editor):
    return make_disputed_story(by=editor)


def page_of(client, user, story, **headers):
    client.force_login(user)
    return client.get(reverse("story_detail", args=[story.pk]), headers=headers)


def test_it_shows_who_disputes_whom(client, viewer, disputed):
    html = page_of(client, viewer, disputed.story).content.decode()
    assert "<h1>Venezuela, 30 April</h1>" in html
    assert "Who said what about the uprising." in html
    head, rest = html.split('id="disputes-heading"', 1)[1].split("</section>", 1)
    assert "Nicolás Maduro and Sergey Lavrov" in head and "Juan Guaidó and Mike Pompeo" in head
    assert "2 times" in head


def test_it_lists_each_claim_with_its_links_camp_by_camp(client, viewer, disputed):
    html = page_of(client, viewer, disputed.story).content.decode()
    camps = html.split('id="camps"', 1)[1].split('id="matrix"', 1)[0]
    for key in ("g1", "p1", "m1", "l1", "m2", "u1"):
        claim = disputed.claims[key]
        assert f'id="story-claim-{claim.pk}"' in camps
        assert claim.statement in camps
    assert disputed.claims["x1"].get_absolute_url() not in html  # outside the story
    for key in ("p1>g1", "l1>m1", "g1-m1", "p1-l1", "g1-m2"):
        assert camps.count(disputed.links[key].get_absolute_url() + '"') == 2, key  # from each end
    assert "Supported by" in camps and "(rejected)" in camps
    assert camps.index("Camp 1: Nicolás Maduro") < camps.index("Camp 2: Juan Guaidó")


def test_the_graph_reads_its_data_from_graph_json_and_has_a_text_name(client, viewer, disputed):
    html = page_of(client, viewer, disputed.story).content.decode()
    assert f'data-graph-url="{reverse("story_graph", args=[disputed.story.pk])}"' in html
    assert 'role="img"' in html and 'aria-label="Graph of the story' in html
    assert "vendor/cytoscape/cytoscape.min.js" in html and "js/story_graph.js" in html
    assert "<script>" not in html  # no inline script: the CSP forbids them
    assert "data-graph-figure hidden" in html  # shown by the script; without it, the list says the same


def test_the_matrix_links_each_count_to_its_pairs(client, viewer, disputed):
    story = disputed.story
    html = page_of(client, viewer, story).content.decode()
    matrix = html.split('id="matrix"', 1)[1].split('id="timeline"', 1)[0]
    guaido = disputed.speakers["Juan Guaidó"]
    assert f'href="/contradictions/?story={story.pk}&amp;source={guaido.pk}&amp;kind=all"' in matrix
    assert 'title="Juan Guaidó (in Reuters) disputes Nicolás Maduro (in TASS): 1 time"' in matrix
    assert "<caption" in matrix and 'tabindex="0"' in matrix


def test_the_timeline_names_the_events(client, viewer, disputed):
    html = page_of(client, viewer, disputed.story).content.decode()
    timeline = html.split('id="timeline"', 1)[1].split('id="articles"', 1)[0]
    assert "30 April uprising" in timeline and "Undated" in timeline
    event = disputed.event
    assert f'id="event-{event.pk}"' in timeline and f'href="{event.get_absolute_url()}"' in timeline
    assert "30 Apr 2019</time> · 1 claim" in timeline
    assert timeline.index(disputed.claims["m1"].statement) < timeline.index(disputed.claims["m2"].statement)


def test_it_links_the_stories_other_pages(client, viewer, editor, disputed):
    story = disputed.story
    html = page_of(client, viewer, story).content.decode()
    assert f'href="/contradictions/?story={story.pk}"' in html
    assert reverse("story_board", args=[story.pk]) in html
    assert reverse("story_export_csv", args=[story.pk]) in html
    assert reverse("story_edit", args=[story.pk]) not in html
    assert reverse("story_edit", args=[story.pk]) in page_of(client, editor, story).content.decode()
    for article in ("Uprising", "Coup failed", "Undated note"):
        assert article in html


def test_an_htmx_request_gets_the_same_whole_page(client, viewer, disputed):
    plain = page_of(client, viewer, disputed.story)
    boosted = page_of(client, viewer, disputed.story, **{"HX-Request": "true"})
    assert plain.status_code == boosted.status_code == 200
    assert "<html" in plain.content.decode() and "<html" in boosted.content.decode()
    assert 'id="story-graph"' in boosted.content.decode()


def test_it_escapes_what_people_typed(client, viewer, disputed):
    story = disputed.story
    story.title, story.summary = "<b>Coup</b>", "<script>alert(1)</script>"
    story.save()
    html = page_of(client, viewer, story).content.decode()
    assert "<b>Coup</b>" not in html and "&lt;b&gt;Coup&lt;/b&gt;" in html
    assert "<script>alert(1)" not in html


def test_an_empty_story_says_so(client, viewer):
    story = Story.objects.create(title="Nothing yet")
    html = page_of(client, viewer, story).content.decode()
    assert "No standing disagreements" in html and "No articles in this story yet." in html


def test_it_requires_the_view_story_permission(client, disputed):
    nobody = User.objects.create_user("nobody", password="pw-nobody-123")
    assert page_of(client, nobody, disputed.story).status_code == 403


def test_it_sends_visitors_to_log_in(client, disputed):
    response = client.get(reverse("story_detail", args=[disputed.story.pk]))
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_it_changes_nothing(client, editor, disputed):
    client.force_login(editor)
    assert client.post(reverse("story_detail", args=[disputed.story.pk])).status_code == 405


def test_an_unknown_story_is_not_found(client, viewer):
    assert page_of(client, viewer, Story(pk=2_000_000_000)).status_code == 404


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_its_query_count_does_not_grow_with_the_story(client, disputed, grow_corpus, fixed_queries, role, request):
    story = disputed.story
    client.force_login(request.getfixturevalue(role))
    url = reverse("story_detail", args=[story.pk])

    def grow():
        grow_corpus(article=disputed.articles["tass"], claim=disputed.claims["m1"])
        grow_corpus(count=10)
        for article in Article.objects.filter(title__startswith="Growth"):
            StoryArticle.objects.get_or_create(story=story, article=article)

    assert fixed_queries(lambda: client.get(url), grow) == 9


def test_the_article_page_opens_with_its_dispute_summary_and_its_stories(client, viewer, disputed):
    client.force_login(viewer)
    html = client.get(disputed.articles["reuters"].get_absolute_url()).content.decode()
    top = html.split('id="workspace"', 1)[0]
    assert f'In stories: <a href="{disputed.story.get_absolute_url()}">Venezuela, 30 April</a>' in top
    summary = top.split('id="article-disputes"', 1)[1]
    assert "2 claims of this article are disputed" in summary
    assert "Nicolás Maduro</a> (1)" in summary and "Sergey Lavrov</a> (1)" in summary
    assert disputed.claims["m1"].get_absolute_url() in summary
    assert disputed.links["g1-m2"].get_absolute_url() not in summary  # rejected


def test_an_article_nobody_disputes_shows_no_summary(client, viewer, disputed):
    client.force_login(viewer)
    html = client.get(disputed.articles["undated"].get_absolute_url()).content.decode()
    assert 'id="article-disputes"' not in html and "In stories:" in html
