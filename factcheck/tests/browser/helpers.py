"""Helpers for the browser tests: logging in, and the axe-core accessibility check."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

AXE_JS = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
SHOWN_TARGETS = 3


def missing(reason):
    """A browser-test prerequisite is missing: an error in CI, a skip on a developer's machine."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests)", pytrace=False)
    pytest.skip(reason)


def log_in(page, live_server, username, password):
    """Log in through the login form and wait for the home page; fail with the form's errors if it does not come."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    if urlsplit(page.url).path != "/":
        errors = page.get_by_role("alert").all_inner_texts()
        raise AssertionError(f"Logging in as {username!r} led to {page.url}, not the home page; errors: {errors}")


def assert_no_axe_violations(page, context=None, options=None):
    """Run axe-core on the page (or on `context`, a selector or axe context object) and fail on any violation."""
    if not AXE_JS.exists():
        missing(f"{AXE_JS} not found: run `npm ci` (make test does)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, which the page's Content Security Policy does not
        # govern (a <script> tag would be blocked by it): the pages stay under their real policy.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        if not page.evaluate("() => typeof window.axe === 'object'"):
            raise AssertionError("axe-core did not load into the page")
    results = page.evaluate(
        "([context, options]) => axe.run(context || document, options || {})",
        [context, options],
    )
    violations = results["violations"]
    assert not violations, format_violations(page.url, violations)


def format_violations(url, violations):
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        nodes = violation["nodes"]
        targets = [" ".join(map(str, node["target"])) for node in nodes[:SHOWN_TARGETS]]
        more = f" (and {len(nodes) - SHOWN_TARGETS} more)" if len(nodes) > SHOWN_TARGETS else ""
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"    at {', '.join(targets)}{more}")
        lines.append(f"    {violation['helpUrl']}")
    return "\n".join(lines)
