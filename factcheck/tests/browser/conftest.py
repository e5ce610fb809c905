"""Fixtures for the real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live_server.

Every test here is a transactional test (live_server implies it): the server thread must see what the test
wrote. Helpers to call from the tests (logging in, the axe-core check) are in helpers.py.
"""

import io
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connections

from .helpers import missing

# Playwright's sync API runs an asyncio event loop in this (the test) thread, so Django sees a "running loop" and
# refuses ORM calls here with SynchronousOnlyOperation; the tests are plain synchronous code, so that check is moot.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # The machines reach package registries only: without these Chromium's own connections are refused noisily.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000
RESULTS_DIR = Path(__file__).resolve().parents[3] / "test-results"

_reports = pytest.StashKey[dict]()


def chromium_path():
    """Debian's Chromium: $CHROMIUM_PATH if set, else /usr/bin/chromium, else chromium or chromium-browser on PATH."""
    if override := os.environ.get("CHROMIUM_PATH"):
        return override if os.access(override, os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test, so fixtures can tell at teardown whether the test failed.
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        where = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium, chromium or chromium-browser on PATH"
        missing(f"Chromium not found ({where}): `make test` installs it as root, or apt-get install chromium")
    from playwright.sync_api import sync_playwright

    own_connections = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        # Django keeps database connections per thread, but per asyncio context while an event loop runs in the
        # thread, and from here on Playwright's does: without this the test thread would open fresh connections,
        # not the ones the test database was set up with (which hold what serialized rollback restores).
        for alias, connection in own_connections.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _browser_db(django_db_serialized_rollback, transactional_db):
    """Transactional database access for every browser test, restoring what the migrations created.

    A transactional test empties every table afterwards, including the Viewers and Editors groups the migrations
    made; serialized rollback puts them back before each test (seed_demo needs them).
    """


@pytest.fixture(autouse=True)
def _quick_polls(settings):
    """Live regions poll every second here (5 in production), so a test waits seconds, not tens of them."""
    settings.FACTCHECK_POLL_SECONDS = 1


@pytest.fixture
def seeded_live(transactional_db):
    """The demo data (seed_demo), committed so that the live server sees it."""
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def console_errors():
    """Console errors and uncaught exceptions of every page of the test's browser contexts, as text lines."""
    return []


@pytest.fixture
def new_context(request, browser, live_server, console_errors):
    """Factory of fresh browser contexts (separate cookies: one per user), closed after the test.

    Pages resolve relative URLs against the live server: page.goto("/login/"). On failure, each page's screenshot
    and HTML are saved under test-results/, and the console errors are printed.
    """
    contexts = []

    def make(**options):
        options.setdefault("base_url", live_server.url)
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("console", lambda msg: _log_console_error(msg, console_errors))
        context.on("weberror", lambda error: console_errors.append(f"uncaught: {error.error}"))
        contexts.append(context)
        return context

    yield make

    reports = request.node.stash.get(_reports, {})
    failed = any(report.failed for report in reports.values())
    if failed:
        _save_pages(request.node.nodeid, contexts)
        if console_errors:
            print("Browser console errors:", *console_errors, sep="\n  ")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A page in a fresh browser context, for tests with a single user."""
    return new_context().new_page()


def _log_console_error(msg, console_errors):
    source = msg.location.get("url") or (msg.page.url if msg.page else "?")
    # Chromium asks for /favicon.ico by itself when a page names no icon: not the page's error.
    if msg.type == "error" and urlsplit(source).path != "/favicon.ico":
        console_errors.append(f"{source}: {msg.text}")


def _save_pages(nodeid, contexts):
    folder = RESULTS_DIR / re.sub(r"[^\w.-]+", "_", nodeid)
    folder.mkdir(parents=True, exist_ok=True)
    for c, context in enumerate(contexts, 1):
        for p, page in enumerate(context.pages, 1):
            stem = folder / f"context{c}-page{p}"
            try:
                page.screenshot(path=f"{stem}.png", full_page=True)
                Path(f"{stem}.html").write_text(page.content(), encoding="utf-8")
            except Exception as error:  # noqa: BLE001 - a page that cannot be saved must not hide the failure
                print(f"Could not save {page.url}: {error}")
                continue
            print(f"Saved {page.url} to {stem}.png and .html")
