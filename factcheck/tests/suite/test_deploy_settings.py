"""Production settings and security headers: Django's deployment check passes with the production environment,
every page carries a strict Content Security Policy and the other security headers, and nothing in the
templates or the pages needs that policy loosened (no inline scripts, styles or event handlers)."""

import json
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from factcheck.models import Claim, ClaimLink, Comment, Event, Story

PROJECT = Path(settings.BASE_DIR)
TEMPLATES = PROJECT / "templates"
HTMX = {"HX-Request": "true"}
HOST = "factcheck.example.org"


def production_environment(**changes):
    """The environment the README documents for production; `changes` set (or, given None, remove) variables."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_HTTPS="1",
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_EMAIL_BACKEND="smtp",
        DJANGO_EMAIL_HOST="smtp.example.org",
    )
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )


# The deployment check


def test_the_deployment_check_passes_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("changes", "warnings"),
    [
        ({"DJANGO_HTTPS": None}, ["security.W004", "security.W008", "security.W012", "security.W016"]),
        ({"DJANGO_HTTPS": "0"}, ["security.W004", "security.W008", "security.W012", "security.W016"]),
        ({"DJANGO_DEBUG": "1"}, ["security.W018"]),
        ({"DJANGO_SECRET_KEY": "short"}, ["security.W009"]),
        ({"DJANGO_EMAIL_BACKEND": None}, ["mail.E001"]),
    ],
    ids=["without DJANGO_HTTPS", "DJANGO_HTTPS=0", "with DEBUG", "weak secret key", "notifications printed"],
)
def test_the_deployment_check_fails_when_production_is_misconfigured(changes, warnings):
    """The check is real: take one production setting away and it fails, naming what is wrong."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_environment(**changes))
    assert result.returncode != 0, result.stdout + result.stderr
    for warning in warnings:
        assert warning in result.stderr


def test_a_production_that_sends_no_mail_says_so():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_environment(DJANGO_EMAIL_BACKEND="off")
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_mistyped_mailer_stops_the_site_naming_the_variable():
    result = manage("check", env=production_environment(DJANGO_EMAIL_BACKEND="smpt"))
    assert result.returncode != 0
    assert "DJANGO_EMAIL_BACKEND='smpt' is not console, smtp or off." in result.stderr


def test_without_a_secret_key_production_does_not_start():
    result = manage("check", env=production_environment(DJANGO_SECRET_KEY=None))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


PRODUCTION_REQUESTS = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="factcheck.example.org")
plain = client.get("/login/")
secure = client.get("/login/", secure=True)
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location", "")],
    "secure": [secure.status_code, dict(secure.headers)],
    "cookies": {name: dict(morsel) for name, morsel in secure.cookies.items()},
}))
"""


def test_production_serves_https_only_with_hsts_and_secure_cookies(tmp_path):
    env = production_environment(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    env["DJANGO_SETTINGS_MODULE"] = "factcheck.settings"
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_REQUESTS], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])

    assert answers["plain"] == [301, f"https://{HOST}/login/"]
    status, headers = answers["secure"]
    assert status == 200
    hsts = headers["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts)[1]) >= 31536000
    assert "includeSubDomains" in hsts
    csrf = answers["cookies"]["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"


# Values the settings refuse

READ_SETTINGS = """
import json, sys
from django.conf import settings
print(json.dumps({name: getattr(settings, name, None) for name in sys.argv[1:]}, default=str))
"""


def load_settings(*names, env):
    """The settings `names` as the production environment `env` makes them; a failure to load raises, with the
    error message."""
    env = {**env, "DJANGO_SETTINGS_MODULE": "factcheck.settings"}
    result = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS, *names], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("value", "on"),
    [("1", True), (" TRUE ", True), ("Yes", True), ("on", True)]
    + [("0", False), ("false", False), ("NO", False), ("off", False), ("", False)],
)
def test_the_https_switch_takes_the_usual_words(value, on):
    answers = load_settings("HTTPS", "SESSION_COOKIE_SECURE", env=production_environment(DJANGO_HTTPS=value))
    assert answers == {"HTTPS": on, "SESSION_COOKIE_SECURE": on}


@pytest.mark.parametrize("value", ["ture", "2", "enabled", "1 1"])
def test_a_mistyped_switch_stops_the_site_instead_of_meaning_off(value):
    """Read as off, DJANGO_HTTPS=ture would quietly drop HTTPS, HSTS and the secure cookies."""
    with pytest.raises(RuntimeError) as error:
        load_settings("HTTPS", env=production_environment(DJANGO_HTTPS=value))
    message = str(error.value)
    assert "ImproperlyConfigured" in message
    assert f"DJANGO_HTTPS={value!r}" in message
    assert "1, true, yes, on" in message


@pytest.mark.parametrize(
    ("value", "proxies"),
    [(None, 0), ("", 0), ("0", 0), ("off", 0), ("1", 1), ("true", 1), ("Yes", 1), ("on", 1), ("2", 2)],
)
def test_behind_proxy_is_the_number_of_trusted_proxies(value, proxies):
    """The on/off words it used to take still work: on is the one proxy it always meant."""
    answers = load_settings(
        "FACTCHECK_TRUSTED_PROXIES", "SECURE_PROXY_SSL_HEADER", env=production_environment(DJANGO_BEHIND_PROXY=value)
    )
    assert answers["FACTCHECK_TRUSTED_PROXIES"] == proxies
    assert answers["SECURE_PROXY_SSL_HEADER"] == (["HTTP_X_FORWARDED_PROTO", "https"] if proxies else None)


def test_behind_two_proxies_the_deployment_check_passes():
    env = production_environment(DJANGO_BEHIND_PROXY="2")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("value", ["maybe", "-1", "1.5", "one"])
def test_behind_proxy_refuses_anything_but_a_number_or_a_switch(value):
    result = manage("check", env=production_environment(DJANGO_BEHIND_PROXY=value))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"DJANGO_BEHIND_PROXY={value!r}" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DJANGO_CONN_MAX_AGE", "60s"),
        ("DJANGO_HSTS_SECONDS", "1y"),
        ("DJANGO_HSTS_SECONDS", "-1"),
        ("DJANGO_LOGIN_FAILURE_LIMIT", "five"),
        ("DJANGO_LOGIN_FAILURE_LIMIT", "0"),
        ("DJANGO_LOGIN_COOLOFF_MINUTES", "15m"),
        ("DJANGO_LOGIN_COOLOFF_MINUTES", "0"),
    ],
)
def test_a_number_setting_refuses_anything_else_and_names_the_variable(name, value):
    """A bare ValueError from int() would not say which of the variables is wrong; a failure limit or a cool-off of
    0 would make no sense."""
    result = manage("check", env=production_environment(**{name: value}))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name}={value!r}" in result.stderr


def test_the_number_settings_are_read():
    env = production_environment(
        DJANGO_CONN_MAX_AGE="0",
        DJANGO_HSTS_SECONDS=" 63072000 ",
        DJANGO_LOGIN_FAILURE_LIMIT="3",
        DJANGO_LOGIN_COOLOFF_MINUTES="30",
    )
    answers = load_settings("DATABASES", "SECURE_HSTS_SECONDS", "AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME", env=env)
    assert answers["DATABASES"]["default"]["CONN_MAX_AGE"] == 0
    assert answers["SECURE_HSTS_SECONDS"] == 63072000
    assert answers["AXES_FAILURE_LIMIT"] == 3
    assert answers["AXES_COOLOFF_TIME"] == "0:30:00"


def test_every_variable_the_settings_read_is_documented_in_the_readme():
    """The production switches (DJANGO_HTTPS, ...) are only useful if an operator can find them."""
    source = (PROJECT / "factcheck" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r"""(?:env_\w+|os\.environ\.get)\(\s*["']([A-Z_]+)["']""", source))
    assert {"DJANGO_SECRET_KEY", "DJANGO_HTTPS", "DJANGO_BEHIND_PROXY", "DJANGO_HSTS_SECONDS"} <= read
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    undocumented = sorted(name for name in read if f"`{name}`" not in readme)
    assert undocumented == [], "settings read from the environment but missing from the README"


# Headers on every page


def walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and namespace is None:
            yield pattern


def project_pages():
    """A URL for every page of the project (real objects of the demo corpus as arguments)."""
    claim = Claim.objects.filter(links_from__isnull=False).order_by("pk").first()
    link = ClaimLink.objects.order_by("pk").first()
    # The claim's public review page is only there once published (the responses fixture publishes it); an editor's
    # own fetches and API tokens are theirs alone, so any id shows the "not found" and "wrong method" pages.
    objects = {
        "articles": claim.article,
        "claims": claim,
        "links": link,
        "sources": claim.speaker,
        "reviews": claim,
        "account": claim,
        "stories": Story.objects.order_by("pk").first(),
        "events": Event.objects.order_by("pk").first(),
    }
    for pattern in walk(get_resolver().url_patterns):
        if pattern.pattern.converters:
            obj = objects[str(pattern.pattern).split("/", 1)[0]]
            yield pattern.name, reverse(pattern.name, args=[obj.pk])
        else:
            yield pattern.name, reverse(pattern.name)


@pytest.fixture
def responses(seeded, client, editor):
    """Every page and fragment an editor can ask for, a few error pages, and the login page for a visitor."""
    claim = Claim.objects.filter(links_from__isnull=False).order_by("pk").first()
    Comment.objects.create(claim=claim, body="A comment.", author=editor)
    claim.verdict = Claim.Verdict.MISLEADING
    claim.save()
    claim.publish(by=editor, seen_version=claim.version)
    anonymous = client.get(reverse("login"))
    client.force_login(editor)
    answers = [("GET /login/ (anonymous)", anonymous)]
    for name, url in project_pages():
        for headers in (None, HTMX):
            response = client.get(url, {"q": "army"}, headers=headers)
            answers.append((f"GET {url} ({name}){' htmx' if headers else ''}", response))
    # Pages with form errors, and error pages.
    for name in ("article_edit", "source_edit", "claim_edit", "claim_create", "claim_link_create"):
        url = dict(project_pages())[name]
        for headers in (None, HTMX):
            answers.append((f"POST {url} (invalid){' htmx' if headers else ''}", client.post(url, {}, headers=headers)))
    answers.append(("GET a missing article", client.get("/articles/999999/")))
    answers.append(("GET a forbidden page", client.get(dict(project_pages())["article_delete"])))
    answers.append(("POST to a GET-only page", client.post(reverse("home"))))
    answers.append(("GET the admin", client.get(reverse("admin:index"))))
    answers.append(("GET an admin form", client.get(reverse("admin:factcheck_claim_change", args=[claim.pk]))))
    return answers


def csp_directives(header):
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
def test_every_page_carries_a_strict_content_security_policy(responses):
    assert len(responses) > 40
    for label, response in responses:
        assert "Content-Security-Policy" in response.headers, label
        csp = csp_directives(response.headers["Content-Security-Policy"])
        assert csp["default-src"] == ["'self'"], label
        assert csp["script-src"] == ["'self'"], label
        assert csp["style-src"] == ["'self'"], label
        assert csp["frame-ancestors"] == ["'none'"], label
        assert csp["object-src"] == ["'none'"], label
        assert csp["base-uri"] == ["'none'"], label
        assert csp["form-action"] == ["'self'"], label
        loose = [value for values in csp.values() for value in values if value.startswith("'unsafe-") or value == "*"]
        assert loose == [], label


@pytest.mark.django_db
def test_every_page_carries_the_other_security_headers(responses):
    for label, response in responses:
        assert response.headers.get("X-Frame-Options") == "DENY", label
        assert response.headers.get("X-Content-Type-Options") == "nosniff", label
        assert response.headers.get("Referrer-Policy") == "same-origin", label
        assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin", label


# Nothing inline


class InlineCode(HTMLParser):
    """Collects what a strict CSP would block: inline scripts and styles, style attributes, event handlers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._in = None

    # A data block (ClaimReview's JSON-LD) is never run, and CSP does not apply to it.
    DATA_TYPES = {"application/ld+json", "application/json"}

    def handle_starttag(self, tag, attrs):
        names = {name.lower() for name, _ in attrs}
        if tag == "script" and (dict(attrs).get("type") or "").strip().lower() in self.DATA_TYPES:
            self._in = "data"
            return
        if tag == "script" and "src" not in names:
            self.found.append("<script> without src")
        if tag == "script" or tag == "style":
            self._in = tag
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            name = name.lower()
            if name == "style":
                self.found.append(f"style attribute on <{tag}>: {value!r}")
            if name.startswith("on") or name.startswith(("hx-on", "data-hx-on")):
                self.found.append(f"{name} handler on <{tag}>: {value!r}")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"javascript: URL in {name} of <{tag}>")

    def handle_data(self, data):
        if self._in == "script" and data.strip():
            self.found.append(f"inline script: {data.strip()[:60]!r}")

    def handle_endtag(self, tag):
        if tag == self._in or (tag == "script" and self._in == "data"):
            self._in = None


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_inline_code_finder_finds_inline_code():
    html = (
        '<script>alert(1)</script><script src="/s.js"></script><p style="color:red" onclick="x()">'
        '<a href=" JavaScript:x()">a</a><style>p{}</style><div hx-on:click="x()"></div>'
    )
    assert len(inline_code(html)) == 7
    assert inline_code('<script type="application/ld+json">{"@type": "ClaimReview"}</script>') == []
    assert len(inline_code('<script type="text/javascript">alert(1)</script>')) == 2
    assert inline_code('<script src="/static/js/app.js" defer></script><p class="on">onload=</p>') == []


TAG = re.compile(r"<[a-zA-Z][^>]*>", re.DOTALL)


def test_no_template_holds_inline_scripts_styles_or_handlers():
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 15
    problems = []
    for template in templates:
        source = template.read_text(encoding="utf-8")
        found = inline_code(source)
        # Attributes written inside template tags ({% if %} ...) escape HTMLParser: look at the raw tags too.
        for tag in TAG.findall(source):
            if re.search(r"""\s(on[a-z]+|style|hx-on[:\w-]*)\s*=""", tag, re.IGNORECASE):
                found.append(f"handler or style in {tag[:80]!r}")
        problems += [f"{template.relative_to(PROJECT)}: {what}" for what in found]
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db
def test_no_page_holds_inline_scripts_styles_or_handlers(responses):
    problems = []
    for label, response in responses:
        if "admin" in label or "text/html" not in response.get("Content-Type", ""):
            continue
        problems += [f"{label}: {what}" for what in inline_code(response.content.decode())]
    assert problems == [], "\n".join(problems)


def test_the_pages_load_only_their_own_scripts():
    """htmx vendored, never from a CDN; no script or style from elsewhere."""
    base = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    sources = re.findall(r"""<(?:script|link)\b[^>]*(?:src|href)=["']([^"']+)["']""", base)
    assert sources
    assert all(source.startswith("{% static ") for source in sources), sources
    assert '"allowEval": false' in base
    assert '"includeIndicatorStyles": false' in base
