"""Building a claim's attribution chain in place with the keyboard only: the type-ahead pickers, the hop rows."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from factcheck.models import Article, Claim, Source

from .helpers import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
BODY = "Caracas (GPA) – The army is loyal to the president, a minister said.\n"


@pytest.fixture
def claim(transactional_db):
    user = User.objects.create_user("eda", password="pw-editor-123")
    user.groups.add(Group.objects.get(name="Editors"))
    outlet = Source.objects.create(name="GPA", kind=Source.Kind.OUTLET)
    for name in ("Bloomberg", "Caracas wire", "A blog of long names and longer opinions about everything"):
        Source.objects.create(name=name, kind=Source.Kind.OUTLET)
    article = Article.objects.create(title="Army loyal?", body=BODY, outlet=outlet)
    speaker = Source.objects.create(name="A minister", kind=Source.Kind.GOVERNMENT)
    quote = "The army is loyal to the president"
    start = BODY.index(quote)
    return Claim.objects.create(
        article=article, quote=quote, quote_start=start, statement="The army is loyal.", speaker=speaker
    )


def focused(page):
    return page.evaluate("document.activeElement && (document.activeElement.id || document.activeElement.textContent)")


def tab_to(page, text, limit=40):
    """Press Tab until the focus is on the element whose id or text is `text`."""
    for _ in range(limit):
        if (focused(page) or "").strip() == text:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {text!r}; the focus is on {focused(page)!r}")


def add_hop(page, number, typed, manner_steps_up=0, reason=""):
    page.keyboard.press("Enter")  # on "Add a hop"
    expect(page.locator(f"#pick-hop-{number}-source-find")).to_be_focused()
    page.keyboard.type(typed)
    page.keyboard.press("Enter")  # finds the names typed
    select = page.locator(f"#pick-hop-{number}-source")
    expect(select).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(select.locator("option:checked")).not_to_have_text("(choose)")
    if manner_steps_up:
        page.keyboard.press("Tab")
        expect(page.locator(f"#hop-{number}-manner")).to_be_focused()
        for _ in range(manner_steps_up):
            page.keyboard.press("ArrowUp")
        page.keyboard.press("Tab")
        expect(page.locator(f"#hop-{number}-reason")).to_be_focused()
        page.keyboard.type(reason)
    tab_to(page, "add-hop")


def test_an_editor_builds_a_three_hop_chain_with_the_keyboard(page, live_server, claim, console_errors):
    log_in(page, live_server, "eda", "pw-editor-123")
    page.goto(claim.get_absolute_url())
    expect(page.locator(".chain-line")).to_have_text("A minister → GPA")
    tab_to(page, "Trace the chain")
    page.keyboard.press("Enter")
    expect(page.locator("#add-hop")).to_be_focused()
    assert_no_axe_violations(page, "#provenance")

    add_hop(page, 1, "Bloomb")
    add_hop(page, 2, "caracas", manner_steps_up=5, reason="“No” became “does not support”")
    add_hop(page, 3, "blog")
    expect(page.locator("#hop-2-heading")).to_have_text("Hop 2: Caracas wire")
    expect(page.locator("#hop-2-manner option:checked")).to_have_text("paraphrased")
    assert_no_axe_violations(page, "#provenance")

    tab_to(page, "Save chain")
    page.keyboard.press("Enter")
    line = "A minister → Bloomberg → Caracas wire → A blog of long names and longer opinions about everything → GPA"
    expect(page.locator(".chain-line")).to_have_text(line)
    expect(page.get_by_role("status")).to_have_text("Chain saved.")
    expect(page.get_by_text("paraphrased: “No” became “does not support”")).to_be_visible()
    assert [(r.position, r.source.name[:6], r.manner) for r in Claim.objects.get(pk=claim.pk).chain()] == [
        (1, "Bloomb", "unknown"),
        (2, "Caraca", "paraphrase"),
        (3, "A blog", "unknown"),
    ]
    assert console_errors == []


def test_the_chain_form_fits_a_phone(new_context, live_server, claim):
    from factcheck.models import Relay

    hops = [{"source": s, "manner": Relay.Manner.VERBATIM} for s in Source.objects.exclude(name="A minister")[1:]]
    claim.set_chain([], hops, by=None, seen_version=claim.version)
    page = new_context(viewport=PHONE).new_page()
    log_in(page, live_server, "eda", "pw-editor-123")
    for path in (claim.get_absolute_url(), f"/claims/{claim.pk}/chain"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    assert_no_axe_violations(page)


def test_the_chain_is_built_without_javascript(new_context, live_server, claim):
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, live_server, "eda", "pw-editor-123")
    page.goto(claim.get_absolute_url())
    page.get_by_role("link", name="Trace the chain").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attribution chain")
    page.get_by_role("button", name="Add a hop").click()
    page.get_by_label("Find: who passed it on").fill("caracas")
    page.get_by_label("Find: who passed it on").press("Enter")
    page.get_by_label("Who passed it on", exact=True).select_option(label="Caracas wire (Outlet)")
    page.get_by_label("How it passed the claim on").select_option(label="escalated")
    page.get_by_role("button", name="Save chain").click()
    expect(page.get_by_role("alert")).to_contain_text("Hop 1: say how Caracas wire changed the claim (escalated).")
    page.get_by_label("Reason").fill("A plan to escort aid became an “aborted coup attempt”")
    page.get_by_role("button", name="Save chain").click()
    expect(page.locator(".chain-line")).to_have_text("A minister → Caracas wire → GPA")
    expect(page.get_by_text("Chain saved.")).to_be_visible()
