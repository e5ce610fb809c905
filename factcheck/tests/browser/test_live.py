"""Live regions in a real browser: what a colleague changes shows up on open pages within 10 seconds, without a reload,
without losing what is being typed, without swapping anything when nothing changed; and a stale save shows the
conflict instead of overwriting. Two users, each in a browser context of their own, against the live server."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from factcheck.models import Article, Claim, ClaimLink, Comment, Source

from .helpers import assert_no_axe_violations
from .live_helpers import (
    POLLED_REGIONS,
    Deadline,
    PollLog,
    assert_not_navigated,
    besides_status,
    claim_with_links_to_make,
    focused_id,
    link_claims,
    mark,
    mark_claim,
    open_as,
    open_claim_editor,
    post_comment,
    save_claim_edit,
    set_verdict,
    tag_regions,
    unclaimed_passage,
    untouched_regions,
)

pytestmark = pytest.mark.browser

QUIET_SECONDS = 3


@pytest.fixture
def workbench(seeded_live):
    """An article, one of its claims, a claim elsewhere to link it to, and a passage of the article nobody quoted."""
    article = Article.objects.order_by("pk").first()
    claim, other = claim_with_links_to_make(article)
    return {"article": article, "claim": claim, "other": other, "passage": unclaimed_passage(article)}


def test_open_pages_show_a_colleagues_link_claim_and_verdict_within_10_seconds(
    new_context, live_server, workbench, console_errors
):
    article, claim, other, passage = (workbench[key] for key in ("article", "claim", "other", "passage"))
    # The page lists the contradictions not rejected.
    contradictions = ClaimLink.objects.contradictions().exclude(status=ClaimLink.Status.REJECTED).count()

    claim_page = open_as(new_context, live_server, "vera")
    claim_page.goto(claim.get_absolute_url())
    article_page = claim_page.context.new_page()
    article_page.goto(article.get_absolute_url())
    contradictions_page = claim_page.context.new_page()
    contradictions_page.goto("/contradictions/")
    watched = {page: mark(page) for page in (claim_page, article_page, contradictions_page)}
    expect(claim_page.locator("#link-list")).not_to_contain_text(other.statement)
    expect(contradictions_page.locator("#results .hint").first).to_have_text(f"{contradictions} contradictions.")

    ben = open_as(new_context, live_server, "ben")
    reason = "Ben: both cannot be true at once."
    linked = link_claims(ben, claim, other, reason)
    statement = "Ben marks this passage as a claim."
    marked = mark_claim(ben, article, passage, statement, claim.speaker)
    judged = set_verdict(ben, claim, "False")
    new_claim = Claim.objects.get(statement=statement)

    # The claim page: the new link, then the new verdict.
    expect(claim_page.locator("#link-list")).to_contain_text(other.statement, timeout=linked.ms)
    expect(claim_page.locator("#link-list")).to_contain_text(reason, timeout=linked.ms)
    expect(claim_page.locator("#summary .verdict")).to_have_text("Verdict: False", timeout=judged.ms)

    # The article page: the new claim in the list and highlighted in the text; the verdict on both.
    expect(article_page.locator("#claim-list")).to_contain_text(statement, timeout=marked.ms)
    expect(article_page.locator(f'#article-text mark[data-claim="{new_claim.pk}"]')).to_have_text(
        passage, timeout=marked.ms
    )
    expect(article_page.locator(f"#claim-{claim.pk} .verdict")).to_have_text("False", timeout=judged.ms)
    expect(article_page.locator(f'#article-text mark[data-claim="{claim.pk}"]')).to_have_class(
        re.compile(r"\bverdict-false\b"), timeout=judged.ms
    )

    # The contradictions page: one more pair, with its reason and the new verdict.
    pair = contradictions_page.locator("#results article.pair").filter(has_text=reason)
    expect(pair).to_have_count(1, timeout=linked.ms)
    expect(contradictions_page.locator("#results .hint").first).to_have_text(f"{contradictions + 1} contradictions.")
    side = pair.locator(".pair-side").filter(has_text=claim.statement)
    expect(side.locator(".verdict")).to_have_text("False", timeout=judged.ms)

    for page, url in watched.items():
        assert_not_navigated(page, url)
    assert console_errors == []


def test_typed_text_and_focus_survive_colleagues_changes(new_context, live_server, workbench, console_errors):
    article, claim, other, passage = (workbench[key] for key in ("article", "claim", "other", "passage"))

    claim_page = open_as(new_context, live_server, "ana")
    claim_page.goto(claim.get_absolute_url())
    article_page = claim_page.context.new_page()
    article_page.goto(article.get_absolute_url())
    watched = {page: mark(page) for page in (claim_page, article_page)}

    # Ana is typing on both pages; the focus is left in the last box of each.
    find_box = claim_page.get_by_label("Find a claim")
    reason_box = claim_page.get_by_label("Reason:", exact=True)
    comment_box = claim_page.get_by_label("Your comment:", exact=True)
    statement_box = article_page.get_by_label("Statement:", exact=True)
    typed = {
        find_box: "secret talks",
        reason_box: "Ana: half of a reason, still",
        comment_box: "Ana: I am in the middle of",
        statement_box: "Ana's draft of a statement",
    }
    for box, text in typed.items():
        box.click()
        box.press_sequentially(text)
    tag_regions(claim_page, *POLLED_REGIONS["claim"])
    tag_regions(article_page, *POLLED_REGIONS["article"])

    ben = open_as(new_context, live_server, "ben")
    linked = link_claims(ben, claim, other, "Ben: they contradict each other.")
    commented = post_comment(ben, claim.get_absolute_url(), "Ben: a comment while Ana types.")
    judged = set_verdict(ben, claim, "Misleading")
    marked = mark_claim(ben, article, passage, "Ben marks a claim while Ana types.", claim.speaker)

    # Every live region of both pages refreshes...
    expect(claim_page.locator("#link-list")).to_contain_text(other.statement, timeout=linked.ms)
    expect(claim_page.locator("#comment-list")).to_contain_text("a comment while Ana types", timeout=commented.ms)
    expect(claim_page.locator("#summary .verdict")).to_have_text("Verdict: Misleading", timeout=judged.ms)
    expect(article_page.locator("#claim-list")).to_contain_text("Ben marks a claim", timeout=marked.ms)
    new_claim = Claim.objects.get(statement="Ben marks a claim while Ana types.")
    expect(article_page.locator(f'#article-text mark[data-claim="{new_claim.pk}"]')).to_have_count(1, timeout=marked.ms)
    assert untouched_regions(claim_page, *POLLED_REGIONS["claim"]) == []
    assert untouched_regions(article_page, *POLLED_REGIONS["article"]) == []

    # ...and what Ana typed is all there, with the focus where she left it: she just types on.
    for box, text in typed.items():
        expect(box).to_have_value(text)
    assert focused_id(claim_page) == "id_body"
    assert focused_id(article_page) == "id_statement"
    claim_page.keyboard.type(" writing this.")
    article_page.keyboard.type(", continued")
    expect(comment_box).to_have_value(typed[comment_box] + " writing this.")
    expect(statement_box).to_have_value(typed[statement_box] + ", continued")

    for page, url in watched.items():
        assert_not_navigated(page, url)
    assert console_errors == []


def test_polls_that_find_nothing_new_answer_204_and_swap_nothing(new_context, live_server, workbench, console_errors):
    link = ClaimLink.objects.contradictions().order_by("pk").first()
    Comment.objects.create(link=link, author=User.objects.get(username="ben"), body="An old comment.")
    urls = {
        "claim": workbench["claim"].get_absolute_url(),
        "article": workbench["article"].get_absolute_url(),
        "contradictions": "/contradictions/",
        "link": link.get_absolute_url(),
    }
    first = open_as(new_context, live_server, "ana")
    watched = []
    for kind, url in urls.items():
        page = first if not watched else first.context.new_page()
        polls = PollLog(page)
        page.goto(url)
        tag_regions(page, *POLLED_REGIONS[kind])
        watched.append((kind, page, polls))

    first.wait_for_timeout(QUIET_SECONDS * 1000)

    for kind, page, polls in watched:
        regions = POLLED_REGIONS[kind]
        assert untouched_regions(page, *regions) == list(regions), f"a region of {page.url} was swapped"
        statuses = polls.by_region()
        assert set(statuses) == set(regions), f"{page.url} polled {statuses}"
        for region, answered in statuses.items():
            assert len(answered) >= 2, f"#{region} of {page.url} polled {len(answered)} times in {QUIET_SECONDS} s"
            assert set(answered) == {204}, f"#{region} of {page.url}: polls answered {answered}"
    assert console_errors == []


def test_a_stale_save_shows_the_conflict_and_saves_on_the_second_try(
    new_context, live_server, workbench, console_errors
):
    claim = workbench["claim"]
    ana = open_as(new_context, live_server, "ana")
    ana.goto(claim.get_absolute_url())
    ben = open_as(new_context, live_server, "ben")
    ben.goto(claim.get_absolute_url())
    url = mark(ana)
    open_claim_editor(ana)
    open_claim_editor(ben)

    bens = "Ben's wording of the claim, saved first."
    ben.get_by_label("Statement:", exact=True).fill(bens)
    assert save_claim_edit(ben).status == 200
    expect(ben.locator("#summary h1")).to_have_text(bens)

    anas = "Ana's wording of the claim, typed over the old version."
    ana.get_by_label("Statement:", exact=True).fill(anas)
    assert save_claim_edit(ana).status == 409
    conflict = ana.locator(".conflict[role=alert]")
    expect(conflict).to_contain_text("Ben Editor saved a newer version while you were editing.")
    row = conflict.get_by_role("row", name=re.compile("^Statement"))
    expect(row.get_by_role("cell")).to_have_text([bens, anas])
    expect(ana.get_by_label("Statement:", exact=True)).to_have_value(anas)
    expect(conflict).to_be_focused()
    assert Claim.objects.get(pk=claim.pk).statement == bens

    response = save_claim_edit(ana)
    saved = Deadline()
    assert response.status == 200
    expect(ana.locator("#summary h1")).to_have_text(anas)
    expect(ana.locator(".conflict")).to_have_count(0)
    assert Claim.objects.get(pk=claim.pk).statement == anas
    assert Claim.objects.get(pk=claim.pk).version == claim.version + 2

    expect(ben.locator("#summary h1")).to_have_text(anas, timeout=saved.ms)
    assert_not_navigated(ana, url)
    assert besides_status(console_errors, 409) == []


def test_a_comment_on_a_link_reaches_a_colleague_on_its_page(new_context, live_server, seeded_live, console_errors):
    link = ClaimLink.objects.contradictions().order_by("pk").first()
    vera = open_as(new_context, live_server, "vera")
    vera.goto(link.get_absolute_url())
    url = mark(vera)
    expect(vera.get_by_role("heading", name="Discussion (0)")).to_be_visible()

    ben = open_as(new_context, live_server, "ben")
    body = "Ben: the second source walked this back a week later."
    posted = post_comment(ben, link.get_absolute_url(), body)

    comment = vera.locator("#comment-list .comment").filter(has_text=body)
    expect(comment).to_have_count(1, timeout=posted.ms)
    expect(comment).to_contain_text("Ben Editor")
    expect(vera.get_by_role("heading", name="Discussion (1)")).to_be_visible()
    assert_not_navigated(vera, url)
    assert console_errors == []


def test_link_conflict_and_admin_edit_pages_have_no_axe_violations(new_context, live_server, workbench, console_errors):
    # axe-core is injected as a script: the site's Content-Security-Policy would block it.
    admin = open_as(new_context, live_server, "admin", bypass_csp=True)
    link = ClaimLink.objects.contradictions().order_by("pk").first()
    Comment.objects.create(link=link, author=User.objects.get(username="ben"), body="A comment to show.")
    admin.goto(link.get_absolute_url())
    expect(admin.locator("#comment-list")).to_contain_text("A comment to show.")
    assert_no_axe_violations(admin)

    # The claim page with the conflict box: Ben saves while the admin is editing.
    claim = workbench["claim"]
    admin.goto(claim.get_absolute_url())
    open_claim_editor(admin)
    admin.get_by_label("Statement:", exact=True).fill("The admin's wording.")
    current = Claim.objects.get(pk=claim.pk)
    current.statement = "Ben's wording, saved meanwhile."
    current._history_user = User.objects.get(username="ben")
    current.save_over(current.version)
    assert save_claim_edit(admin).status == 409
    expect(admin.locator(".conflict")).to_contain_text("Ben Editor saved a newer version")
    assert_no_axe_violations(admin)

    article = workbench["article"]
    source = Source.objects.filter(affiliation__isnull=False).order_by("pk").first()
    for url, heading in (
        (f"/articles/{article.pk}/edit", "Edit article"),
        (f"/sources/{source.pk}/edit", "Edit source"),
        (f"/articles/{article.pk}/delete", f"Delete “{article.title}”?"),
    ):
        admin.goto(url)
        expect(admin.get_by_role("heading", level=1)).to_have_text(heading)
        assert_no_axe_violations(admin)
    assert besides_status(console_errors, 409) == []
