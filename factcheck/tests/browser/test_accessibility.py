"""axe-core finds no accessibility violation on any page, as an editor and as a viewer, including the states htmx
brings (a form swapped in, a form re-rendered with its errors); and the main pages fit a phone's width."""

import re

import pytest
from playwright.sync_api import expect

from factcheck.models import Article, Claim, ClaimLink, Source, Story

from .helpers import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser

PASSWORD = "factcheck-demo"
ACCOUNTS = {"editor": "ana", "viewer": "vera"}
PHONE = {"width": 390, "height": 844}


def linked_claim():
    """A demo claim of the Vesti report with a contradiction, so its page shows links."""
    return ClaimLink.objects.contradictions().filter(to_claim__article__outlet__name="Vesti").first().to_claim


def published_review():
    """A demo claim with a verdict, its review published, for the public pages."""
    claim = Claim.objects.exclude(verdict__in=["unreviewed", "not_checkable"]).order_by("pk").first()
    if not claim.is_published:
        claim.publish(by=None, seen_version=claim.version)
    return claim


def edit_in_place(page):
    page.get_by_role("link", name="Edit statement and verdict").click()
    expect(page.get_by_label("Statement")).to_be_focused()


def submit_empty_link(page):
    page.get_by_role("button", name="Add link").click()
    expect(page.get_by_text("Choose the claim to link: search for it above.")).to_be_visible()


def preview_a_change_of_text(page):
    text = page.get_by_label("Text:")
    text.fill("Update: " + text.input_value())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your change of the text moves claims or loses their place.")).to_be_visible()


def submit_empty_claim(page):
    page.get_by_role("button", name="Add claim").click()
    expect(page.get_by_text("Please correct the errors below.")).to_be_visible()


def demo_story():
    return Story.objects.get(title="Venezuela coup plots, 2018-19")


def demo_event():
    return demo_story().events.order_by("pk").first()


def graph_drawn(page):
    # The graph is drawn once graph.json has come; axe then checks the drawn figure too.
    expect(page.locator('#story-graph[data-graph-drawn="true"]')).to_be_attached()


def find_an_article(page):
    page.get_by_label("Find an article").fill("army")
    expect(page.locator("#pick-article option").nth(1)).to_be_attached()


def submit_an_event_ending_before_it_starts(page):
    page.get_by_label("From").fill("2019-05-01")
    page.get_by_label("Until").fill("2019-04-30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("An event ends on or after the day it starts.")).to_be_visible()


def assign_in_place(page):
    page.get_by_role("link", name="Assign or set the due date").click()
    expect(page.get_by_label("Assigned to")).to_be_visible()


def publish_an_unreviewed_card(page):
    """On the board, an unreviewed claim moved to Published: the refusal, in the board's live region (a 422)."""
    claim = demo_story().claims().filter(verdict="unreviewed", review_status="to_check").order_by("pk").first()
    card = page.locator(f"#card-claim-{claim.pk}")
    card.locator("select[name=status]").select_option("published")
    card.get_by_role("button", name=re.compile("^Move")).click()
    expect(page.locator("#board-announce")).to_contain_text("An unreviewed claim has nothing to publish")


def source_named(name):
    return Source.objects.get(name=name).pk


# name: (path, what the user then does on the page, which accounts may see it)
PAGES = {
    "home": (lambda: "/", None, ("editor", "viewer")),
    "article-list": (lambda: "/articles/", None, ("editor", "viewer")),
    "article-search": (lambda: "/articles/?q=army", None, ("editor", "viewer")),
    "article": (lambda: linked_claim().article.get_absolute_url(), None, ("editor", "viewer")),
    "article-claim-errors": (lambda: linked_claim().article.get_absolute_url(), submit_empty_claim, ("editor",)),
    "claim-new": (lambda: f"/articles/{linked_claim().article_id}/claims/new", None, ("editor",)),
    "claim": (lambda: linked_claim().get_absolute_url(), None, ("editor", "viewer")),
    "claim-candidates": (lambda: f"{linked_claim().get_absolute_url()}?q=army", None, ("editor", "viewer")),
    "claim-edit": (lambda: f"/claims/{linked_claim().pk}/edit", None, ("editor",)),
    "claim-place": (lambda: f"/claims/{linked_claim().pk}/place", None, ("editor",)),
    "claim-chain": (lambda: f"/claims/{linked_claim().pk}/chain", None, ("editor",)),
    "article-edit": (lambda: f"/articles/{linked_claim().article_id}/edit", None, ("editor",)),
    "article-edit-preview": (
        lambda: f"/articles/{linked_claim().article_id}/edit",
        preview_a_change_of_text,
        ("editor",),
    ),
    "claim-edit-in-place": (lambda: linked_claim().get_absolute_url(), edit_in_place, ("editor",)),
    "claim-link-errors": (lambda: linked_claim().get_absolute_url(), submit_empty_link, ("editor",)),
    "source-list": (lambda: "/sources/", None, ("editor", "viewer")),
    "source": (lambda: linked_claim().speaker.get_absolute_url(), None, ("editor", "viewer")),
    "contradictions": (lambda: "/contradictions/", None, ("editor", "viewer")),
    "contradictions-of-a-source": (
        lambda: f"/contradictions/?source={linked_claim().speaker_id}",
        None,
        ("editor", "viewer"),
    ),
    "self-contradictions": (lambda: "/contradictions/within", None, ("editor", "viewer")),
    "self-contradictions-in-one-article": (lambda: "/contradictions/within?within=article", None, ("editor", "viewer")),
    "claim-list": (lambda: "/claims/", None, ("editor", "viewer")),
    "claim-list-search": (lambda: "/claims/?q=army&verdict=unreviewed", None, ("editor", "viewer")),
    "claim-list-kinds": (lambda: "/claims/?kind=opinion&verdict=not_checkable", None, ("editor", "viewer")),
    "search": (lambda: "/search/?q=army", None, ("editor", "viewer")),
    "claim-published": (lambda: published_review().get_absolute_url(), None, ("editor", "viewer")),
    "review": (lambda: f"/reviews/{published_review().pk}/", None, ("editor", "viewer")),
    "review-list": (lambda: published_review() and "/reviews/", None, ("editor", "viewer")),
    "link-delete": (
        lambda: f"/links/{ClaimLink.objects.involving(linked_claim()).first().pk}/delete?claim={linked_claim().pk}",
        None,
        ("editor",),
    ),
    "link": (
        lambda: ClaimLink.objects.involving(linked_claim()).first().get_absolute_url(),
        None,
        ("editor", "viewer"),
    ),
    "link-edit": (lambda: f"/links/{ClaimLink.objects.involving(linked_claim()).first().pk}/edit", None, ("editor",)),
    "disagreements-every-status": (lambda: "/contradictions/?kind=all&status=all", None, ("editor", "viewer")),
    "contradictions-by-dispute": (
        lambda: f"/contradictions/?source={source_named('Vesti')}&kind=all&group=dispute",
        None,
        ("editor", "viewer"),
    ),
    "contradictions-of-a-government": (
        lambda: f"/contradictions/?source={source_named('Russian government')}&kind=all&status=all",
        None,
        ("editor", "viewer"),
    ),
    "contradictions-of-a-story": (
        lambda: f"/contradictions/?story={demo_story().pk}&kind=all&group=dispute",
        None,
        ("editor", "viewer"),
    ),
    "story": (lambda: demo_story().get_absolute_url(), graph_drawn, ("editor", "viewer")),
    "story-list": (lambda: "/stories/", None, ("editor", "viewer")),
    "story-new": (lambda: "/stories/new", None, ("editor",)),
    "story-edit": (lambda: f"/stories/{demo_story().pk}/edit", None, ("editor",)),
    "story-edit-find-article": (lambda: f"/stories/{demo_story().pk}/edit", find_an_article, ("editor",)),
    "event-new": (lambda: f"/stories/{demo_story().pk}/events/new", None, ("editor",)),
    "event-edit": (lambda: f"/events/{demo_event().pk}/edit", None, ("editor",)),
    "event-edit-errors": (
        lambda: f"/events/{demo_event().pk}/edit",
        submit_an_event_ending_before_it_starts,
        ("editor",),
    ),
    "event-delete": (lambda: f"/events/{demo_event().pk}/delete", None, ("editor",)),
    "claim-scope": (lambda: f"/claims/{linked_claim().pk}/scope", None, ("editor",)),
    "story-board": (lambda: f"/stories/{demo_story().pk}/board", None, ("editor", "viewer")),
    "story-board-mine": (lambda: f"/stories/{demo_story().pk}/board?assignee=me", None, ("editor", "viewer")),
    "story-board-refused-move": (lambda: f"/stories/{demo_story().pk}/board", publish_an_unreviewed_card, ("editor",)),
    "my-work": (lambda: "/my/work", None, ("editor", "viewer")),
    "notifications": (lambda: "/notifications/", None, ("editor", "viewer")),
    "claim-assignment": (lambda: f"/claims/{linked_claim().pk}/assignment", None, ("editor",)),
    "claim-assign-in-place": (lambda: linked_claim().get_absolute_url(), assign_in_place, ("editor",)),
    "link-assignment": (
        lambda: f"/links/{ClaimLink.objects.involving(linked_claim()).first().pk}/assignment",
        None,
        ("editor",),
    ),
}


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_every_page_has_no_axe_violations(role, page, live_server, seeded_live, console_errors):
    """Every page the role may see, one after the other in one session (the demo seeded once): each page's
    violations and console errors are gathered, so one failing page does not hide the next."""
    log_in(page, live_server, ACCOUNTS[role], PASSWORD)
    problems = []
    for name, (path, then, roles) in PAGES.items():
        if role not in roles:
            continue
        console_errors.clear()
        response = page.goto(path())
        try:
            assert response.status == 200, f"{name}: {response.status}"
            if then:
                then(page)
            assert_no_axe_violations(page)
            assert [line for line in console_errors if "status of 422" not in line] == [], name
        except AssertionError as failure:
            problems.append(f"{name}: {failure}")
    assert problems == []


def test_login_page_has_no_axe_violations(page, seeded_live, console_errors):
    page.goto("/login/")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    assert_no_axe_violations(page)
    assert console_errors == []


def test_public_review_pages_have_no_axe_violations_for_anyone(page, seeded_live, console_errors):
    for path in (f"/reviews/{published_review().pk}/", "/reviews/"):
        assert page.goto(path).status == 200
        assert_no_axe_violations(page)
    assert console_errors == []


PHONE_PAGES = {
    "home": lambda: "/",
    "article": lambda: Article.objects.get(outlet__name="Vesti").get_absolute_url(),
    "claim": lambda: linked_claim().get_absolute_url(),
    "claim-chain": lambda: f"/claims/{linked_claim().pk}/chain",
    "claim-edit": lambda: f"/claims/{linked_claim().pk}/edit",
    "contradictions": lambda: "/contradictions/",
    "review": lambda: f"/reviews/{published_review().pk}/",
    "article-list": lambda: "/articles/",
    "claim-list": lambda: "/claims/",
    "source-list": lambda: "/sources/",
    "story": lambda: demo_story().get_absolute_url(),
    "story-board": lambda: f"/stories/{demo_story().pk}/board",
    "my-work": lambda: "/my/work",
    "notifications": lambda: "/notifications/",
    "contradictions-by-dispute": lambda: f"/contradictions/?source={source_named('Vesti')}&kind=all&group=dispute",
}


def test_the_main_pages_fit_a_phone_without_horizontal_scroll(new_context, live_server, seeded_live):
    page = new_context(viewport=PHONE).new_page()
    log_in(page, live_server, "ana", PASSWORD)
    too_wide = []
    for path in PHONE_PAGES.values():
        page.goto(path())
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(
            """(limit) => [...document.querySelectorAll("body *")]
                .filter((element) => element.getBoundingClientRect().right > limit + 0.5)
                .slice(0, 5)
                .map((element) => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
                    + (element.className && typeof element.className === "string" ? "." + element.className : ""))""",
            PHONE["width"],
        )
        if scroll_width > PHONE["width"]:
            too_wide.append(f"{page.url} is {scroll_width}px wide on a phone; too wide: {wide}")
    assert too_wide == []
