"""The API's interactive docs and the tokens page in a real browser: the docs run under the site's Content
Security Policy from the site's own static files, and a token made on the page works in the docs' "Try it out"."""

import pytest
from playwright.sync_api import expect

from .helpers import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser


def test_a_token_made_on_the_page_reads_through_the_docs(page, live_server, seeded_live, console_errors):
    log_in(page, live_server, "vera", "factcheck-demo")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Name").fill("dashboard")
    page.get_by_role("button", name="Make a token").click()
    key = page.get_by_label("New token").input_value()
    assert key.startswith("fc_")
    expect(page.get_by_text("dashboard")).to_be_visible()
    assert_no_axe_violations(page)

    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/api/v1/docs")
    operation = page.locator("#operations-articles-factcheck_api_articles_list_articles")
    expect(operation).to_be_visible()
    page.get_by_role("button", name="Authorize").first.click()
    page.locator(".auth-container input").fill(key)
    page.locator(".modal-ux button.authorize").click()
    page.locator(".modal-ux button.btn-done").click()
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table .response .response-col_status")).to_have_text("200")
    assert all(url.startswith(live_server.url) for url in requests), requests
    assert console_errors == []
