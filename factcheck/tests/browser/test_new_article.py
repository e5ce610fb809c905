"""An editor adds articles in a real browser: pasting the text, and by web address, watching the fetch's progress
turn into the form to check (htmx polling, no reload) before saving.

The fetch runs on the real database queue: the test runs the worker (`db_worker --batch`'s loop) in the test's own
thread while the page, served by the live server's thread, is polling; the page comes from a local web server in
a third thread, never the internet."""

from unittest import mock

import pytest
from django.contrib.auth.models import Group, User
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from factcheck.models import Article, ArticleFetch, Source

from ..articles.page_server import serving
from .helpers import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser
PASSWORD = "pw-editor-123"
TEXT = (
    "Exiles drop plan to invade\n"
    "Army officers in exile abandoned a plan to enter the country by force last month, two people said.\n"
)


@pytest.fixture
def editor_page(page, live_server, transactional_db):
    user = User.objects.create_user("eda", password=PASSWORD, first_name="Eda")
    user.groups.add(Group.objects.get(name="Editors"))
    log_in(page, live_server, "eda", PASSWORD)
    return page


def assert_fits_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def run_worker():
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser-test-worker",
        excluded_queue_names=[],
    )
    # Its connection is the one the browser fixtures set up for this thread: kept, not closed between tasks.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        worker.run()


def test_an_editor_pastes_an_article_checks_it_and_saves_it(editor_page, console_errors):
    page = editor_page
    page.get_by_role("link", name="New article").click()
    expect(page.get_by_role("heading", name="New article", level=1)).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("textbox", name="Article text").fill(TEXT)
    page.get_by_role("button", name="Continue with this text").click()

    expect(page.get_by_role("heading", name="Check the new article")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Exiles drop plan to invade")
    page.get_by_label("Author").fill("M. López")
    assert_no_axe_violations(page)
    assert_fits_a_phone(page)
    page.get_by_role("button", name="Save the article").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Exiles drop plan to invade")
    article = Article.objects.get()
    assert (article.body, article.author) == (TEXT, "M. López")
    assert console_errors == []


def test_an_editor_adds_an_article_by_its_address_and_sees_it_fetched(editor_page, settings, console_errors):
    settings.FACTCHECK_FETCH_PRIVATE_ADDRESSES = True  # the local web server is on 127.0.0.1
    courier = Source.objects.create(name="The Caracas Courier", kind=Source.Kind.OUTLET)
    page = editor_page
    with serving() as server:
        page.goto("/articles/new")
        page.get_by_role("textbox", name="Page address").fill(f"{server.url}/courier.html")
        page.get_by_role("button", name="Fetch the page").click()

        expect(page.get_by_role("heading", name="New article from the web")).to_be_visible()
        expect(page.get_by_role("status")).to_contain_text("Waiting to be fetched")
        fetch_page_url = page.url
        assert_no_axe_violations(page)
        assert_fits_a_phone(page)

        run_worker()

        expect(page.get_by_role("heading", name="Check what was found")).to_be_visible()
    assert page.url == fetch_page_url  # swapped in by htmx's poll, not a reload
    expect(page.get_by_label("Title")).to_have_value("Army split over exile plan")
    expect(page.get_by_label("Author")).to_have_value("María López")
    expect(page.locator("#pick-outlet")).to_have_value(str(courier.pk))
    expect(page.get_by_label("Published")).to_have_value("2019-05-14")
    assert_no_axe_violations(page)
    assert_fits_a_phone(page)
    page.get_by_role("button", name="Save the article").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Army split over exile plan")
    article = Article.objects.get()
    assert (article.outlet, article.url) == (courier, f"{server.url}/courier.html")
    assert ArticleFetch.objects.get().article == article
    assert console_errors == []
