"""The rough edges found by trying the site, in a real browser: a selection snaps to whole words and the claim form
comes to it (with the mouse, the keyboard, on a phone); the menu folds into a button on a phone and opens with the
keyboard; the list pages' tables never make a phone's page scroll sideways."""

import pytest
from playwright.sync_api import expect

from factcheck.models import Article, Claim

from .helpers import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser

PASSWORD = "factcheck-demo"
PHONE = {"width": 390, "height": 844}
# In the Vesti report, a passage no demo claim quotes: selected from inside its first word to inside its last.
WORDS = "There are almost more journalists than protesters"
PART = "ere are almost more journalists than protes"

SELECT = """(passage) => {
    const container = document.querySelector("#article-text");
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf(passage);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + passage.length);
        window.scrollBy(0, range.getClientRects()[0].top - window.innerHeight / 3);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        const rects = range.getClientRects();
        const last = rects[rects.length - 1];
        return {x: last.right - 2, y: last.top + last.height / 2};
    }
    return null;
}"""


def vesti():
    return Article.objects.get(outlet__name="Vesti")


def select_part(page, passage):
    """Select `passage` as the mouse would (the DOM selection, then the button released over it)."""
    point = page.evaluate(SELECT, passage)
    assert point, f"{passage!r} is not in one text node of the article text"
    page.mouse.move(point["x"], point["y"])
    page.mouse.up()


IN_VIEWPORT = """(selector) => {
    const box = document.querySelector(selector).getBoundingClientRect();
    return box.top >= -1 && box.bottom <= window.innerHeight && box.left >= 0 && box.right <= window.innerWidth + 0.5;
}"""


def in_viewport(page, selector):
    return page.evaluate(IN_VIEWPORT, selector)


def assert_quote_of_whole_words(page, article):
    expect(page.get_by_label("Exact quote")).to_have_value(WORDS)
    expect(page.locator("#id_quote_start")).to_have_value(str(article.body.index(WORDS)))
    expect(page.locator("#selection-status")).to_contain_text(f"widened to whole words ({len(WORDS)} characters)")


def scroll_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_part_of_a_word_selected_becomes_whole_words_and_the_form_comes_to_it(
    viewport, new_context, live_server, seeded_live, console_errors
):
    article = vesti()
    page = new_context(**({"viewport": viewport} if viewport else {})).new_page()
    log_in(page, live_server, "ana", PASSWORD)
    page.goto(article.get_absolute_url())
    quote_button = page.get_by_role("button", name="Quote this as a claim")
    expect(quote_button).to_be_hidden()

    select_part(page, PART)
    assert_quote_of_whole_words(page, article)
    assert page.evaluate("window.getSelection().toString()") == WORDS  # the selection on the screen widened too
    # The button comes up beside the selection, on the screen, and never wider than it.
    expect(quote_button).to_be_visible()
    assert in_viewport(page, ".quote-selection")
    assert not in_viewport(page, "#id_statement")
    assert_no_axe_violations(page)
    assert scroll_width(page) <= page.viewport_size["width"]

    quote_button.click()
    expect(page.get_by_label("Statement")).to_be_focused()
    expect(quote_button).to_be_hidden()
    page.wait_for_function(IN_VIEWPORT, arg="#id_statement")  # scrolled to it (smoothly)

    # The quote as taken is exactly the text at its offset: the server takes it.
    page.get_by_label("Statement").fill("Few people came to the rally.")
    page.get_by_label("Speaker:", exact=True).fill("A Vesti correspondent")
    page.get_by_role("button", name="Add claim").click()
    expect(page.get_by_role("status").filter(has_text="Claim added.")).to_be_visible()
    claim = Claim.objects.get(article=article, statement="Few people came to the rally.")
    assert (claim.quote, claim.quote_start) == (WORDS, article.body.index(WORDS))
    assert console_errors == []


def test_a_keyboard_selection_snaps_to_whole_words_and_enter_brings_the_form(
    new_context, live_server, seeded_live, console_errors
):
    article = vesti()
    page = new_context().new_page()
    log_in(page, live_server, "ana", PASSWORD)
    page.goto(article.get_absolute_url())
    # A selection begun inside "There", then extended with Shift+Right into the middle of "protesters".
    page.evaluate(SELECT, PART[:-3])
    page.keyboard.down("Shift")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("window.getSelection().toString()") == PART
    page.keyboard.up("Shift")
    assert_quote_of_whole_words(page, article)
    expect(page.get_by_role("button", name="Quote this as a claim")).to_be_visible()

    page.keyboard.press("Enter")
    expect(page.get_by_label("Statement")).to_be_focused()
    expect(page.get_by_label("Exact quote")).to_have_value(WORDS)
    assert console_errors == []


def test_words_are_letters_with_their_apostrophes_and_hyphens_and_a_word_never_takes_a_line_break(
    new_context, live_server, seeded_live, console_errors
):
    body = "Army split, say officers\n\nThe general's aides said the pro-government army is split.\nOfficers agreed.\n"
    article = Article.objects.create(title="Army split", body=body)
    page = new_context().new_page()
    log_in(page, live_server, "ana", PASSWORD)
    page.goto(article.get_absolute_url())
    for part, words in [
        ("fficer", "officers"),
        ("cers\n\nTh", "officers\n\nThe"),
        ("eral's ai", "general's aides"),
        ("overnment ar", "pro-government army"),
        ("is split.", "is split."),
        ("pli", "split"),
        (" said ", "said"),
    ]:
        select_part(page, part)
        expect(page.get_by_label("Exact quote")).to_have_value(words)
        expect(page.locator("#id_quote_start")).to_have_value(str(body.index(words)))
    assert console_errors == []


def test_on_a_phone_the_menu_folds_and_opens_with_the_keyboard_and_no_list_scrolls_sideways(
    new_context, live_server, seeded_live, console_errors
):
    page = new_context(viewport=PHONE).new_page()
    log_in(page, live_server, "ana", PASSWORD)
    menu = page.get_by_text("Menu", exact=True)
    stories = page.get_by_role("link", name="Stories", exact=True)
    expect(menu).to_be_visible()
    expect(stories).to_be_hidden()
    expect(page.get_by_role("link", name="Notifications")).to_be_visible()  # outside the menu

    menu.focus()
    page.keyboard.press("Enter")
    expect(stories).to_be_visible()
    expect(page.get_by_role("link", name="My work")).to_be_visible()
    assert scroll_width(page) <= PHONE["width"]
    assert_no_axe_violations(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Home", exact=True)).to_be_focused()
    page.keyboard.press("Escape")
    expect(stories).to_be_hidden()
    expect(menu).to_be_focused()
    page.keyboard.press(" ")
    expect(stories).to_be_visible()
    with page.expect_navigation():
        stories.click()

    too_wide = []
    for path in ("/claims/", "/sources/", "/articles/", "/claims/?q=army", "/no/such/page"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if (width := scroll_width(page)) > PHONE["width"]:
            too_wide.append(f"{path} is {width}px wide")
        assert_no_axe_violations(page)  # a table scrolling inside itself is still a table, reachable by keyboard
    assert too_wide == []
    assert [line for line in console_errors if "status of 404" not in line] == []


def test_on_a_wide_screen_the_menu_is_open_with_no_button(page, live_server, seeded_live, console_errors):
    log_in(page, live_server, "vera", PASSWORD)
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    for name in ("Stories", "Articles", "Claims", "My work"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Home", exact=True)).to_be_focused()
    assert console_errors == []


def test_the_403_and_404_pages_have_no_axe_violations(page, live_server, seeded_live, console_errors):
    log_in(page, live_server, "vera", PASSWORD)
    refused = page.goto(f"/articles/{vesti().pk}/edit")
    assert refused.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You may not do this")
    assert_no_axe_violations(page)
    missing = page.goto("/no/such/page")
    assert missing.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Nothing here")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Back to the home page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What the news claims")
    assert [line for line in console_errors if "status of 403" not in line and "status of 404" not in line] == []
