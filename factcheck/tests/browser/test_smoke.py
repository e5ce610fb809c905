"""The login page in a real browser: accessible, logs a demo user in, and refuses a wrong password politely."""

import pytest
from playwright.sync_api import expect

from factcheck.models import ClaimLink

from .helpers import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser


def test_demo_user_logs_in_to_the_home_page(page, live_server, seeded_live, console_errors):
    page.goto("/login/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert_no_axe_violations(page)

    log_in(page, live_server, "ana", "factcheck-demo")

    expect(page.get_by_role("heading", level=1)).to_have_text("What the news claims")
    contradictions = ClaimLink.objects.contradictions().standing().count()  # as the contradictions page lists them
    assert contradictions > 0
    expect(page.locator("dt:text-is('Contradictions') + dd")).to_have_text(str(contradictions))
    expect(page.get_by_text("Ana Editor")).to_be_visible()
    assert_no_axe_violations(page)
    assert console_errors == []


def test_wrong_password_shows_the_error_not_a_500(page, seeded_live, console_errors):
    page.goto("/login/")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill("not-the-password")
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.get_by_role("button", name="Log in").click()

    assert posted.value.status == 200
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username and password")
    expect(page).to_have_url(posted.value.url)
    expect(page.get_by_label("Username")).to_have_value("ana")
    assert_no_axe_violations(page)
    assert console_errors == []
