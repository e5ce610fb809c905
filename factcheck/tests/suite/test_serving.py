"""Production serving (README, "Production"): collectstatic writes the static files under content-hashed names with
gzipped copies, pages link those names, WhiteNoise serves them compressed and cached for a year with DEBUG off,
pages and fragments are gzipped, and the real gunicorn serves all of it."""

import gzip
import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

PROJECT = Path(settings.BASE_DIR)
YEAR = 365 * 24 * 60 * 60
GZIP = {"Accept-Encoding": "gzip, deflate"}
STYLESHEET = r'<link rel="stylesheet" href="([^"]+)"'
HTMX = r'<script src="([^"]*/htmx[^"]*)"'


def production_environment(**changes):
    """The environment `make serve` gives its commands (DEBUG off, the site serving its static files), with
    `changes`."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(DJANGO_SECRET_KEY=secrets.token_urlsafe(64), DJANGO_DEBUG="0", DJANGO_SERVE_STATIC="1", **changes)
    return env


def run(*command, env):
    result = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


READ_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({"MIDDLEWARE": settings.MIDDLEWARE, "STORAGES": settings.STORAGES}))
"""


@pytest.fixture(scope="module")
def production_settings():
    """The middleware and storages the settings give production."""
    env = {**production_environment(), "DJANGO_SETTINGS_MODULE": "factcheck.settings"}
    return json.loads(run(sys.executable, "-c", READ_SETTINGS, env=env).stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """A STATIC_ROOT filled by `manage.py collectstatic` as production runs it."""
    root = tmp_path_factory.mktemp("staticfiles")
    run(sys.executable, "manage.py", "collectstatic", "--no-input", env=production_environment(DJANGO_STATIC_ROOT=root))
    return root


@pytest.fixture
def production_static(production_settings, collected, settings):
    """Production's middleware, static storage and collected files for the test client (WhiteNoise reads STATIC_ROOT
    when a client's first request builds the middleware, so each test's client sees them)."""
    settings.DEBUG = False
    settings.MIDDLEWARE = production_settings["MIDDLEWARE"]
    settings.STORAGES = production_settings["STORAGES"]
    settings.STATIC_ROOT = collected
    return collected


def linked(html, pattern):
    match = re.search(pattern, html)
    assert match, f"{pattern} not in the page"
    return match[1]


def max_age(cache_control):
    return int(re.search(r"max-age=(\d+)", cache_control)[1])


def test_production_serves_hashed_compressed_static_files_first_thing(production_settings):
    assert production_settings["STORAGES"]["staticfiles"] == {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    }
    assert production_settings["MIDDLEWARE"][:3] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.middleware.gzip.GZipMiddleware",
    ]


@pytest.mark.parametrize(
    ("pattern", "name", "content_type"),
    [(STYLESHEET, "css/site", "text/css"), (HTMX, "vendor/htmx/htmx.min", "text/javascript")],
    ids=["stylesheet", "htmx"],
)
@pytest.mark.django_db
def test_a_static_file_is_linked_by_its_hash_and_served_compressed_and_cached_for_a_year(
    production_static, client, pattern, name, content_type
):
    url = linked(client.get(reverse("login")).content.decode(), pattern)
    assert re.fullmatch(rf"/static/{re.escape(name)}\.[0-9a-f]{{12}}\.\w+", url)

    response = client.get(url, headers=GZIP)
    body = b"".join(response.streaming_content)
    response.close()

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert max_age(response["Cache-Control"]) >= YEAR
    assert "immutable" in response["Cache-Control"]
    assert gzip.decompress(body) == (production_static / url.removeprefix("/static/")).read_bytes()


@pytest.mark.django_db
def test_a_static_file_is_sent_uncompressed_to_a_client_that_does_not_accept_gzip(production_static, client):
    url = linked(client.get(reverse("login")).content.decode(), STYLESHEET)
    response = client.get(url)
    body = b"".join(response.streaming_content)
    response.close()
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert body == (production_static / url.removeprefix("/static/")).read_bytes()


@pytest.mark.django_db
def test_a_static_file_by_its_plain_name_is_cached_only_briefly(production_static, client):
    """Its content changes with the next deployment under the same name: a year's cache would keep the old one."""
    response = client.get("/static/css/site.css")
    response.close()
    assert response.status_code == 200
    assert max_age(response["Cache-Control"]) <= 60
    assert "immutable" not in response["Cache-Control"]


@pytest.mark.django_db
def test_a_missing_static_file_is_not_found(production_static, client):
    assert client.get("/static/css/missing.css").status_code == 404


@pytest.mark.django_db
def test_pages_are_compressed_for_a_client_that_accepts_gzip(client, editor):
    plain = client.get(reverse("login"))
    compressed = client.get(reverse("login"), headers=GZIP)
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    page = gzip.decompress(compressed.content).decode()
    assert page.startswith("<!doctype html>")
    assert "Content-Security-Policy" in compressed.headers

    client.force_login(editor)
    home = client.get(reverse("home"), headers=GZIP)
    assert home["Content-Encoding"] == "gzip"
    assert len(home.content) < len(gzip.decompress(home.content)) / 2


@pytest.mark.django_db
def test_the_health_check_answers_with_debug_off(production_static, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


# The real server


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def wait_until_up(server, port, log):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn stopped (exit {server.returncode}):\n{log.read_text()}")
        try:
            if fetch(port, "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"gunicorn did not answer within 20 s:\n{log.read_text()}")


def test_gunicorn_serves_the_pages_and_their_static_files_with_debug_off(collected, tmp_path):
    """As `make serve` runs it (gunicorn.conf.py, two workers), on a throwaway SQLite database."""
    port = free_port()
    env = production_environment(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(collected),
        DJANGO_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
    )
    run(sys.executable, "manage.py", "migrate", "--no-input", env=env)
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    with access_log.open("w") as stdout, error_log.open("w") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn"], cwd=PROJECT, env=env, stdout=stdout, stderr=stderr
        )
    try:
        wait_until_up(server, port, error_log)

        status, headers, _ = fetch(port, "/")
        assert (status, headers["Location"]) == (302, "/login/?next=/")

        status, headers, body = fetch(port, "/login/", GZIP)
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "Content-Security-Policy" in headers
        stylesheet = linked(gzip.decompress(body).decode(), STYLESHEET)

        status, headers, body = fetch(port, stylesheet, GZIP)
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert headers["Content-Encoding"] == "gzip"
        assert max_age(headers["Cache-Control"]) >= YEAR
        assert "immutable" in headers["Cache-Control"]
        assert gzip.decompress(body) == (collected / stylesheet.removeprefix("/static/")).read_bytes()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            raise

    assert server.returncode == 0, error_log.read_text()
    assert len(re.findall(r"Booting worker with pid", error_log.read_text())) == 2
    access = access_log.read_text()
    assert re.search(r'"GET /login/ HTTP/1.1" 200 \d+ \d+ms', access), access
    size = (collected / f"{stylesheet.removeprefix('/static/')}.gz").stat().st_size
    assert f'"GET {stylesheet} HTTP/1.1" 200 {size} ' in access
