"""Finding things in a real browser: the type-ahead filter pickers, the claim list and the search page."""

import re

import pytest
from playwright.sync_api import expect

from factcheck.models import Claim, ClaimLink, Source

from .helpers import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser


def test_a_source_found_by_typing_filters_the_contradictions_with_the_keyboard(
    page, live_server, seeded_live, console_errors
):
    log_in(page, live_server, "vera", "factcheck-demo")
    lavrov = Source.objects.get(name="Sergey Lavrov")
    page.goto("/contradictions/")
    # The page lists the contradictions not rejected, unless asked for those too.
    standing = ClaimLink.objects.contradictions().exclude(status=ClaimLink.Status.REJECTED)
    total = standing.count()
    expect(page.locator("#results .hint")).to_have_text(f"{total} contradictions.")

    finder = page.get_by_label("Find source (either side)")
    with page.expect_response(lambda response: "/pick/sources" in response.url):
        finder.press_sequentially("lavr")
    chooser = page.get_by_label("Source (either side)", exact=True)
    expect(chooser.locator("option", has_text="Sergey Lavrov")).to_have_count(1)
    assert_no_axe_violations(page)

    # Keyboard only: Shift+Tab back to the list, choose, and the results follow.
    finder.press("Shift+Tab")
    expect(chooser).to_be_focused()
    with page.expect_response(lambda response: "source=" in response.url and "/contradictions/" in response.url):
        chooser.select_option(str(lavrov.pk))
    his = standing.filter(from_claim__speaker=lavrov) | standing.filter(to_claim__speaker=lavrov)
    count = his.distinct().count()
    assert 0 < count < total
    expect(page.locator("#results .hint")).to_have_text(f"{count} contradiction{'s' if count > 1 else ''}.")
    expect(page).to_have_url(re.compile(rf"source={lavrov.pk}"))

    # Reloaded from its address, the page shows the same choice.
    page.reload()
    expect(page.get_by_label("Source (either side)", exact=True)).to_have_value(str(lavrov.pk))
    assert console_errors == []


def test_the_claim_list_searches_as_one_types_and_marks_the_words(page, live_server, seeded_live, console_errors):
    log_in(page, live_server, "vera", "factcheck-demo")
    page.goto("/claims/")
    expect(page.get_by_role("heading", name="Claims", level=1)).to_be_visible()
    expect(page.locator("#results .hint")).to_have_text(f"{Claim.objects.count()} claims.")
    with page.expect_response(lambda response: "q=military" in response.url):
        page.get_by_label("Search statements and quotes").fill("military")
    expect(page.locator("#results .hint")).to_contain_text("matching “military”")
    expect(page.locator("#results mark").first).to_have_text(re.compile("military", re.IGNORECASE))
    expect(page).to_have_url(re.compile(r"q=military"))
    assert_no_axe_violations(page)
    assert console_errors == []


def test_the_search_page_finds_claims_articles_and_sources(page, live_server, seeded_live, console_errors):
    log_in(page, live_server, "vera", "factcheck-demo")
    page.goto("/")
    page.get_by_role("link", name="Search").click()
    page.get_by_label("Search claims, articles and sources").fill("Guaidó")
    page.get_by_role("button", name="Search").click()
    for heading in ("Claims", "Articles", "Sources"):
        expect(page.get_by_role("heading", name=re.compile(f"^{heading}"), level=2)).to_be_visible()
    expect(page.locator("section[aria-labelledby=sources-found]")).to_contain_text("Juan Guaidó")
    expect(page.locator("main mark").first).to_be_visible()
    assert_no_axe_violations(page)
    assert console_errors == []
