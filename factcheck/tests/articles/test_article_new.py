"""The new-article page: text pasted, a file, or a web page fetched in the background by the real task on the real
database queue (a worker run once, in this process); the editor checks what was found, then saves."""

import re
from datetime import date
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from factcheck.models import Article, ArticleFetch, Source

from .page_server import PAGES, serving

pytestmark = pytest.mark.django_db
NEW = reverse("article_new")
CHECK = reverse("article_new_check")
TEXT = (
    "Exiles drop plan to invade\n"
    "Army officers in exile abandoned a plan to enter the country by force last month, two people said.\n"
    "The defence minister said on Tuesday that the army remained loyal to the president.\n"
)


@pytest.fixture
def server(settings):
    settings.FACTCHECK_FETCH_PRIVATE_ADDRESSES = True  # the test server is on 127.0.0.1
    settings.FACTCHECK_FETCH_TIMEOUT_SECONDS = 5
    with serving() as server:
        yield server


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def courier(db):
    return Source.objects.create(name="The Caracas Courier", kind=Source.Kind.OUTLET)


def run_worker():
    """What `manage.py db_worker --batch` does: run every queued task, then stop. The worker closes stale
    database connections between tasks; here the connection holds the test's transaction, so it stays."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        _worker().run()


def _worker():
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def check_data(**fields):
    return {
        "title": "Exiles drop plan",
        "outlet": "",
        "author": "",
        "url": "",
        "published_on": "",
        "body": TEXT,
        **fields,
    }


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# The start page


def test_the_page_offers_three_ways_in(editor_client, django_assert_num_queries):
    with django_assert_num_queries(4):  # the session, the user, the user's and their groups' permissions
        response = editor_client.get(NEW)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="url"' in html and 'name="text"' in html and 'type="file"' in html
    assert 'enctype="multipart/form-data"' in html
    assert f'<a href="{NEW}" aria-current="page">New article</a>' in html


def test_the_nav_links_to_it_for_editors_only(client, editor, viewer):
    client.force_login(editor)
    assert f'href="{NEW}"' in client.get(reverse("home")).content.decode()
    client.force_login(viewer)
    assert f'href="{NEW}"' not in client.get(reverse("home")).content.decode()


def test_viewers_are_refused(client, viewer):
    client.force_login(viewer)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {"text": TEXT}).status_code == 403
    assert client.post(CHECK, check_data()).status_code == 403
    fetch = ArticleFetch.objects.create(url="https://example.org/a", requested_by=viewer)
    assert client.get(reverse("article_fetch", args=[fetch.pk])).status_code == 403
    assert Article.objects.count() == 0 and ArticleFetch.objects.count() == 1


def test_an_anonymous_user_is_sent_to_log_in(client):
    assert client.get(NEW)["Location"] == f"/login/?next={NEW}"


def test_nothing_given_is_explained(editor_client):
    response = editor_client.post(NEW, {"text": "  \n"})
    assert response.status_code == 422
    assert "Paste the article&#x27;s text, choose a file, or give its web address." in response.content.decode()


def test_two_ways_at_once_are_refused(editor_client):
    response = editor_client.post(NEW, {"text": TEXT, "url": "https://example.org/a"})
    assert response.status_code == 422
    assert "Give one of them only" in response.content.decode()
    assert ArticleFetch.objects.count() == 0


# Text pasted


def test_pasted_text_is_shown_to_check_then_saved(editor_client, editor, django_assert_num_queries):
    response = editor_client.post(NEW, {"text": TEXT.replace("\n", "\r\n")})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Check the new article" in html and f'action="{CHECK}"' in html
    assert 'value="Exiles drop plan to invade"' in html  # the title, from the first line
    assert Article.objects.count() == 0  # nothing saved yet

    response = editor_client.post(CHECK, check_data(published_on="2019-05-14", author="M. López"))
    article = Article.objects.get()
    assert response.status_code == 303 and response["Location"] == article.get_absolute_url()
    assert (article.title, article.body, article.author, article.published_on, article.added_by) == (
        "Exiles drop plan",
        TEXT,
        "M. López",
        date(2019, 5, 14),
        editor,
    )
    assert article.history.get().history_user == editor


def test_the_same_text_twice_is_refused_with_a_link(editor_client, article):
    response = editor_client.post(NEW, {"text": article.body})
    assert response.status_code == 409
    html = response.content.decode()
    assert "This text is already recorded" in html
    assert f'<a href="{article.get_absolute_url()}">Army loyal?</a>' in html


def test_a_text_saved_by_a_colleague_meanwhile_is_refused_with_a_link(editor_client, editor):
    editor_client.post(NEW, {"text": TEXT})
    theirs = Article.add(title="Theirs", body=TEXT)
    response = editor_client.post(CHECK, check_data())
    assert response.status_code == 409
    assert f'<a href="{theirs.get_absolute_url()}">Theirs</a>' in response.content.decode()
    assert Article.objects.count() == 1


def test_a_broken_rule_shows_the_form_again_keeping_the_text(editor_client):
    response = editor_client.post(CHECK, check_data(title="", url="not an address"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required." in html and "Enter a valid URL." in html
    assert "Army officers in exile abandoned a plan" in html
    assert Article.objects.count() == 0


def test_the_outlet_is_chosen_with_the_picker(editor_client, courier):
    editor_client.post(CHECK, check_data(outlet=courier.pk))
    assert Article.objects.get().outlet == courier
    response = editor_client.post(CHECK, check_data(outlet=courier.pk, title=""))
    assert f'<option value="{courier.pk}" selected>The Caracas Courier</option>' in response.content.decode()


# Republications


@pytest.fixture
def original(courier):
    return Article.add(
        title="Exiles drop plan to invade",
        outlet=courier,
        body="Caracas (GPA)\n" + TEXT + "A third paragraph only the original has, about the border and its guards.\n",
    )


def test_a_republication_is_flagged_and_offered(editor_client, original):
    republished = "From our partners\n" + TEXT
    response = editor_client.post(NEW, {"text": republished})
    html = text_of(response)
    assert "This looks like a republication." in html
    shared = round(100 * (1 - len("From our partners") / len(republished.replace("\n", ""))))
    assert f"Exiles drop plan to invade — {shared}% of this text is in it" in html
    assert "No: an article of its own" in html

    response = editor_client.post(CHECK, check_data(body=republished, republished_from=original.pk))
    assert response.status_code == 303
    assert Article.objects.get(body=republished).republished_from == original


def test_a_different_article_is_no_republication(editor_client, original):
    html = editor_client.post(NEW, {"text": "A report of its own.\nThe army held exercises near the border today.\n"})
    assert "republication" not in html.content.decode()


def test_the_similarity_finder_measures_the_shared_text(original, grow_corpus, django_assert_num_queries):
    grow_corpus(count=20)
    with django_assert_num_queries(2):  # the index lookup, then the few articles found
        found = Article.objects.sharing_text_with("Intro line.\n" + TEXT)
    assert found == [original]
    assert found[0].shared == pytest.approx(1 - len("Intro line.") / len("Intro line." + TEXT.replace("\n", "")))
    quoted_once = [TEXT.splitlines()[1]] + [
        f"Paragraph {n} of a new report on the border, its guards and the army." for n in range(5)
    ]
    assert Article.objects.sharing_text_with("\n".join(quoted_once)) == []
    assert Article.objects.sharing_text_with("short\nlines only\n") == []


# Files


def test_a_text_file_is_read_like_the_importer_reads_it(editor_client):
    upload = SimpleUploadedFile("report.txt", "\ufeffHeadline\r\nBody – with a dash.\r\n".encode(), "text/plain")
    html = editor_client.post(NEW, {"file": upload}).content.decode()
    assert 'value="Headline"' in html
    assert "Headline\nBody – with a dash.\n</textarea>" in html


def test_an_html_file_is_read_as_text(editor_client):
    page = (PAGES / "courier.html").read_bytes()
    html = editor_client.post(NEW, {"file": SimpleUploadedFile("story.html", page, "text/html")}).content.decode()
    assert 'value="Army split over exile plan | The Caracas Courier"' in html
    assert "Army officers in exile abandoned a plan" in html
    assert "window.tracking" not in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.png", (PAGES / "photo.png").read_bytes(), "“photo.png” is not a text (.txt) or web page (.html) file."),
        ("photo.txt", (PAGES / "photo.png").read_bytes(), "The file looks like a binary file, not text."),
        (
            "old.txt",
            "Café".encode("latin-1"),
            "The file is not UTF-8 text (invalid byte at position 3); save it as UTF-8.",
        ),
        ("empty.txt", b"   \n", "The file is empty."),
    ],
)
def test_a_bad_file_is_refused_with_a_reason(editor_client, name, content, message):
    response = editor_client.post(NEW, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 422
    assert message in response.content.decode().replace("&#x27;", "'")
    assert Article.objects.count() == 0


def test_a_file_over_the_limit_is_refused(editor_client, settings):
    settings.FACTCHECK_MAX_ARTICLE_BYTES = 10
    response = editor_client.post(NEW, {"file": SimpleUploadedFile("long.txt", b"Eleven bytes")})
    assert "The file is 12 bytes, over the 10-byte limit." in response.content.decode()


# By web address: the real task, queued in the database, run by the worker


def test_a_page_is_fetched_in_the_background_then_checked_and_saved(editor_client, editor, server, courier):
    url = f"{server.url}/courier.html"
    response = editor_client.post(NEW, {"url": url})
    fetch = ArticleFetch.objects.get()
    assert response.status_code == 303 and response["Location"] == reverse("article_fetch", args=[fetch.pk])
    assert (fetch.status, fetch.requested_by, fetch.url) == ("queued", editor, url)
    assert DBTaskResult.objects.get(id=fetch.task_id).status == "READY"  # queued, not run in the request

    page = editor_client.get(response["Location"])
    html = page.content.decode()
    assert "Waiting to be fetched" in html and "<progress" in html
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html
    assert f'href="{response["Location"]}">Check again</a>' in html
    assert 'hx-trigger="every 1s"' in html

    run_worker()

    fetch.refresh_from_db()
    assert fetch.status == "ready"
    assert DBTaskResult.objects.get(id=fetch.task_id).status == "SUCCESSFUL"
    assert fetch.snapshot == (PAGES / "courier.html").read_text(encoding="utf-8")
    html = editor_client.get(response["Location"]).content.decode()
    assert "Check what was found" in html and "refresh" not in html and "every 1s" not in html
    assert 'value="Army split over exile plan"' in html
    assert 'value="María López"' in html and 'value="2019-05-14"' in html and f'value="{url}"' in html
    assert f'<option value="{courier.pk}" selected>The Caracas Courier</option>' in html  # from the site name

    saved = editor_client.post(
        response["Location"],
        check_data(title="Army split over exile plan", url=url, outlet=courier.pk, body=fetch.text),
    )
    article = Article.objects.get()
    assert saved.status_code == 303 and saved["Location"] == article.get_absolute_url()
    assert (article.url, article.outlet, article.body) == (url, courier, fetch.text)
    fetch.refresh_from_db()
    assert (fetch.status, fetch.article) == ("saved", article)
    assert article.fetches.get().snapshot.startswith("<!doctype html>")
    assert "Saved as" in editor_client.get(response["Location"]).content.decode()


def test_with_the_immediate_backend_the_page_is_fetched_at_once(editor_client, server, settings):
    """DJANGO_TASKS_IMMEDIATE=1: no worker needed (the request waits for the page)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    response = editor_client.post(NEW, {"url": f"{server.url}/courier.html"})
    assert ArticleFetch.objects.get().status == "ready"
    assert "Check what was found" in editor_client.get(response["Location"]).content.decode()


def test_the_progress_is_a_fragment_for_htmx(editor_client, server, django_assert_num_queries):
    editor_client.post(NEW, {"url": f"{server.url}/courier.html"})
    fetch = ArticleFetch.objects.get()
    url = reverse("article_fetch", args=[fetch.pk])
    with django_assert_num_queries(5):  # the session, the user, their permissions (2), the fetch
        response = editor_client.get(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<section id="fetch"')
    assert "HX-Request" in response["Vary"]
    run_worker()
    response = editor_client.get(url, headers={"HX-Request": "true"})
    assert "Check what was found" in response.content.decode() and "<html" not in response.content.decode()


def test_the_ready_page_costs_a_fixed_number_of_queries(editor_client, server, courier, grow_corpus, fixed_queries):
    editor_client.post(NEW, {"url": f"{server.url}/courier.html"})
    run_worker()
    url = reverse("article_fetch", args=[ArticleFetch.objects.get().pk])
    assert fixed_queries(lambda: editor_client.get(url), lambda: grow_corpus(count=10)) == 10


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/photo.png", "The address gives an image (image/png), not a web page or text"),
        ("/menu.html", "No article was found in the page"),
        ("/missing", "The site answered “404 Not Found”"),
    ],
)
def test_a_failed_fetch_says_why(editor_client, server, path, message):
    editor_client.post(NEW, {"url": f"{server.url}{path}"})
    run_worker()
    fetch = ArticleFetch.objects.get()
    assert fetch.status == "failed" and message in fetch.error
    html = editor_client.get(reverse("article_fetch", args=[fetch.pk])).content.decode()
    assert "The article could not be read from this address." in html and message in html
    assert Article.objects.count() == 0


def test_a_private_address_is_refused_without_the_setting(editor_client, settings):
    settings.FACTCHECK_FETCH_PRIVATE_ADDRESSES = False
    with serving() as server:
        editor_client.post(NEW, {"url": f"{server.url}/courier.html"})
        run_worker()
        assert server.requests == []
    assert "is on a private network (127.0.0.1)" in ArticleFetch.objects.get().error


def test_only_http_addresses_are_taken(editor_client):
    response = editor_client.post(NEW, {"url": "ftp://example.org/report.txt"})
    assert response.status_code == 422
    assert "Enter a web page&#x27;s address, starting with http:// or https://." in response.content.decode()
    assert ArticleFetch.objects.count() == 0


def test_an_address_already_recorded_is_refused_before_fetching(editor_client, article):
    article.url = "https://example.org/army"
    article.save()
    response = editor_client.post(NEW, {"url": "https://example.org/army"})
    assert response.status_code == 409
    assert "An article with this web address is already recorded" in response.content.decode()
    assert ArticleFetch.objects.count() == 0


def test_a_page_whose_text_is_recorded_is_refused_with_a_link(editor_client, server):
    editor_client.post(NEW, {"url": f"{server.url}/courier.html"})
    run_worker()
    fetch = ArticleFetch.objects.get()
    earlier = Article.add(title="Earlier copy", body=fetch.text)
    html = editor_client.get(reverse("article_fetch", args=[fetch.pk])).content.decode()
    assert "This text is already recorded" in html
    assert f'<a href="{earlier.get_absolute_url()}">Earlier copy</a>' in html
    assert "Save the article" not in html


def test_a_colleagues_fetch_is_not_shown(client, editor, server):
    from django.contrib.auth.models import Group, User

    fetch = ArticleFetch.objects.create(url=f"{server.url}/courier.html", requested_by=editor)
    colleague = User.objects.create_user("ben")
    colleague.groups.add(Group.objects.get(name="Editors"))
    client.force_login(colleague)
    assert client.get(reverse("article_fetch", args=[fetch.pk])).status_code == 404


def test_a_fetch_saved_already_is_not_saved_twice(editor_client, server):
    editor_client.post(NEW, {"url": f"{server.url}/courier.html"})
    run_worker()
    fetch = ArticleFetch.objects.get()
    url = reverse("article_fetch", args=[fetch.pk])
    data = check_data(title="Army split", url=fetch.final_url, body=fetch.text)
    assert editor_client.post(url, data).status_code == 303
    again = editor_client.post(url, {**data, "title": "Again"})
    assert again.status_code == 409 and "Saved as" in again.content.decode()
    assert Article.objects.count() == 1


def test_posting_needs_the_pages_csrf_token(editor, server):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(NEW, {"text": TEXT}).status_code == 403
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(NEW).content.decode())[1]
    html = client.post(NEW, {"text": TEXT, "csrfmiddlewaretoken": token}).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    assert client.post(CHECK, {**check_data(), "csrfmiddlewaretoken": token}).status_code == 303
    assert Article.objects.count() == 1
