"""A newcomer's question on the demo, in a real browser: from an outlet's page to every contradiction involving it,
then narrowed by another source picked with the keyboard; readable on a phone."""

import re

import pytest
from playwright.sync_api import expect

from factcheck.models import ClaimLink, Source

from .helpers import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def involving(source):
    """How many disagreements (not rejected) the page lists for `source`, read from the model."""
    return ClaimLink.objects.disagreements().standing().involving_source(source).count()


def test_from_an_outlets_page_to_its_disagreements_narrowed_with_the_keyboard(
    page, live_server, seeded_live, console_errors
):
    log_in(page, live_server, "vera", "factcheck-demo")
    vesti, lavrov = Source.objects.get(name="Vesti"), Source.objects.get(name="Sergey Lavrov")
    page.goto(vesti.get_absolute_url())
    page.get_by_role("link", name=re.compile(r"^Every disagreement involving Vesti")).click()
    everything = involving(vesti)
    expect(page.locator("#results .hint")).to_have_text(f"{everything} disagreements.")
    expect(page.locator("#results .dispute h2").first).to_contain_text(re.compile(r"^Vesti.* vs\. "))
    assert_no_axe_violations(page)

    # Keyboard only: type a few letters in the source finder, Shift+Tab back to its list, choose.
    finder = page.get_by_label("Find source (either side)")
    finder.focus()
    with page.expect_response(lambda response: "/pick/sources" in response.url):
        page.keyboard.type("lavr")
    chooser = page.get_by_label("Source (either side)", exact=True)
    expect(chooser.locator("option", has_text="Sergey Lavrov")).to_have_count(1)
    page.keyboard.press("Shift+Tab")
    expect(chooser).to_be_focused()
    with page.expect_response(lambda response: f"source={lavrov.pk}" in response.url):
        chooser.select_option(str(lavrov.pk))
    his = involving(lavrov)
    assert 0 < his < everything
    expect(page.locator("#results .hint")).to_have_text(f"{his} disagreement{'s' if his > 1 else ''}.")
    expect(page).to_have_url(re.compile(rf"source={lavrov.pk}.*group=dispute|group=dispute.*source={lavrov.pk}"))
    expect(page.locator("#results .pair-side").first).to_contain_text("Sergey Lavrov")
    assert_no_axe_violations(page)
    assert console_errors == []


def test_the_contradictions_of_an_outlet_fit_a_phone(new_context, live_server, seeded_live, console_errors):
    page = new_context(viewport=PHONE).new_page()
    log_in(page, live_server, "vera", "factcheck-demo")
    vesti = Source.objects.get(name="Vesti")
    for path in (f"/contradictions/?source={vesti.pk}&kind=all&group=dispute", vesti.get_absolute_url()):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    assert_no_axe_violations(page)
    assert console_errors == []
