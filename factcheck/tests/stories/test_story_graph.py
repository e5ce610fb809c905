"""graph.json: the story's claims and links as graph data, checked against the database."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from factcheck.models import Article, Claim, ClaimLink, Story, StoryArticle

from .disputed_story import make_disputed_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def disputed():
    return make_disputed_story()


def graph_of(client, user, story, **headers):
    client.force_login(user)
    return client.get(reverse("story_graph", args=[story.pk]), headers=headers)


def test_every_claim_of_the_story_is_a_node_and_every_link_between_them_an_edge(client, viewer, disputed):
    story = disputed.story
    graph = graph_of(client, viewer, story).json()
    articles = StoryArticle.objects.filter(story=story).values("article")
    claims = set(Claim.objects.filter(article__in=articles).values_list("pk", flat=True))
    links = ClaimLink.objects.filter(from_claim__in=claims, to_claim__in=claims)
    assert {node["claim"] for node in graph["nodes"]} == claims
    assert {edge["link"] for edge in graph["edges"]} == set(links.values_list("pk", flat=True))
    assert len(graph["nodes"]) == len(claims) and len(graph["edges"]) == links.count()
    ends = {f"claim-{pk}" for pk in claims}
    assert all(edge["source"] in ends and edge["target"] in ends for edge in graph["edges"])


def test_nodes_and_edges_carry_ids_labels_and_kinds(client, viewer, disputed):
    graph = graph_of(client, viewer, disputed.story).json()
    g1, link = disputed.claims["g1"], disputed.links["p1>g1"]
    node = next(node for node in graph["nodes"] if node["claim"] == g1.pk)
    assert node["id"] == f"claim-{g1.pk}"
    assert node["label"] == f"Juan Guaidó · {g1.article_id}.{g1.number}"
    assert node["url"] == g1.get_absolute_url() and node["statement"] == g1.statement
    assert node["camp"] == 2 and node["colour"].startswith("#")
    edge = next(edge for edge in graph["edges"] if edge["link"] == link.pk)
    assert edge == {
        "id": f"link-{link.pk}",
        "link": link.pk,
        "source": f"claim-{disputed.claims['p1'].pk}",
        "target": f"claim-{g1.pk}",
        "kind": "supports",
        "label": "Supports",
        "status": "proposed",
        "directed": True,
        "url": link.get_absolute_url(),
    }
    rejected = next(edge for edge in graph["edges"] if edge["link"] == disputed.links["g1-m2"].pk)
    assert rejected["status"] == "rejected" and rejected["kind"] == "in_tension"
    assert [camp["name"] for camp in graph["camps"]] == [
        "Nicolás Maduro and Sergey Lavrov",
        "Juan Guaidó and Mike Pompeo",
    ]


def test_it_answers_json_with_or_without_htmx(client, viewer, disputed):
    for headers in ({}, {"HX-Request": "true"}):
        response = graph_of(client, viewer, disputed.story, **headers)
        assert response.status_code == 200 and response["Content-Type"] == "application/json"
        assert len(response.json()["nodes"]) == 6


def test_it_requires_the_view_story_permission(client, disputed):
    nobody = User.objects.create_user("nobody", password="pw-nobody-123")
    assert graph_of(client, nobody, disputed.story).status_code == 403


def test_it_sends_visitors_to_log_in(client, disputed):
    response = client.get(reverse("story_graph", args=[disputed.story.pk]))
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_it_changes_nothing(client, editor, disputed):
    client.force_login(editor)
    assert client.post(reverse("story_graph", args=[disputed.story.pk])).status_code == 405


def test_an_unknown_story_is_not_found(client, viewer):
    assert graph_of(client, viewer, Story(pk=2_000_000_000)).status_code == 404


def test_its_query_count_does_not_grow_with_the_story(client, viewer, disputed, grow_corpus, fixed_queries):
    story = disputed.story
    client.force_login(viewer)
    url = reverse("story_graph", args=[story.pk])

    def grow():
        grow_corpus(article=disputed.articles["tass"], claim=disputed.claims["m1"])
        grow_corpus(count=10)
        for article in Article.objects.filter(title__startswith="Growth"):
            StoryArticle.objects.create(story=story, article=article)

    assert fixed_queries(lambda: client.get(url), grow) == 7
    assert len(client.get(url).json()["nodes"]) == 6 + 30 + 10
