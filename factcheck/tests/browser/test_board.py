"""The review in a real browser: a card moved on a story's board with the keyboard only (and by dragging it); a
colleague's assignment arriving in the header's count by its poll, without a reload; the new pages axe-clean."""

import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from factcheck.models import Article, Claim, ClaimLink, Source, Story, StoryArticle

from .helpers import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser

PASSWORD = "pw-review-12345"
PHONE = {"width": 390, "height": 844}
BODY = (
    "Caracas (GPA) – The army is loyal to the president, a minister said.\n\n"
    "Opposition leaders said the army is not loyal.\n"
)


@pytest.fixture
def story(transactional_db):
    """A story of one article, two claims linked, and its team: ana and ben edit, vera reads."""
    for name, group in (("ana", "Editors"), ("ben", "Editors"), ("vera", "Viewers")):
        user = User.objects.create_user(name, password=PASSWORD, first_name=name.capitalize())
        user.groups.add(Group.objects.get(name=group))
    outlet = Source.objects.create(name="GPA", kind=Source.Kind.OUTLET)
    speaker = Source.objects.create(name="A minister", kind=Source.Kind.GOVERNMENT)
    article = Article.objects.create(title="Army loyal?", body=BODY, outlet=outlet)
    claims = []
    for quote, statement in (
        ("The army is loyal to the president", "The army is loyal."),
        ("the army is not loyal", "The army is not loyal."),
    ):
        start = BODY.index(quote)
        claims.append(
            Claim.objects.create(article=article, quote=quote, quote_start=start, statement=statement, speaker=speaker)
        )
    claims[0].link(claims[1], ClaimLink.Kind.CONTRADICTS, reason="Loyal or not")
    story = Story.objects.create(title="The army's loyalty")
    StoryArticle.objects.create(story=story, article=article)
    return story


def focused(page):
    return page.evaluate("document.activeElement && (document.activeElement.id || document.activeElement.textContent)")


def tab_to(page, text, limit=80):
    """Press Tab until the focus is on the element whose id or text is `text`."""
    for _ in range(limit):
        if (focused(page) or "").strip() == text:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {text!r}; the focus is on {focused(page)!r}")


def test_a_card_moves_with_the_keyboard_only_and_by_dragging(page, live_server, story, console_errors):
    claim = Claim.objects.get(statement="The army is loyal.")
    log_in(page, live_server, "ben", PASSWORD)
    page.goto(f"/stories/{story.pk}/board")
    assert_no_axe_violations(page)
    card = page.locator(f"#card-claim-{claim.pk}")
    expect(page.locator("#column-to_check")).to_contain_text("The army is loyal.")

    tab_to(page, f"move-claim-{claim.pk}")
    expect(page.locator(f"#move-claim-{claim.pk} option:checked")).to_have_text("In review")
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"#move-claim-{claim.pk} option:checked")).to_have_text("Reviewed")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#column-reviewed")).to_contain_text("The army is loyal.")
    expect(page.locator("#board-announce")).to_have_text("Moved “The army is loyal.” to Reviewed.")
    expect(card).to_be_focused()
    assert_no_axe_violations(page)
    claim.refresh_from_db()
    assert claim.review_status == "reviewed"

    # With the mouse: the link's card dragged to "In review".
    link = ClaimLink.objects.get()
    page.locator(f"#card-link-{link.pk}").drag_to(page.locator("#column-in_review"))
    expect(page.locator("#column-in_review")).to_contain_text("contradicts")
    link.refresh_from_db()
    assert link.review_status == "in_review"
    # The review block's own page, without JavaScript's in-place form.
    page.goto(f"/claims/{claim.pk}/assignment")
    expect(page.get_by_label("Assigned to")).to_be_visible()
    assert_no_axe_violations(page)
    assert console_errors == []


def test_a_colleagues_assignment_arrives_in_the_header_without_a_reload(
    new_context, live_server, story, console_errors
):
    claim = Claim.objects.get(statement="The army is not loyal.")
    ana = new_context().new_page()
    polls = []
    ana.on("request", lambda request: "/notifications/count" in request.url and polls.append(request.url))
    log_in(ana, live_server, "ana", PASSWORD)
    ana.goto("/my/work")
    expect(ana.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    assert_no_axe_violations(ana)
    ana.evaluate("window.notReloaded = true")

    ben = new_context().new_page()
    log_in(ben, live_server, "ben", PASSWORD)
    ben.goto(claim.get_absolute_url())
    ben.get_by_role("link", name="Assign or set the due date").click()
    ben.get_by_label("Assigned to").select_option(label="Ana (ana)")
    ben.get_by_label("Due").fill("2030-05-01")
    ben.get_by_role("button", name="Save the assignment").click()
    expect(ben.locator("#assignment")).to_contain_text("Assigned to Ana, due 1 May 2030.")
    assert_no_axe_violations(ben, "#assignment")

    expect(ana.get_by_role("link", name="Notifications (1 unread)")).to_be_visible(timeout=10_000)
    assert ana.evaluate("window.notReloaded") is True
    # The poll sends what the header shows, nothing of the logout form around it.
    assert polls and all(re.search(r"/notifications/count\?shown=\d*$", url) for url in polls), polls
    ana.get_by_role("link", name="Notifications (1 unread)").click()
    expect(
        ana.get_by_role("link", name="Ben assigned you the claim “The army is not loyal.”, due 1 May 2030")
    ).to_be_visible()
    assert_no_axe_violations(ana)
    ana.get_by_role("button", name="Mark all read").click()
    expect(ana.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    ana.goto("/my/work")
    expect(ana.locator("#mine-to_check")).to_be_visible()
    assert_no_axe_violations(ana)
    assert console_errors == []


@pytest.mark.parametrize("username", ["vera", "ben"])
def test_the_pages_are_axe_clean_and_fit_a_phone(new_context, live_server, story, console_errors, username):
    page = new_context(viewport=PHONE).new_page()
    log_in(page, live_server, username, PASSWORD)
    for path in (f"/stories/{story.pk}/board", "/my/work", "/notifications/"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_no_axe_violations(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width}px wide"
    page.goto(f"/stories/{story.pk}/board")
    expect(page.locator("select[name=status]")).to_have_count(0 if username == "vera" else 3)
    assert [line for line in console_errors if not re.search(r"status of 204", line)] == []
