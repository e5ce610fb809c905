"""Stored XSS, in a real browser: a corpus of payloads (script tags, event-handler attributes, javascript: and data:
URLs, injected hx-* attributes, template syntax) stored in every user-written field renders inert on every page and
in every htmx fragment: no dialog opens, no request goes where a payload points, no element or attribute of a
payload exists in the DOM, and no link leads to a javascript: or data: URL.

The payloads go in through the ORM, as an import or the admin could store them, skipping the forms' validation.
The browser ignores the Content Security Policy here (bypass_csp): the policy is a second line of defence, tested
in test_deploy_settings.py; this test checks the first, the escaping, on its own.
"""

from urllib.parse import quote, urlsplit

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from factcheck.models import Article, Claim, ClaimLink, Comment, Source

from .helpers import log_in

pytestmark = pytest.mark.browser

PASSWORD = "pw-xss-test-1"
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<div hx-get="/evil" hx-trigger="load">x</div>',
    "{{7*7}} {% debug %}",
    "</textarea><svg onload=alert(1)>",
    "</title><script>alert(1)</script>",
    "<iframe src=\"javascript:alert('evil')\"></iframe>",
    "' onmouseover='alert(1)' x='",
    '" hx-get="/evil" hx-trigger="load" x="',
    '<img src="/evil.png" onerror="alert(1)">',
]
URLS = [
    "javascript:alert(1)",
    " javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "javascript:alert(1)//https://example.org/",
]
SAFE_URL = "https://example.org/a-real-report"

# What a payload would leave in the DOM had it been parsed as HTML; the app itself has none of these.
DOM_CHECK = """(strict) => {
    const problems = [];
    const requesting = /^(data-)?hx-(get|post|put|patch|delete|on.*)$/;
    for (const el of document.querySelectorAll("*")) {
        for (const {name, value} of Array.from(el.attributes)) {
            const n = name.toLowerCase();
            const shown = `<${el.localName} ${n}="${value}">`;
            if (n.startsWith("on")) problems.push(shown);
            // Only an attribute that makes htmx fetch or run something counts: hx-confirm's text is just text.
            if (requesting.test(n) && /evil/i.test(value)) problems.push(shown);
            if (/^(data-)?hx-(vals|headers)$/.test(n) && /^\\s*(js|javascript):/i.test(value)) problems.push(shown);
            // Browsers drop whitespace and control characters in a URL's scheme: so does this check.
            const url = value.replace(/[\\s\\x00-\\x1f]/g, "");
            const linking = ["href", "src", "action", "formaction", "data", "xlink:href"].includes(n);
            if (linking && /^(javascript|data|vbscript):/i.test(url)) problems.push(shown);
        }
    }
    for (const a of document.querySelectorAll("a[href], area[href]")) {
        if (!["http:", "https:"].includes(a.protocol)) problems.push(`link to ${a.protocol} ${a.getAttribute("href")}`);
    }
    for (const s of document.querySelectorAll("script")) {
        if (!s.src || s.textContent.trim()) problems.push(`inline script ${s.textContent.slice(0, 60)}`);
    }
    // The app's pages have no images, icons or frames at all; the admin has its own icons.
    const foreign = strict ? "img, svg, " : "img[src=x], img[src*=evil], ";
    for (const el of document.querySelectorAll(foreign + "iframe, object, embed, frame, base, meta[http-equiv]")) {
        problems.push(`<${el.localName}> ${el.outerHTML.slice(0, 80)}`);
    }
    for (const el of document.querySelectorAll("[hx-trigger~=load], [hx-get='/evil'], form[action*=evil]")) {
        problems.push(`payload element ${el.outerHTML.slice(0, 80)}`);
    }
    return problems;
}"""
# A form refused (422) is logged by Chromium as a failed resource: expected where the test sends one on purpose.
REFUSED_FORM = "the server responded with a status of 422"


class Watch:
    """Everything that would show a payload firing, across every page of a browser context."""

    def __init__(self, context, live_server):
        self.origin = live_server.url
        self.dialogs = []
        self.requests = []
        self.problems = []
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("page", self._watch_page)

    def _watch_page(self, page):
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message} on {dialog.page.url if dialog.page else '?'}")
        dialog.dismiss()

    def check(self, page, label, shows=None):
        """Check the page as it is now; `shows`: a payload that must be there, as text."""
        found = page.evaluate(DOM_CHECK, not urlsplit(page.url).path.startswith("/admin/"))
        self.problems += [f"{label} ({page.url}): {problem}" for problem in found]
        if shows is not None:
            text = page.evaluate("() => document.documentElement.textContent + document.title")
            if shows not in text:
                self.problems.append(f"{label} ({page.url}): the payload {shows!r} is not shown as text")

    def visit(self, page, url, label, shows=None):
        response = page.goto(url)
        if response is None or response.status != 200:
            self.problems.append(f"{label}: GET {url} answered {response.status if response else None}")
        self.check(page, label, shows)

    def bad_requests(self):
        bad = []
        for url in self.requests:
            parts = urlsplit(url)
            if "evil" in url.lower() or parts.path.rsplit("/", 1)[-1] == "x":
                bad.append(url)
            elif not url.startswith(self.origin) and parts.scheme not in ("data", "blob"):
                bad.append(url)
        return bad

    def assert_inert(self, console_errors):
        assert self.dialogs == [], "a payload opened a dialog:\n" + "\n".join(self.dialogs)
        assert self.bad_requests() == [], "a payload made the browser ask for:\n" + "\n".join(self.bad_requests())
        assert self.problems == [], "\n".join(self.problems)
        assert [error for error in console_errors if REFUSED_FORM not in error] == []


def _user(username, first, last, **flags):
    user = User.objects.create_user(username, password=PASSWORD, first_name=first[:150], last_name=last[:150], **flags)
    if not flags.get("is_superuser"):
        user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def payload_corpus(transactional_db):
    """For each payload, an outlet, a speaker, an article, a claim, a link, comments: every user-written field holds it.
    And users whose names are payloads."""
    editor = _user("xss-editor", PAYLOADS[1], PAYLOADS[0], is_staff=True)
    colleague = _user("xss-colleague", PAYLOADS[3], PAYLOADS[4], is_staff=True)
    _user("xss-admin", PAYLOADS[7], PAYLOADS[2], is_staff=True, is_superuser=True)
    claims = []
    for n, payload in enumerate(PAYLOADS):
        url = URLS[n % len(URLS)]
        outlet = Source.objects.create(
            name=payload, kind="outlet", description=payload, url=url, reliability_note=payload, created_by=colleague
        )
        speaker = Source.objects.create(
            name=payload, kind="person", affiliation=outlet, description=payload, url=url, reliability_note=payload
        )
        body = f"Report {n}.\nThe minister said: {payload} and left.\n{payload}\n"
        article = Article.objects.create(
            title=payload, author=payload, url=f"{url}//{n}", body=body, outlet=outlet, added_by=colleague
        )
        start = body.index(payload)
        claim = Claim.objects.create(
            article=article,
            quote=payload,
            quote_start=start,
            quote_end=start + len(payload),
            statement=f"Claim {n} before its edit",
            speaker=speaker,
            created_by=colleague,
        )
        # An edit, so that the history shows the payload as a change too.
        claim.statement, claim.verdict_note = payload, payload
        claim.save()
        Comment.objects.create(claim=claim, author=colleague, body=payload)
        claims.append(claim)
    links = []
    for n, (claim, other) in enumerate(zip(claims, claims[1:] + claims[:1], strict=True)):
        link = claim.link(other, ClaimLink.Kind.CONTRADICTS, by=colleague, reason=PAYLOADS[n])
        Comment.objects.create(link=link, author=editor, body=PAYLOADS[n])
        links.append(link)
    safe = Article.objects.create(title="A plain report", url=SAFE_URL, body="Nothing to see.", added_by=editor)
    return {"claims": claims, "links": links, "safe_article": safe}


def test_the_dom_check_sees_a_payload_that_got_through(page, live_server, payload_corpus):
    """The check must fail when a payload is parsed as HTML, or this test proves nothing."""
    page.goto(f"{live_server.url}/login/")
    html = "".join(PAYLOADS) + '<a href="javascript:alert(1)">x</a>'
    page.evaluate(
        "(html) => { const d = document.createElement('div'); d.innerHTML = html; document.body.append(d); }", html
    )
    problems = page.evaluate(DOM_CHECK, True)
    assert len(problems) >= 10
    assert any("onerror" in problem for problem in problems)
    assert any("link to javascript:" in problem for problem in problems)
    assert any("/evil" in problem for problem in problems)


def test_stored_payloads_render_inert_on_every_page(new_context, live_server, payload_corpus, console_errors):
    claims, links = payload_corpus["claims"], payload_corpus["links"]
    context = new_context(bypass_csp=True)
    watch = Watch(context, live_server)
    page = context.new_page()
    log_in(page, live_server, "xss-editor", PASSWORD)
    watch.check(page, "home", shows=PAYLOADS[0])

    watch.visit(page, "/contradictions/", "contradictions", shows=PAYLOADS[2])
    for n, payload in enumerate(PAYLOADS):
        claim, link = claims[n], links[n]
        article, speaker, outlet = claim.article, claim.speaker, claim.speaker.affiliation
        search = payload[:12]
        pages = [
            (f"/articles/?q={quote(search)}", "article list search"),
            (f"/sources/?q={quote(search)}", "source list search"),
            (f"/contradictions/?source={speaker.pk}&article={article.pk}", "contradictions filtered"),
            (article.get_absolute_url(), "article"),
            (f"/articles/{article.pk}/edit", "article edit"),
            (f"/articles/{article.pk}/claims/new", "new claim"),
            (f"{claim.get_absolute_url()}?q={quote(search)}", "claim with a search"),
            (f"/claims/{claim.pk}/edit", "claim edit"),
            (link.get_absolute_url(), "link"),
            (f"/links/{link.pk}/delete?claim={claim.pk}", "link delete confirmation"),
            (speaker.get_absolute_url(), "speaker"),
            (outlet.get_absolute_url(), "outlet"),
            (f"/sources/{speaker.pk}/edit", "source edit"),
        ]
        for url, label in pages:
            watch.visit(page, url, f"{label} of payload {n}", shows=payload)

    # The "original" link of an article and a source's website: shown only for http(s) addresses.
    watch.visit(page, payload_corpus["safe_article"].get_absolute_url(), "a plain article")
    expect(page.get_by_role("link", name="original")).to_have_attribute("href", SAFE_URL)

    watch.assert_inert(console_errors)


def test_pages_only_a_superuser_sees_render_payloads_inert(new_context, live_server, payload_corpus, console_errors):
    """The article delete confirmation (it lists the article's claims), and the admin's lists and forms."""
    context = new_context(bypass_csp=True)
    watch = Watch(context, live_server)
    page = context.new_page()
    log_in(page, live_server, "xss-admin", PASSWORD)
    for n, claim in enumerate(payload_corpus["claims"]):
        watch.visit(page, f"/articles/{claim.article_id}/delete", f"article delete of payload {n}", shows=PAYLOADS[n])
        for model, pk in [("article", claim.article_id), ("claim", claim.pk), ("source", claim.speaker_id)]:
            watch.visit(page, f"/admin/factcheck/{model}/{pk}/change/", f"admin {model} of payload {n}")
    for model in ("article", "claim", "source", "claimlink", "comment"):
        watch.visit(page, f"/admin/factcheck/{model}/?q=alert", f"admin {model} list", shows=PAYLOADS[0])
    watch.visit(page, "/admin/auth/user/", "admin user list", shows=PAYLOADS[1])
    watch.assert_inert(console_errors)


def test_htmx_fragments_render_payloads_inert(new_context, live_server, payload_corpus, console_errors):
    """The fragments htmx swaps in, each triggered as a user would: searches, type-ahead, inline edit, forms sent
    back with errors, a new comment."""
    claims = payload_corpus["claims"]
    context = new_context(bypass_csp=True)
    watch = Watch(context, live_server)
    page = context.new_page()
    log_in(page, live_server, "xss-editor", PASSWORD)

    # Article list and source list: typing a search swaps the results.
    for url, box in (("/articles/", "Search titles, authors and text"), ("/sources/", "Search sources")):
        page.goto(url)
        with page.expect_response(lambda r: "q=" in r.url and r.request.headers.get("hx-request") == "true"):
            page.get_by_label(box).fill("alert")
        expect(page.locator("#results")).to_contain_text(PAYLOADS[0])
        watch.check(page, f"{url} results fragment", shows=PAYLOADS[0])

    # Contradictions: choosing a filter swaps the results.
    page.goto("/contradictions/")
    # The source picker's options are found by typing the (payload) name.
    with page.expect_response(lambda r: "/pick/sources" in r.url):
        page.get_by_label("Find source (either side)").fill(claims[1].speaker.name)
    watch.check(page, "source picker options", shows=claims[1].speaker.name)
    with page.expect_response(lambda r: "source=" in r.url and r.request.headers.get("hx-request") == "true"):
        page.get_by_label("Source (either side)", exact=True).select_option(str(claims[1].speaker_id))
    watch.check(page, "contradictions results fragment", shows=PAYLOADS[1])

    textarea = PAYLOADS.index("</textarea><svg onload=alert(1)>")
    claim = claims[textarea]
    page.goto(claim.get_absolute_url())
    # The link search: candidates as you type, then the Search button (the whole links section).
    with page.expect_response(lambda r: "/link-candidates" in r.url):
        page.get_by_label("Find a claim").fill("alert")
    expect(page.locator("#candidates")).to_contain_text(PAYLOADS[0])
    watch.check(page, "link candidates fragment", shows=PAYLOADS[0])
    with page.expect_response(lambda r: "/links/new" in r.url):
        page.get_by_role("button", name="Search", exact=True).click()
    watch.check(page, "links fragment after a search", shows=PAYLOADS[0])
    # Adding a link without choosing a claim: the form comes back with its errors and what was typed.
    page.get_by_label("Reason:", exact=True).fill(PAYLOADS[textarea])
    with page.expect_response(lambda r: "/links/new" in r.url and r.status == 422):
        page.get_by_role("button", name="Add link").click()
    expect(page.get_by_label("Reason:", exact=True)).to_have_value(PAYLOADS[textarea])
    watch.check(page, "link form with errors")

    # Editing the claim in place: the form in a fragment, the payload inside its textareas; then Cancel.
    page.get_by_role("link", name="Edit statement and verdict").click()
    expect(page.get_by_label("Statement:", exact=True)).to_have_value(PAYLOADS[textarea])
    watch.check(page, "claim edit fragment", shows=PAYLOADS[textarea])
    page.get_by_label("Statement:", exact=True).fill("")
    with page.expect_response(lambda r: r.url.endswith("/edit") and r.status == 422):
        page.get_by_role("button", name="Save").click()
    expect(page.get_by_label("Verdict note:", exact=True)).to_have_value(PAYLOADS[textarea])
    watch.check(page, "claim edit fragment with errors", shows=PAYLOADS[textarea])
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PAYLOADS[textarea])

    # A comment with a payload, posted through the form: the discussion fragment.
    page.get_by_label("Your comment:", exact=True).fill(PAYLOADS[1])
    with page.expect_response(lambda r: "/comments/new" in r.url):
        page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comment-list")).to_contain_text(PAYLOADS[1])
    watch.check(page, "discussion fragment", shows=PAYLOADS[1])

    # The new-claim form on an article: the speaker type-ahead, then a claim refused with what was typed.
    page.goto(claim.article.get_absolute_url())
    with page.expect_response(lambda r: "/sources/options" in r.url):
        page.get_by_label("Speaker:", exact=True).fill("alert")
    expect(page.locator("#speaker-options option")).not_to_have_count(0)
    watch.check(page, "speaker options fragment")
    page.get_by_label("Exact quote:", exact=True).fill(PAYLOADS[textarea] + " not in the text")
    page.get_by_label("Statement:", exact=True).fill(PAYLOADS[textarea])
    with page.expect_response(lambda r: "/claims/new" in r.url and r.status == 422):
        page.get_by_role("button", name="Add claim").click()
    expect(page.get_by_label("Statement:", exact=True)).to_have_value(PAYLOADS[textarea])
    watch.check(page, "claim form with errors")

    watch.assert_inert(console_errors)


def test_live_polls_swap_in_payloads_inert(new_context, live_server, payload_corpus, console_errors):
    """A colleague's changes with payloads arrive through the 5-second polls of the claim page's three regions."""
    claims = payload_corpus["claims"]
    context = new_context(bypass_csp=True)
    watch = Watch(context, live_server)
    page = context.new_page()
    log_in(page, live_server, "xss-editor", PASSWORD)
    claim = claims[0]
    page.goto(claim.get_absolute_url())
    watch.check(page, "claim page before the polls", shows=PAYLOADS[0])

    colleague = User.objects.get(username="xss-colleague")
    Comment.objects.create(claim=claim, author=colleague, body=f"New: {PAYLOADS[4]}")
    claim.statement = f"Edited: {PAYLOADS[1]}"
    claim.save_over(claim.version)
    claim.link(claims[5], ClaimLink.Kind.REPEATS, by=colleague, reason=f"Repeated: {PAYLOADS[10]}")

    expect(page.locator("#comment-list")).to_contain_text(f"New: {PAYLOADS[4]}", timeout=12_000)
    expect(page.locator("#summary h1")).to_have_text(f"Edited: {PAYLOADS[1]}", timeout=12_000)
    expect(page.locator("#link-list")).to_contain_text(f"Repeated: {PAYLOADS[10]}", timeout=12_000)
    watch.check(page, "claim page after the polls", shows=PAYLOADS[4])
    # Another round of polls (answered 204, nothing new) must change nothing either.
    page.wait_for_timeout(2_500)
    watch.check(page, "claim page after more polls")
    watch.assert_inert(console_errors)
