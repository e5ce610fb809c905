"""The newsroom's story in a real browser: two editors at once mark a claim in an article and link it to a claim in
another article, a viewer reads it and may change nothing, the claim is edited in place and the link removed.
Everything a user does here happens in the page (htmx swaps), never by a reload."""

import re

import pytest
from playwright.sync_api import expect

from factcheck.models import Article, Claim, ClaimLink, Source

from .helpers import log_in

pytestmark = pytest.mark.browser

PASSWORD = "factcheck-demo"
# A passage of the Vesti report that no demo claim quotes; it starts right after one that does (and its number).
PASSAGE = "There are almost more journalists than protesters at the rally near Washington's monument in Caracas."
STATEMENT = "Journalists outnumbered protesters at the opposition rally in Caracas."
SPEAKER = "Valentin Bogdanov (Vesti correspondent)"
REASON = "Vesti says few people turned out for Guaidó, while this claim speaks of a broad movement."
REASON_REQUIRED = "Say why these claims contradict each other."


def vesti_article():
    return Article.objects.get(outlet__name="Vesti")


def claim_elsewhere():
    """A demo claim from another article than the Vesti one."""
    return Claim.objects.exclude(article__outlet__name="Vesti").order_by("pk").first()


def select_in_article(page, passage):
    """Select `passage` in the article text as a user's mouse would: a DOM selection over the text node holding it,
    then the mouse button released over the selected text (app.js reads the selection on mouseup)."""
    point = page.evaluate(
        """(passage) => {
            const container = document.querySelector("#article-text");
            const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(passage);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + passage.length);
                const first = range.getClientRects()[0];
                window.scrollBy(0, first.top - window.innerHeight / 3);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                const rects = range.getClientRects();
                const last = rects[rects.length - 1];
                return {x: last.right - 2, y: last.top + last.height / 2};
            }
            return null;
        }""",
        passage,
    )
    assert point, f"{passage!r} is not in one text node of the article text"
    page.mouse.move(point["x"], point["y"])
    page.mouse.up()


def mark_page(page):
    """Tag the loaded document: the tag survives htmx swaps, not a reload."""
    page.evaluate("window.__marker = 1")


def assert_not_reloaded(page):
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"


def links_heading(page):
    return page.locator("#links-heading")


def unexpected(console_errors, *statuses):
    """Console errors, leaving out the browser's own note of the responses the test expects to fail."""
    expected = tuple(f"status of {status}" for status in statuses)
    return [line for line in console_errors if not any(note in line for note in expected)]


def test_two_editors_mark_link_edit_and_unlink_a_claim_while_a_viewer_only_reads(
    new_context, live_server, seeded_live, console_errors
):
    article = vesti_article()
    assert article.body.count(PASSAGE) == 1
    passage_start = article.body.index(PASSAGE)
    assert not article.claims.filter(quote_start__lt=passage_start + len(PASSAGE), quote_end__gt=passage_start)
    assert not Source.objects.filter(name=SPEAKER).exists()
    other = claim_elsewhere()

    ana = new_context().new_page()
    ben = new_context().new_page()
    log_in(ana, live_server, "ana", PASSWORD)
    log_in(ben, live_server, "ben", PASSWORD)

    # Ana selects a passage with the mouse: the new claim form takes it as the quote, with its offset.
    ana.goto(article.get_absolute_url())
    mark_page(ana)
    select_in_article(ana, PASSAGE)
    expect(ana.get_by_label("Exact quote")).to_have_value(PASSAGE)
    expect(ana.locator("#id_quote_start")).to_have_value(str(passage_start))
    expect(ana.locator("#selection-status")).to_contain_text(f"({len(PASSAGE)} characters)")

    ana.get_by_label("Statement").fill(STATEMENT)
    ana.get_by_label("Speaker:", exact=True).fill(SPEAKER)
    ana.get_by_role("button", name="Add claim").click()

    expect(ana.get_by_role("status").filter(has_text="Claim added.")).to_be_visible()
    claim = Claim.objects.get(statement=STATEMENT)
    assert (claim.quote, claim.quote_start, claim.quote_end) == (PASSAGE, passage_start, passage_start + len(PASSAGE))
    assert article.body[claim.quote_start : claim.quote_end] == claim.quote
    assert (claim.speaker.name, claim.speaker.kind, claim.created_by.username) == (SPEAKER, "person", "ana")
    # Each claim keeps the number it was given: the new one takes the article's next.
    number = claim.number
    assert number == article.claims.count()
    mark = ana.locator(f'#article-text mark.claim-mark[data-claim="{claim.pk}"]')
    expect(mark).to_have_text(PASSAGE)
    expect(ana.locator(f'#article-text mark[data-claim="{claim.pk}"] + a.claim-ref')).to_have_text(str(number))
    expect(ana.locator(f"#claim-{claim.pk}")).to_contain_text(f"{number}. {STATEMENT}")
    expect(ana.get_by_role("heading", name=re.compile(r"^Claims in this article"))).to_have_text(
        f"Claims in this article ({article.claims.count()})"
    )
    assert_not_reloaded(ana)

    # Meanwhile Ben, on a claim of another article, finds Ana's claim by the words of its statement.
    ben.goto(other.get_absolute_url())
    links_before = ClaimLink.objects.involving(other).count()
    expect(links_heading(ben)).to_have_text(f"Links ({links_before})")
    mark_page(ben)
    ben.get_by_label("Find a claim").press_sequentially("outnumbered protesters")
    candidate = ben.locator("#candidates label.candidate", has_text=STATEMENT)
    expect(candidate).to_be_visible()
    candidate.get_by_role("radio").check()
    ben.get_by_label("This claim").select_option(label="contradicts")

    # A contradiction without a reason is refused in place; his choice of claim is kept.
    ben.get_by_role("button", name="Add link").click()
    expect(ben.get_by_text(REASON_REQUIRED)).to_be_visible()
    expect(ben.locator("#candidates label.candidate", has_text=STATEMENT).get_by_role("radio")).to_be_checked()
    expect(ben.get_by_label("This claim")).to_have_value("contradicts")
    assert not ClaimLink.objects.involving(claim).exists()

    ben.get_by_label("Reason").fill(REASON)
    ben.get_by_role("button", name="Add link").click()
    link = ben.locator("#links li.link-item", has_text=STATEMENT)
    expect(link).to_contain_text(REASON)
    expect(link).to_contain_text("linked by ben")
    expect(ben.get_by_role("status").filter(has_text="Link added.")).to_be_visible()
    expect(links_heading(ben)).to_have_text(f"Links ({links_before + 1})")
    saved = ClaimLink.objects.involving(claim).get()
    assert (saved.kind, saved.reason, saved.created_by.username) == ("contradicts", REASON, "ben")
    assert {saved.from_claim_id, saved.to_claim_id} == {claim.pk, other.pk}
    assert_not_reloaded(ben)

    # Ana sees Ben's link on her claim and among the contradictions of her article.
    ana.goto(claim.get_absolute_url())
    on_her_claim = ana.locator("#links li.link-item", has_text=other.statement)
    expect(on_her_claim).to_contain_text(REASON)
    expect(on_her_claim).to_contain_text("linked by ben")

    ana.goto("/contradictions/")
    # The article picker: a few letters of the title fill the list, then she chooses.
    with ana.expect_response(lambda response: "/pick/articles" in response.url):
        ana.get_by_label("Find article (either side)").fill(article.title[:12])
    ana.get_by_label("Article (either side)", exact=True).select_option(str(article.pk))
    expect(ana).to_have_url(re.compile(rf"[?&]article={article.pk}\b"))
    # The page leaves out rejected contradictions by default (the demo rejects some, with their reasons).
    listed = ClaimLink.objects.contradictions().exclude(status=ClaimLink.Status.REJECTED)
    in_article = listed.filter(from_claim__article=article) | listed.filter(to_claim__article=article)
    expect(ana.locator("#results .hint")).to_have_text(f"{in_article.distinct().count()} contradictions.")
    pair = ana.locator("#results article.pair", has_text=STATEMENT)
    expect(pair).to_contain_text(REASON)
    expect(pair).to_contain_text(other.statement)

    # Vera, a viewer, reads the link but is offered no change, and the server refuses one all the same.
    vera = new_context().new_page()
    log_in(vera, live_server, "vera", PASSWORD)
    vera.goto(other.get_absolute_url())
    seen = vera.locator("#links li.link-item", has_text=STATEMENT)
    expect(seen).to_contain_text(REASON)
    expect(seen).to_contain_text("linked by ben")
    expect(vera.get_by_role("link", name="Edit statement and verdict")).to_have_count(0)
    expect(vera.get_by_role("button", name=re.compile(r"^Remove link"))).to_have_count(0)
    expect(vera.get_by_role("heading", name="Link a claim")).to_have_count(0)
    expect(vera.locator("form.link-form")).to_have_count(0)
    expect(vera.get_by_label("Find a claim")).to_have_count(0)
    status = vera.evaluate(
        """async ([url, claim]) => {
            const token = JSON.parse(document.body.getAttribute("hx-headers"))["x-csrftoken"];
            const response = await fetch(url, {
                method: "POST", headers: {"X-CSRFToken": token}, body: new URLSearchParams({claim}),
            });
            return response.status;
        }""",
        [f"/links/{saved.pk}/delete", str(other.pk)],
    )
    assert status == 403
    assert ClaimLink.objects.filter(pk=saved.pk).exists()

    vera.goto(article.get_absolute_url())
    expect(vera.locator(f'#article-text mark[data-claim="{claim.pk}"]')).to_have_text(PASSAGE)
    expect(vera.get_by_role("heading", name="New claim")).to_have_count(0)
    expect(vera.locator("#claim-form-region")).to_have_count(0)
    expect(vera.get_by_role("button", name="Add claim")).to_have_count(0)

    # Ana edits her claim's verdict in place; Cancel then puts the summary back as it was.
    ana.goto(claim.get_absolute_url())
    mark_page(ana)
    ana.get_by_role("link", name="Edit statement and verdict").click()
    statement = ana.get_by_label("Statement")
    expect(statement).to_be_focused()
    expect(statement).to_have_value(STATEMENT)
    ana.get_by_label("Verdict:", exact=True).select_option(label="Misleading")
    ana.get_by_role("button", name="Save").click()
    summary = ana.locator("#summary")
    expect(summary.get_by_text("Verdict: Misleading")).to_be_visible()
    expect(summary.get_by_role("status")).to_have_text("Saved.")
    expect(ana.get_by_role("heading", level=1)).to_have_text(STATEMENT)
    claim.refresh_from_db()
    assert (claim.verdict, claim.statement) == ("misleading", STATEMENT)
    assert_not_reloaded(ana)

    ana.get_by_role("link", name="Edit statement and verdict").click()
    expect(ana.get_by_label("Statement")).to_be_focused()
    ana.get_by_label("Statement").fill("A statement Ana thinks better of")
    ana.get_by_label("Verdict:", exact=True).select_option(label="False")
    ana.get_by_role("link", name="Cancel").click()
    expect(ana.get_by_role("link", name="Edit statement and verdict")).to_be_visible()
    expect(ana.get_by_role("heading", level=1)).to_have_text(STATEMENT)
    expect(summary.get_by_text("Verdict: Misleading")).to_be_visible()
    expect(ana.get_by_label("Statement")).to_have_count(0)
    claim.refresh_from_db()
    assert (claim.verdict, claim.statement) == ("misleading", STATEMENT)
    assert_not_reloaded(ana)

    # Ben removes the link: the confirmation dialog first dismissed (nothing happens), then accepted.
    dialogs = []
    deletes = []
    ben.on("request", lambda request: deletes.append(request.url) if "/delete" in request.url else None)
    remove = link.get_by_role("button", name=re.compile(r"^Remove link"))
    expect(remove).to_have_accessible_name(re.compile(r"^Remove link to “Journalists outnumbered"))

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    ben.once("dialog", dismiss)
    remove.click()
    assert len(dialogs) == 1 and dialogs[0].startswith("Remove the link to “Journalists outnumbered")
    expect(link).to_be_visible()
    expect(links_heading(ben)).to_have_text(f"Links ({links_before + 1})")
    assert deletes == []
    assert ClaimLink.objects.filter(pk=saved.pk).exists()

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    ben.once("dialog", accept)
    remove.click()
    expect(link).to_have_count(0)
    expect(links_heading(ben)).to_have_text(f"Links ({links_before})")
    expect(ben.get_by_role("status").filter(has_text="Link removed.")).to_be_visible()
    assert len(dialogs) == 2
    assert not ClaimLink.objects.filter(pk=saved.pk).exists()
    assert_not_reloaded(ben)

    assert unexpected(console_errors, 403, 422) == []


def test_editor_edits_a_claim_with_the_keyboard_only(page, live_server, seeded_live, console_errors):
    claim = claim_elsewhere()
    new_statement = "Edited with the keyboard alone."
    log_in(page, live_server, "ana", PASSWORD)
    page.goto(claim.get_absolute_url())
    mark_page(page)

    edit = page.get_by_role("link", name="Edit statement and verdict")
    for _ in range(40):
        page.keyboard.press("Tab")
        if edit.evaluate("element => element === document.activeElement"):
            break
    expect(edit).to_be_focused()
    page.keyboard.press("Enter")

    statement = page.get_by_label("Statement")
    expect(statement).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(new_statement)
    save = page.get_by_role("button", name="Save")
    # Past the claim's kind, hedge, date, its precision, its last day and the words that give it.
    for _ in range(20):
        page.keyboard.press("Tab")
        if save.evaluate("element => element === document.activeElement"):
            break
    expect(save).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(new_statement)
    expect(page.locator("#summary").get_by_role("status")).to_have_text("Saved.")
    # Focus comes back to the button that opened the form, so the keyboard user can go on from there.
    expect(edit).to_be_focused()
    claim.refresh_from_db()
    assert claim.statement == new_statement
    assert_not_reloaded(page)
    assert console_errors == []


def test_busy_indicator_shows_while_a_request_is_in_flight(page, live_server, seeded_live, console_errors):
    claim = claim_elsewhere()
    held = []
    log_in(page, live_server, "ben", PASSWORD)
    page.goto(claim.get_absolute_url())
    busy = page.locator("#busy")
    expect(busy).not_to_have_class(re.compile(r"\bhtmx-request\b"))
    expect(busy).to_have_css("opacity", "0")

    page.route(lambda url: "/link-candidates" in url, lambda route: held.append(route))
    page.get_by_label("Find a claim").press_sequentially("army")

    expect(busy).to_have_class(re.compile(r"\bhtmx-request\b"))
    expect(busy).to_have_css("opacity", "1")
    expect(busy.get_by_text("Loading…")).to_be_visible()
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1, "the candidates request never reached the browser's network layer"
    expect(page.locator("#candidates label.candidate")).to_have_count(0)

    held[0].continue_()
    expect(page.locator("#candidates label.candidate").first).to_be_visible()
    expect(busy).not_to_have_class(re.compile(r"\bhtmx-request\b"))
    expect(busy).to_have_css("opacity", "0")
    expect(busy.get_by_text("Loading…")).to_be_hidden()
    assert console_errors == []
