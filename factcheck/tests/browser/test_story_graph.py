"""The story page in a real browser: the graph of the story's claims is drawn from graph.json, a click on a claim
opens it, axe-core finds nothing, and the page fits a phone."""

import pytest
from playwright.sync_api import expect

from factcheck.models import Article, Claim, Story, StoryArticle

from .helpers import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser

PASSWORD = "factcheck-demo"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo_story(seeded_live):
    """Every demo article in one story."""
    story = Story.objects.create(title="Coup plots, every article", summary="The demo's five reports.")
    for article in Article.objects.all():
        StoryArticle.objects.create(story=story, article=article)
    return story


def wait_for_graph(page):
    expect(page.locator('#story-graph[data-graph-drawn="true"]')).to_be_attached()


def test_the_story_page_draws_its_graph_and_a_click_opens_the_claim(page, live_server, demo_story, console_errors):
    log_in(page, live_server, "vera", PASSWORD)
    page.goto(demo_story.get_absolute_url())
    wait_for_graph(page)
    claims = Claim.objects.filter(article__stories=demo_story).count()
    assert page.evaluate("window.storyGraph.nodes().length") == claims
    assert page.evaluate("window.storyGraph.edges().length") == demo_story.links().count()
    assert_no_axe_violations(page)
    assert console_errors == []

    # Bring one claim to the middle of the graph, large, and click it.
    x, y, url = page.evaluate(
        """() => {
            const cy = window.storyGraph, node = cy.nodes("[camp = 1]")[0];
            cy.container().scrollIntoView({block: "center"});
            cy.zoom(2.5);
            cy.center(node);
            const box = cy.container().getBoundingClientRect(), at = node.renderedPosition();
            return [box.left + at.x, box.top + at.y, node.data("url")];
        }"""
    )
    page.mouse.click(x, y)
    page.wait_for_url(f"**{url}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_the_story_page_fits_a_phone(new_context, live_server, demo_story, console_errors):
    page = new_context(viewport=PHONE).new_page()
    log_in(page, live_server, "ana", PASSWORD)
    page.goto(demo_story.get_absolute_url())
    wait_for_graph(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_no_axe_violations(page)
    assert console_errors == []
