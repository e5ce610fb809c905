"""Helpers for the live-region tests (test_live.py): users in their own browser contexts, a colleague's changes made
through the UI, deadlines for "arrives within 10 seconds", and watching the htmx polls of a page."""

import re
import time
from urllib.parse import urlsplit

from factcheck.models import Claim, ClaimLink

from .helpers import log_in

PASSWORD = "factcheck-demo"
ARRIVAL_SECONDS = 10
POLLED_REGIONS = {
    "claim": ("summary", "link-list", "comment-list"),
    "article": ("article-text", "claim-list"),
    "contradictions": ("results",),
    "link": ("comment-list",),
}


def open_as(new_context, live_server, username, **options):
    """A page in a fresh browser context of its own (its own cookies), logged in as `username`."""
    page = new_context(**options).new_page()
    log_in(page, live_server, username, PASSWORD)
    return page


class Deadline:
    """Started when a change is made: how long what shows it may still take to arrive."""

    def __init__(self, seconds=ARRIVAL_SECONDS):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    @property
    def ms(self):
        """Milliseconds left (at least 1: a Playwright timeout of 0 means none at all)."""
        return max(1, round((self.end - time.monotonic()) * 1000))


# One page, watched: no navigation, and which of its nodes htmx replaced.


def mark(page):
    """Set window.__marker: it survives until the page navigates or reloads."""
    page.evaluate("() => { window.__marker = 'still here'; }")
    return page.url


def assert_not_navigated(page, url):
    assert page.evaluate("() => window.__marker") == "still here", f"{page.url} was reloaded or navigated"
    assert page.url == url


def tag_regions(page, *ids):
    """Give each live region's current DOM node a JS property (lost when htmx swaps the node for a new one)."""
    page.evaluate(
        """(ids) => ids.forEach((id) => {
            const node = document.getElementById(id);
            if (!node) throw new Error(`no #${id} on ${location.pathname}`);
            node.__liveTag = id;
        })""",
        list(ids),
    )


def untouched_regions(page, *ids):
    """Which of these regions are still the very DOM node tag_regions tagged."""
    return page.evaluate(
        "(ids) => ids.filter((id) => document.getElementById(id)?.__liveTag === id)",
        list(ids),
    )


def focused_id(page):
    return page.evaluate("() => document.activeElement && document.activeElement.id")


class PollLog:
    """The htmx poll responses of a page, recorded from before it loads: (region, status) pairs."""

    def __init__(self, page):
        self.page = page
        self.polls = []
        page.on("response", self._record)

    def _record(self, response):
        request = response.request
        headers = request.headers
        # A poll: an htmx GET of the page's own URL carrying `shown` (the digest of what the region shows). Links
        # and buttons inside a region inherit its hx-vals, so `shown` alone does not make a request a poll.
        polled = urlsplit(request.url)
        if (
            request.method == "GET"
            and headers.get("hx-request") == "true"
            and polled.path == urlsplit(self.page.url).path
            and "shown=" in polled.query
        ):
            self.polls.append((headers.get("hx-target"), response.status))

    def by_region(self):
        regions = {}
        for region, status in self.polls:
            regions.setdefault(region, []).append(status)
        return regions


# Choosing demo data to work on.


def claim_with_links_to_make(article):
    """A claim of `article` whose verdict is not False, and a claim of another article not yet linked to it."""
    claim = article.claims.exclude(verdict=Claim.Verdict.FALSE).order_by("pk").first()
    linked = set(ClaimLink.objects.filter(from_claim=claim).values_list("to_claim", flat=True))
    linked |= set(ClaimLink.objects.filter(to_claim=claim).values_list("from_claim", flat=True))
    other = Claim.objects.exclude(article=article).exclude(pk__in=linked).order_by("pk").first()
    return claim, other


def unclaimed_passage(article):
    """A whole line of the article's body that appears once and no claim quotes any part of."""
    body = article.body
    spans = [(c.quote_start, c.quote_end) for c in article.claims.all()]
    offset = 0
    for line in body.splitlines(keepends=True):
        text = line.strip()
        start = offset + line.index(text) if text else offset
        end = start + len(text)
        offset += len(line)
        if 40 <= len(text) <= 300 and body.count(text) == 1:
            if not any(s < end and start < e for s, e in spans):
                return text
    raise AssertionError(f"no unclaimed passage in article {article.pk}")


# A colleague's changes, made through the UI on his own page; each returns the Deadline started once it is saved.


def link_claims(page, claim, other, reason):
    """On claim's page: find `other`, link it as contradicting, with a reason."""
    page.goto(claim.get_absolute_url())
    page.get_by_label("Find a claim").fill(other.statement)
    page.get_by_role("radio", name=re.compile(re.escape(other.statement))).check()
    page.get_by_label("This claim").select_option("contradicts")
    page.get_by_label("Reason:", exact=True).fill(reason)
    with page.expect_response(lambda r: r.request.method == "POST" and "/links/new" in r.url) as posted:
        page.get_by_role("button", name="Add link").click()
    assert posted.value.status == 200, f"linking answered {posted.value.status}"
    deadline = Deadline()
    page.get_by_role("status").filter(has_text="Link added.").wait_for()
    return deadline


def mark_claim(page, article, quote, statement, speaker):
    """On the article's page: a new claim quoting `quote` (pasted in the quote box), said by `speaker`."""
    page.goto(article.get_absolute_url())
    page.get_by_label("Exact quote:", exact=True).fill(quote)
    page.get_by_label("Statement:", exact=True).fill(statement)
    page.get_by_label("Speaker:", exact=True).fill(f"{speaker.name} ({speaker.get_kind_display()})")
    with page.expect_response(lambda r: r.request.method == "POST" and "/claims/new" in r.url) as posted:
        page.get_by_role("button", name="Add claim").click()
    assert posted.value.status == 200, f"adding the claim answered {posted.value.status}"
    deadline = Deadline()
    page.get_by_role("status").filter(has_text="Claim added.").wait_for()
    return deadline


def open_claim_editor(page):
    page.get_by_role("link", name="Edit statement and verdict").click()
    page.get_by_role("heading", name="Edit claim").wait_for()


def save_claim_edit(page):
    """Click Save in the claim edit form (swapped into the claim page); the response."""
    with page.expect_response(lambda r: r.request.method == "POST" and urlsplit(r.url).path.endswith("/edit")) as saved:
        page.get_by_role("button", name="Save").click()
    return saved.value


def set_verdict(page, claim, verdict_label):
    """On the claim's page: Edit statement and verdict, choose the verdict, save."""
    if urlsplit(page.url).path != claim.get_absolute_url():
        page.goto(claim.get_absolute_url())
    open_claim_editor(page)
    page.get_by_label("Verdict:", exact=True).select_option(label=verdict_label)
    response = save_claim_edit(page)
    assert response.status == 200, f"saving the verdict answered {response.status}"
    deadline = Deadline()
    page.get_by_role("status").filter(has_text="Saved.").wait_for()
    return deadline


def post_comment(page, url, body):
    """On a claim's or link's page: post a comment."""
    if urlsplit(page.url).path != url:
        page.goto(url)
    page.get_by_label("Your comment:", exact=True).fill(body)
    with page.expect_response(lambda r: r.request.method == "POST" and "/comments/new" in r.url) as posted:
        page.get_by_role("button", name="Post comment").click()
    assert posted.value.status == 200, f"posting the comment answered {posted.value.status}"
    deadline = Deadline()
    page.locator("#comment-list").get_by_text(body).wait_for()
    return deadline


def besides_status(console_errors, status):
    """The console errors left once Chromium's line for each expected `status` response (a 409 conflict) goes."""
    expected = f"Failed to load resource: the server responded with a status of {status} "
    return [error for error in console_errors if expected not in error]
