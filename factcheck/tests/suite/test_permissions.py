"""The permission matrix: every URL of the project, for anonymous visitors, viewers, editors and superusers,
for reading (GET) and for every changing method, against the status each role must get; every changing
endpoint refuses a request without a CSRF token, and no GET changes anything.

The project's own URLs are listed by name in EXPECTED; the admin's are covered by rule. A URL added to the
URLconf without a line here fails the test that walks the URLconf.
"""

from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from factcheck.models import (
    ApiToken,
    Article,
    ArticleFetch,
    Claim,
    ClaimLink,
    Comment,
    Event,
    Notification,
    Source,
    Story,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "viewer", "editor", "superuser")
CHANGING_METHODS = ("POST", "PUT", "PATCH", "DELETE")
HTMX = {"HX-Request": "true"}
# Expected "status" of an anonymous request to a page behind the login: 302 to /login/?next=<the URL>.
TO_LOGIN = "to login"


def by_role(anonymous, viewer, editor, superuser):
    return dict(zip(ROLES, (anonymous, viewer, editor, superuser), strict=True))


READ_ONLY = {"GET": by_role(TO_LOGIN, 200, 200, 200), "POST": by_role(TO_LOGIN, 405, 405, 405)}
POST_ONLY = {"GET": by_role(TO_LOGIN, 405, 405, 405)}

# Every named URL of the project (the admin aside): the object its argument names, and the status of a GET
# and of a POST (with valid data, see post_data) for each role. "GET htmx" and "POST htmx" (the same request
# with HX-Request: true) are the same as without unless given.
EXPECTED = {
    "home": READ_ONLY,
    "article_list": READ_ONLY,
    "article_detail": {"object": "article", **READ_ONLY},
    "article_edit": {
        "object": "article",
        "GET": by_role(TO_LOGIN, 403, 200, 200),
        "POST": by_role(TO_LOGIN, 403, 303, 303),
    },
    "article_delete": {
        "object": "article",
        # Editors may not delete articles (only claims and links).
        "GET": by_role(TO_LOGIN, 403, 403, 200),
        "POST": by_role(TO_LOGIN, 403, 403, 303),
    },
    "claim_create": {
        "object": "article",
        "GET": by_role(TO_LOGIN, 403, 200, 200),
        "POST": by_role(TO_LOGIN, 403, 303, 303),
        "POST htmx": by_role(TO_LOGIN, 403, 200, 200),
    },
    # A new article: a web address queued to fetch (303 to its progress), the checked article saved (303); a fetch
    # is its requester's (the editor's here) and a superuser's to see, nobody else's.
    "article_new": {"GET": by_role(TO_LOGIN, 403, 200, 200), "POST": by_role(TO_LOGIN, 403, 303, 303)},
    "article_new_check": {**POST_ONLY, "POST": by_role(TO_LOGIN, 403, 303, 303)},
    "article_fetch": {
        "object": "fetch",
        "GET": by_role(TO_LOGIN, 403, 200, 200),
        "POST": by_role(TO_LOGIN, 403, 303, 303),
    },
    "claim_detail": {"object": "claim", **READ_ONLY},
    "claim_edit": {
        "object": "claim",
        "GET": by_role(TO_LOGIN, 403, 200, 200),
        "POST": by_role(TO_LOGIN, 403, 303, 303),
        "POST htmx": by_role(TO_LOGIN, 403, 200, 200),
    },
    "claim_chain": {
        "object": "claim",
        "GET": by_role(TO_LOGIN, 403, 200, 200),
        "POST": by_role(TO_LOGIN, 403, 303, 303),
        "POST htmx": by_role(TO_LOGIN, 403, 200, 200),
    },
    "claim_place": {
        "object": "claim",
        "GET": by_role(TO_LOGIN, 403, 200, 200),
        "POST": by_role(TO_LOGIN, 403, 303, 303),
        "POST htmx": by_role(TO_LOGIN, 403, 303, 303),
    },
    "claim_link_candidates": {
        "object": "claim",
        # Without htmx: to the claim page, where the same search is shown.
        "GET": by_role(TO_LOGIN, 302, 302, 302),
        "GET htmx": by_role(TO_LOGIN, 200, 200, 200),
        "POST": by_role(TO_LOGIN, 405, 405, 405),
    },
    "claim_link_create": {
        "object": "claim",
        **POST_ONLY,
        "POST": by_role(TO_LOGIN, 403, 303, 303),
        "POST htmx": by_role(TO_LOGIN, 403, 200, 200),
    },
    "claim_comment_create": {
        "object": "claim",
        **POST_ONLY,
        "POST": by_role(TO_LOGIN, 403, 303, 303),
        "POST htmx": by_role(TO_LOGIN, 403, 200, 200),
    },
    "link_detail": {"object": "link", **READ_ONLY},
    "link_delete": {
        "object": "link",
        "GET": by_role(TO_LOGIN, 403, 200, 200),
        "POST": by_role(TO_LOGIN, 403, 303, 303),
        "POST htmx": by_role(TO_LOGIN, 403, 200, 200),
    },
    "link_settle": {
        "object": "link",
        **POST_ONLY,
        "POST": by_role(TO_LOGIN, 403, 303, 303),
        "POST htmx": by_role(TO_LOGIN, 403, 200, 200),
    },
    "link_edit": {
        "object": "link",
        "GET": by_role(TO_LOGIN, 403, 200, 200),
        "POST": by_role(TO_LOGIN, 403, 303, 303),
        "POST htmx": by_role(TO_LOGIN, 403, 200, 200),
    },
    "link_comment_create": {
        "object": "link",
        **POST_ONLY,
        "POST": by_role(TO_LOGIN, 403, 303, 303),
        "POST htmx": by_role(TO_LOGIN, 403, 200, 200),
    },
    "source_list": READ_ONLY,
    "source_options": READ_ONLY,
    "claim_list": READ_ONLY,
    "search": READ_ONLY,
    "pick_source": READ_ONLY,
    "pick_outlet": READ_ONLY,
    "pick_article": READ_ONLY,
    "source_detail": {"object": "source", **READ_ONLY},
    "source_edit": {
        "object": "source",
        "GET": by_role(TO_LOGIN, 403, 200, 200),
        "POST": by_role(TO_LOGIN, 403, 303, 303),
    },
    "contradiction_list": READ_ONLY,
    "self_contradictions": READ_ONLY,
    # A story at a glance: its page and its graph's data, for anyone who may read.
    "story_detail": {"object": "story", **READ_ONLY},
    "story_graph": {"object": "story", **READ_ONLY},
    # Stories: making and keeping them, their events, a claim's event and tags.
    "story_list": READ_ONLY,
    "story_new": {"GET": by_role(TO_LOGIN, 403, 200, 200), "POST": by_role(TO_LOGIN, 403, 303, 303)},
    "story_edit": {
        "object": "story",
        "GET": by_role(TO_LOGIN, 403, 200, 200),
        "POST": by_role(TO_LOGIN, 403, 303, 303),
    },
    # POST only: add (or remove) an article; htmx gets the articles section, a plain form a 303 to the edit page.
    "story_articles": {
        "object": "story",
        "GET": by_role(TO_LOGIN, 405, 405, 405),
        "POST": by_role(TO_LOGIN, 403, 303, 303),
        "POST htmx": by_role(TO_LOGIN, 403, 200, 200),
    },
    "event_new": {
        "object": "story",
        "GET": by_role(TO_LOGIN, 403, 200, 200),
        "POST": by_role(TO_LOGIN, 403, 303, 303),
    },
    "event_edit": {
        "object": "event",
        "GET": by_role(TO_LOGIN, 403, 200, 200),
        "POST": by_role(TO_LOGIN, 403, 303, 303),
    },
    # GET asks (how many claims lose the event), POST deletes.
    "event_delete": {
        "object": "event",
        "GET": by_role(TO_LOGIN, 403, 200, 200),
        "POST": by_role(TO_LOGIN, 403, 303, 303),
    },
    "claim_scope": {
        "object": "claim",
        "GET": by_role(TO_LOGIN, 403, 200, 200),
        "POST": by_role(TO_LOGIN, 403, 303, 303),
    },
    # The review (views/workflow.py): the board read by all, changed by editors.
    "story_board": {"object": "story", **READ_ONLY},
    "claim_move": {
        "object": "claim",
        **POST_ONLY,
        "POST": by_role(TO_LOGIN, 403, 303, 303),
        "POST htmx": by_role(TO_LOGIN, 403, 200, 200),
    },
    "link_move": {
        "object": "link",
        **POST_ONLY,
        "POST": by_role(TO_LOGIN, 403, 303, 303),
        "POST htmx": by_role(TO_LOGIN, 403, 200, 200),
    },
    "claim_assignment": {
        "object": "claim",
        "GET": by_role(TO_LOGIN, 403, 200, 200),
        "POST": by_role(TO_LOGIN, 403, 303, 303),
        "POST htmx": by_role(TO_LOGIN, 403, 200, 200),
    },
    "link_assignment": {
        "object": "link",
        "GET": by_role(TO_LOGIN, 403, 200, 200),
        "POST": by_role(TO_LOGIN, 403, 303, 303),
        "POST htmx": by_role(TO_LOGIN, 403, 200, 200),
    },
    "my_work": READ_ONLY,
    # Notifications: everyone's own; a viewer marks theirs read too.
    "notification_list": READ_ONLY,
    "notifications_read": {
        **POST_ONLY,
        "POST": by_role(TO_LOGIN, 303, 303, 303),
        "POST htmx": by_role(TO_LOGIN, 200, 200, 200),
    },
    # Without htmx: the notifications page; with htmx (no `shown`): the header's count fragment.
    "notification_count": READ_ONLY,
    "story_export_csv": {"object": "story", **READ_ONLY},
    "story_export_json": {"object": "story", **READ_ONLY},
    # Each list's export, a file for anyone logged in (factcheck/tests/exports/).
    **{
        f"{name}_export_{file_format}": READ_ONLY
        for name in ("claim", "article", "source", "contradiction", "link")
        for file_format in ("csv", "json")
    },
    "claim_publish": {
        "object": "reviewed",
        **POST_ONLY,
        "POST": by_role(TO_LOGIN, 403, 303, 303),
        "POST htmx": by_role(TO_LOGIN, 403, 200, 200),
    },
    "claim_unpublish": {
        "object": "review",
        **POST_ONLY,
        "POST": by_role(TO_LOGIN, 403, 303, 303),
        "POST htmx": by_role(TO_LOGIN, 403, 200, 200),
    },
    # A published review is for anyone; the public pages change nothing.
    "claim_review_public": {
        "object": "review",
        "GET": by_role(200, 200, 200, 200),
        "POST": by_role(405, 405, 405, 405),
    },
    "review_list": {"GET": by_role(200, 200, 200, 200), "POST": by_role(405, 405, 405, 405)},
    "healthz": {"GET": by_role(200, 200, 200, 200), "POST": by_role(405, 405, 405, 405)},
    # Browsers and crawlers ask for /favicon.ico: a redirect to the static SVG icon, for anyone.
    "favicon": {"GET": by_role(302, 302, 302, 302), "POST": by_role(405, 405, 405, 405)},
    # Everyone makes and revokes their own API tokens (a viewer's reads only); the token here is the superuser's.
    "api_tokens": {"GET": by_role(TO_LOGIN, 200, 200, 200), "POST": by_role(TO_LOGIN, 200, 200, 200)},
    "api_token_revoke": {
        "object": "token",
        **POST_ONLY,
        "POST": by_role(TO_LOGIN, 404, 404, 303),
        "POST htmx": by_role(TO_LOGIN, 404, 404, 200),
    },
    # Someone logged in is sent on from the login page; a wrong password is shown the form again.
    "login": {"GET": by_role(200, 302, 302, 302), "POST": by_role(200, 302, 302, 302)},
    "logout": {"GET": by_role(TO_LOGIN, 405, 405, 405), "POST": by_role(302, 302, 302, 302)},
}
PUBLIC = {"login", "healthz", "favicon", "claim_review_public", "review_list"}


def walk(patterns, namespace=None):
    """Every URL pattern of the URLconf, as (namespace, pattern), through all includes."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern


@pytest.fixture
def users(editor, viewer, superuser):
    return by_role(None, viewer, editor, superuser)


@pytest.fixture
def world(seeded, editor, superuser):
    """Real objects of the demo corpus for each URL's argument, and valid form data for each changing endpoint."""
    claim = Claim.objects.filter(article__outlet__isnull=False).order_by("pk").first()
    link = ClaimLink.objects.filter(from_claim__article__outlet__isnull=False).order_by("pk").first()
    article = claim.article
    source = claim.speaker
    Comment.objects.create(claim=claim, body="A first comment.", author=editor)
    body = article.body
    # A passage found once in the article, so the new claim's quote is unambiguous.
    quote = next(body[at : at + 40] for at in range(0, len(body), 7) if body.count(body[at : at + 40]) == 1)
    token, _ = ApiToken.issue(superuser, "A script")
    # Two demo claims with a verdict: one to publish, one published (its public page, and to unpublish).
    reviewed, review = Claim.objects.exclude(
        verdict__in=[Claim.Verdict.UNREVIEWED, Claim.Verdict.NOT_CHECKABLE]
    ).order_by("pk")[:2]
    review.publish(by=editor, seen_version=review.version)
    fetch = ArticleFetch.objects.create(
        url="https://example.org/fetched", requested_by=editor, status="ready", title="Fetched", text="Fetched.\n"
    )
    objects = {"article": article, "claim": claim, "link": link, "source": source, "token": token, "fetch": fetch}
    # Something for each to mark read.
    for user in (editor, superuser):
        Notification.send([user.pk], Notification.Verb.COMMENTED, about=claim, says="commented on your claim")
    story = Story.objects.order_by("pk").first()  # the demo's "Venezuela coup plots, 2018-19"
    event = Event.objects.order_by("pk").first()  # one of its events
    objects.update(reviewed=reviewed, review=review, story=story, event=event)
    post_data = {
        "article_edit": {
            "title": "A new title",
            "outlet": article.outlet_id or "",
            "author": article.author,
            "url": article.url,
            "published_on": article.published_on.isoformat() if article.published_on else "",
            "body": article.body,
            "version": article.version,
        },
        "article_delete": {},
        "article_new": {"url": "https://example.org/another"},  # queued only: no worker runs here
        "article_new_check": {"title": "A report", "body": "A report of its own.\nWith a body.\n"},
        "article_fetch": {"title": "Fetched", "url": "https://example.org/fetched", "body": "Fetched.\n"},
        "claim_create": {
            "quote": quote,
            "quote_start": body.index(quote),
            "statement": "A new claim.",
            "speaker_name": f"{source.name} ({source.get_kind_display()})",
            "new_speaker_kind": "person",
            "claimed_on": "",
        },
        "claim_edit": {"statement": "Changed.", "verdict": "false", "verdict_note": "", "version": claim.version},
        "claim_place": {"quote": claim.quote, "quote_start": claim.quote_start, "version": claim.version},
        "claim_chain": {"version": claim.version, "action": "save"},
        "claim_link_create": {"to_claim": _unlinked_to(claim).pk, "kind": "supports", "reason": "", "action": "link"},
        "claim_comment_create": {"body": "A comment."},
        "claim_publish": {"version": reviewed.version},
        "claim_unpublish": {"version": review.version},
        "link_delete": {"claim": link.from_claim_id},
        "link_comment_create": {"body": "A comment on the link."},
        "link_settle": {"status": "confirmed", "status_reason": "", "version": link.version},
        "link_edit": {"kind": link.kind, "reason": link.reason or "Changed.", "version": link.version},
        "source_edit": {
            "name": source.name,
            "kind": source.kind,
            "affiliation": source.affiliation_id or "",
            "description": "Changed.",
            "url": source.url,
            "reliability_note": source.reliability_note,
            "version": source.version,
        },
        "story_new": {"title": "Another story", "summary": ""},
        "story_edit": {"title": story.title, "summary": "Changed.", "version": story.version},
        "story_articles": {"action": "remove", "article": article.pk},
        "event_new": {"name": "Another event", "starts_on": "", "ends_on": "", "description": ""},
        "event_edit": {
            "name": event.name,
            "starts_on": event.starts_on.isoformat() if event.starts_on else "",
            "ends_on": event.ends_on.isoformat() if event.ends_on else "",
            "description": "Changed.",
            "version": event.version,
        },
        "event_delete": {},
        "claim_scope": {"event": claim.event_id or "", "tags": "a tag", "version": claim.version},
        "claim_move": {"status": "in_review", "version": claim.version, "story": story.pk},
        "link_move": {"status": "in_review", "version": link.version, "story": story.pk},
        "claim_assignment": {"assignee": editor.pk, "due_on": "2030-01-01", "version": claim.version},
        "link_assignment": {"assignee": editor.pk, "due_on": "", "version": link.version},
        "notifications_read": {},
        "login": {"username": "nobody", "password": "wrong-password"},
        "api_tokens": {"name": "Another script"},
        "api_token_revoke": {},
        "logout": {},
    }
    return {"objects": objects, "post_data": post_data, "get_data": {"claim_link_candidates": {"q": "army"}}}


def _unlinked_to(claim):
    linked = set(ClaimLink.objects.involving(claim).values_list("from_claim", "to_claim"))
    linked = {pk for pair in linked for pk in pair}
    return Claim.objects.exclude(pk__in=linked | {claim.pk}).order_by("pk").first()


def url_of(name, world):
    entry = EXPECTED[name]
    if "object" in entry:
        return reverse(name, args=[world["objects"][entry["object"]].pk])
    return reverse(name)


def client_for(user, **options):
    client = Client(**options)
    if user is not None:
        client.force_login(user)
    return client


def send(client, method, url, data=None, headers=None):
    if method == "GET":
        return client.get(url, data or {}, headers=headers)
    if method == "POST":
        return client.post(url, data or {}, headers=headers)
    return client.generic(method, url, headers=headers)


def undone(send_request):
    """Send a request and roll back what it changed, so that every request meets the same data."""
    with transaction.atomic():
        response = send_request()
        transaction.set_rollback(True)
    return response


def database_state():
    """Every row of every table (sessions included), to compare before and after a request."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
    }


def changed_tables(before, after):
    return sorted(label for label in before if before[label] != after[label])


def status_problem(response, expected):
    """What is wrong with the response, or None. `expected` is a status or TO_LOGIN."""
    if expected == TO_LOGIN:
        location = f"{reverse('login')}?next={quote(response.wsgi_request.get_full_path())}"
        if response.status_code != 302 or response.get("Location") != location:
            return f"{response.status_code} {response.get('Location', '')}, expected 302 to {location}"
        return None
    if response.status_code != expected:
        return f"{response.status_code} {response.get('Location', '')}, expected {expected}".replace("  ", " ")
    return None


# The URLconf and the table agree


def test_every_project_url_is_in_the_table():
    # The API's URLs take a token, not the login: factcheck/tests/api/ covers them.
    patterns = walk(get_resolver().url_patterns)
    named = [pattern.name for namespace, pattern in patterns if namespace not in ("admin", "api")]
    assert None not in named, "a project URL without a name: name it and add it to EXPECTED"
    assert sorted(set(named) - set(EXPECTED)) == [], "URLs the permission table does not know"
    assert sorted(set(EXPECTED) - set(named)) == [], "names in the permission table that no longer exist"
    assert len(named) == len(set(named)), "two project URLs share a name"


def test_every_admin_url_is_covered_by_the_rules():
    patterns = [pattern for namespace, pattern in walk(get_resolver().url_patterns) if namespace == "admin"]
    names = {pattern.name for pattern in patterns if pattern.name}
    assert sorted(names - set(admin_url_names())) == [], "admin URLs the rules do not cover"
    assert sorted(set(admin_url_names()) - names) == [], "admin URLs the rules expect but the URLconf lacks"
    # Unnamed: each model's "<id>/" (a redirect to its change page) and the final catch-all, tested below.
    unnamed = [str(pattern.pattern) for pattern in patterns if not pattern.name]
    assert len(unnamed) == len(admin.site._registry) + 1, unnamed


# The project's pages


def test_the_permission_matrix(world, users):
    problems = []
    for name, entry in EXPECTED.items():
        url = url_of(name, world)
        for method in ("GET", "POST"):
            data = world["post_data"].get(name, {}) if method == "POST" else world["get_data"].get(name, {})
            for htmx in (False, True):
                expected = entry.get(f"{method} htmx", entry[method]) if htmx else entry[method]
                for role, user in users.items():
                    client = client_for(user)
                    response = undone(lambda: send(client, method, url, data, HTMX if htmx else None))  # noqa: B023
                    if problem := status_problem(response, expected[role]):
                        problems.append(f"{method}{' htmx' if htmx else ''} {url} ({name}) as {role}: {problem}")
    assert problems == [], "\n".join(problems)


def test_put_patch_and_delete_are_refused_everywhere(world, users):
    """The project changes things by POST only: other changing methods get 405 (or the login page first)."""
    problems = []
    for name in EXPECTED:
        url = url_of(name, world)
        for method in ("PUT", "PATCH", "DELETE"):
            for role, user in users.items():
                if role == "anonymous":
                    expected = 405 if name in PUBLIC - {"login"} else TO_LOGIN
                    if name == "login":
                        # The login form treats PUT as POST (Django's FormView): an empty form, shown again.
                        expected = 200 if method == "PUT" else 405
                else:
                    expected = 302 if name == "login" else 405
                client = client_for(user)
                response = undone(lambda: send(client, method, url))  # noqa: B023
                if problem := status_problem(response, expected):
                    problems.append(f"{method} {url} ({name}) as {role}: {problem}")
    assert problems == [], "\n".join(problems)


def test_anonymous_visitors_are_sent_to_log_in_with_the_page_to_come_back_to(world, client):
    for name in set(EXPECTED) - PUBLIC - {"logout"}:
        url = url_of(name, world) + "?q=army&page=2"
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"] == f"/login/?next={quote(url, safe='/')}", name


def test_viewers_are_refused_every_change(world, viewer):
    """Spelled out, as the README promises: a viewer reads everything and changes nothing."""
    # Everyone may make and revoke their own API tokens.
    # Everyone may mark their own notifications read.
    own = {"login", "logout", "api_tokens", "api_token_revoke", "notifications_read"}
    changing = [name for name in changing_endpoints() if name not in own]
    # + claim_chain, link_edit, link_settle; the stories' 7 writes; moving and assigning claims and links
    assert len(changing) == 15 + 3 + 7 + 4, changing
    client = client_for(viewer)
    before = database_state()
    for name in changing:
        for headers in (None, HTMX):
            response = client.post(url_of(name, world), world["post_data"][name], headers=headers)
            assert response.status_code == 403, name
    assert changed_tables(before, database_state()) == []


def test_no_get_changes_anything(world, users):
    """A GET, of any page or fragment, by anyone, with htmx or without, even carrying a form's data, leaves every
    table as it was."""
    clients = [client_for(user) for user in users.values()]
    before = database_state()
    for name in EXPECTED:
        url = url_of(name, world)
        data = world["post_data"].get(name, world["get_data"].get(name, {}))
        for client in clients:
            for headers in (None, HTMX, {**HTMX, "HX-Target": "summary"}):
                client.get(url, data, headers=headers)
        assert changed_tables(before, database_state()) == [], f"GET {url} ({name}) changed the database"
    assert clients[-1].get(reverse("home")).status_code == 200, "a GET of /logout/ logged the user out"


# CSRF


def changing_endpoints():
    return sorted(name for name, entry in EXPECTED.items() if entry["POST"]["superuser"] != 405)


def test_the_changing_endpoints_are_the_expected_ones():
    assert changing_endpoints() == [
        "api_token_revoke",
        "api_tokens",
        "article_delete",
        "article_edit",
        "article_fetch",
        "article_new",
        "article_new_check",
        "claim_assignment",
        "claim_chain",
        "claim_comment_create",
        "claim_create",
        "claim_edit",
        "claim_link_create",
        "claim_move",
        "claim_place",
        "claim_publish",
        "claim_scope",
        "claim_unpublish",
        "event_delete",
        "event_edit",
        "event_new",
        "link_assignment",
        "link_comment_create",
        "link_delete",
        "link_edit",
        "link_move",
        "link_settle",
        "login",
        "logout",
        "notifications_read",
        "source_edit",
        "story_articles",
        "story_edit",
        "story_new",
    ]


@pytest.mark.parametrize("name", changing_endpoints())
def test_a_change_without_a_csrf_token_is_refused_and_changes_nothing(name, world, superuser):
    url = url_of(name, world)
    data = world["post_data"][name]
    client = client_for(None if name == "login" else superuser, enforce_csrf_checks=True)
    before = database_state()
    for method in CHANGING_METHODS:
        for headers in (None, HTMX):
            if method == "POST":
                response = client.post(url, data, headers=headers)
            else:
                response = client.generic(method, url, headers=headers)
            assert response.status_code == 403, f"{method} {url} {headers or ''}"
            assert b"CSRF" in response.content
    # A token that is not the session's is no better than none.
    forged = {**data, "csrfmiddlewaretoken": "x" * 64}
    assert client.post(url, forged, headers={"X-CSRFToken": "y" * 64}).status_code == 403
    assert changed_tables(before, database_state()) == []

    # The same request with the token goes through: the refusal above was the token's doing.
    client.get(reverse("login" if name == "login" else "home"))
    token = client.cookies["csrftoken"].value
    response = client.post(url, data, headers={"X-CSRFToken": token})
    assert response.status_code in (200, 302, 303), response.status_code
    assert changed_tables(before, database_state()) != []


def test_every_admin_change_needs_a_csrf_token(world, superuser):
    client = client_for(superuser, enforce_csrf_checks=True)
    urls = admin_urls(world)
    before = database_state()
    problems = []
    for name, url in urls.items():
        response = client.post(url, {"post": "yes", "action": "delete_selected", "_selected_action": ["1"]})
        if response.status_code != 403:
            problems.append(f"POST {url} ({name}) without a CSRF token: {response.status_code}")
    assert problems == [], "\n".join(problems)
    assert changed_tables(before, database_state()) == []


# The admin, by rule


def admin_url_names():
    """The names of every admin URL the rules below cover: the site's own pages, and each registered model's."""
    names = ["index", "login", "logout", "password_change", "password_change_done"]
    names += ["autocomplete", "jsi18n", "view_on_site", "app_list"]
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}"
        names += [f"{prefix}_{action}" for action in ("changelist", "add", "change", "delete", "history")]
        if model._meta.label == "auth.User":
            names.append(f"{prefix}_password_change")
        if hasattr(model_admin, "deleted_view"):
            names += [f"{prefix}_deleted", f"{prefix}_simple_history"]
    return names


def admin_urls(world):
    """A URL for each admin URL name, with real objects (one of every model) as arguments."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_tasks_db.models import DBTaskResult, get_date_max

    who = {"ip_address": "192.0.2.1", "user_agent": "test", "http_accept": "*/*", "path_info": "/login/"}
    AccessAttempt.objects.get_or_create(username="nobody", **who, defaults={"failures_since_start": 1})
    AccessLog.objects.get_or_create(username="nobody", **who)
    AccessFailureLog.objects.get_or_create(username="nobody", locked_out=False, **who)
    # A finished background task, as the task list in the admin shows them.
    DBTaskResult.objects.create(
        status="SUCCESSFUL",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="factcheck.tasks.fetch_article",
        backend_name="default",
        run_after=get_date_max(),
        exception_class_path="",
        traceback="",
    )
    article = world["objects"]["article"]
    urls = {
        "view_on_site": reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Article).pk, article.pk]),
        "app_list": reverse("admin:app_list", args=["factcheck"]),
        "autocomplete": reverse("admin:autocomplete") + "?app_label=factcheck&model_name=claim&field_name=speaker",
    }
    for name in admin_url_names():
        if name in urls:
            continue
        model = next(
            (m for m in admin.site._registry if name.startswith(f"{m._meta.app_label}_{m._meta.model_name}_")), None
        )
        if model is None:
            urls[name] = reverse(f"admin:{name}")
            continue
        obj = model._base_manager.order_by("pk").first()
        action = name.removeprefix(f"{model._meta.app_label}_{model._meta.model_name}_")
        if action in ("changelist", "add", "deleted"):
            urls[name] = reverse(f"admin:{name}")
        elif action == "simple_history":
            urls[name] = reverse(f"admin:{name}", args=[obj.pk, obj.history.order_by("pk").first().pk])
        else:
            urls[name] = reverse(f"admin:{name}", args=[obj.pk])
    return urls


# What an editor (staff, in the Editors group) may not do in the admin; every other factcheck page is theirs.
EDITOR_REFUSED = {
    "factcheck_article_delete",
    "factcheck_source_delete",
    "factcheck_comment_delete",
    # The list of deleted objects leads to restoring them: it needs the change permission editors lack on comments.
    "factcheck_comment_deleted",
    # Deleting a story is an administrator's, as deleting an article; tags are shared by every story.
    "factcheck_story_delete",
    "factcheck_tag_delete",
}


def admin_expected(name, role):
    """The status of a GET of the admin URL `name` for `role`: a status, or "login" (302 to a login page)."""
    if role == "anonymous":
        return 200 if name == "login" else "login"
    if role == "viewer":
        # Logged in but not staff: the admin's login page says so; everything else sends there.
        return {"login": 200, "logout": 302}.get(name, "admin login")
    site_pages = {"login": 302, "logout": 405, "view_on_site": 302}
    if name in site_pages:
        return site_pages[name]
    if role == "superuser":
        # django-axes keeps its records read-only: nobody adds them by hand. Background tasks are neither
        # added nor deleted by hand either (django-tasks-db): the worker owns them.
        if name.startswith("axes_") and name.endswith("_add"):
            return 403
        return 403 if name.startswith("django_tasks_database_") and name.endswith(("_add", "_delete")) else 200
    if name.startswith(("auth_", "axes_", "django_tasks_database_")):
        return 403
    return 403 if name in EDITOR_REFUSED else 200


def test_the_admin_by_rule(world, users):
    urls = admin_urls(world)
    clients = {role: client_for(user) for role, user in users.items()}
    before = database_state()
    problems = []
    for name, url in urls.items():
        for role, client in clients.items():
            response = client.get(url)
            expected = admin_expected(name, role)
            location = response.get("Location", "")
            if expected in ("login", "admin login"):
                logins = ("/admin/login/",) if expected == "admin login" else ("/admin/login/", "/login/")
                wanted = {f"{login}?next={quote(url)}" for login in logins}
                if name == "logout":
                    wanted = {f"/admin/login/?next={quote(url)}"}
                if response.status_code != 302 or location not in wanted:
                    problems.append(f"GET {url} ({name}) as {role}: {response.status_code} {location}")
            elif response.status_code != expected:
                problems.append(f"GET {url} ({name}) as {role}: {response.status_code}, expected {expected}")
    assert problems == [], "\n".join(problems)
    assert changed_tables(before, database_state()) == [], "a GET in the admin changed the database"


def test_the_admin_pages_editors_need_are_theirs(world, editor):
    """The README's promise, spelled out: editors work on articles, claims, sources and links in the admin."""
    client = client_for(editor)
    for model, obj in [(Article, "article"), (Claim, "claim"), (Source, "source"), (ClaimLink, "link")]:
        prefix = f"admin:factcheck_{model._meta.model_name}"
        assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
        assert client.get(reverse(f"{prefix}_change", args=[world["objects"][obj].pk])).status_code == 200
    article = world["objects"]["article"]
    assert client.get(reverse("admin:factcheck_article_delete", args=[article.pk])).status_code == 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_the_admin_leaves_no_door_open_without_a_name(world, users):
    """The unnamed admin URLs: an object's short URL, and the catch-all for anything else."""
    article = world["objects"]["article"]
    short = f"/admin/factcheck/article/{article.pk}/"
    for role, user in users.items():
        client = client_for(user)
        for url in (short, "/admin/no/such/page/"):
            response = client.get(url)
            if role in ("anonymous", "viewer"):
                assert response.status_code == 302, (role, url)
                assert "login/?next=" in response["Location"], (role, url)
            elif url == short:
                assert response.status_code == 302, (role, url)
                assert response["Location"] == reverse("admin:factcheck_article_change", args=[article.pk])
            else:
                assert response.status_code == 404, (role, url)


@pytest.mark.parametrize("field", ["article", "speaker"])
def test_the_admin_autocomplete_pages_through_an_ordered_list(world, editor, field):
    """The claim form's type-ahead for its article and its speaker: paged, so it must be in a fixed order (Django warns
    when it is not, and this suite makes warnings errors)."""
    client = client_for(editor)
    url = reverse("admin:autocomplete")
    response = client.get(url, {"app_label": "factcheck", "model_name": "claim", "field_name": field, "term": ""})
    assert response.status_code == 200
    assert response.json()["results"]
