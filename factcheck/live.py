"""Live regions: parts of a page that poll their own URL and are swapped when something changed.

A region's poll carries the stamp of what it shows. The stamp is read from the history tables
(every change of an article, claim, source, link, comment, story, event or tag writes a record there,
whichever server process made it), so a poll that finds nothing new costs one index lookup per kind of
object shown and answers 204 without reading or rendering anything else.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse

# Records are numbered when written but become visible when committed, not always in that order:
# counting the newest ones as well as taking the highest number sees one that committed late.
RECENT = 1000


def stamp(request=None):
    """A short string that changes whenever an article, claim, source, link, comment, story (its articles
    and events) or a claim's tags is added, changed or deleted. One query: for each history table, its
    highest record number and how many records are among the newest RECENT. With `request`: read once per
    request (before anything the request shows is read, so what it shows is at least as new as its stamp)."""
    if request is not None:
        if getattr(request, "_live_stamp", None) is None:
            request._live_stamp = stamp()
        return request._live_stamp
    from .models import Article, Claim, ClaimLink, ClaimTag, Comment, Event, Source, Story, StoryArticle

    quote = connection.ops.quote_name
    columns = []
    for model in (Article, Claim, ClaimLink, Comment, Source, Story, StoryArticle, Event, ClaimTag):
        table = quote(model.history.model._meta.db_table)
        newest = f"(SELECT MAX(history_id) FROM {table})"
        columns += [newest, f"(SELECT COUNT(*) FROM {table} WHERE history_id > {newest} - {RECENT})"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}")
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:16]


def polled(request, *regions):
    """The live region an htmx poll asks for, if it is one of this page's."""
    htmx = request.htmx
    if htmx and not htmx.boosted and not htmx.history_restore_request and htmx.target in regions:
        return request.htmx.target
    return None


def unchanged(request, current):
    """Whether the poll's region already shows `current` (then answer `nothing_new()`)."""
    return request.GET.get("shown") == current


def nothing_new():
    return HttpResponse(status=204)


def poll_seconds():
    return settings.FACTCHECK_POLL_SECONDS


# Rendered regions, kept while nothing changes. A region's HTML depends on the data (the stamp), the
# page and its filters (path and query, the poll's own `shown` aside) and what the user may do (their
# permissions); nothing else a region shows is personal. Kept in each process's memory: the stamp is
# read from the database, so every process drops what a colleague's change made stale at once.


def region_key(request, name):
    params = sorted((key, tuple(values)) for key, values in request.GET.lists() if key != "shown")
    user = request.user
    who = (sorted(user.get_all_permissions()), user.is_staff) if user.is_authenticated else None
    identity = hashlib.sha256(repr((name, request.path, params, who)).encode()).hexdigest()[:32]
    return f"region:{stamp(request)}:{identity}"


def cached_region(request, name, render):
    """The HTML `render()` makes for region `name` of this request's page, rendered once per change."""
    seconds = settings.FACTCHECK_REGION_CACHE_SECONDS
    if not seconds:
        return render()
    key = region_key(request, name)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, seconds)
    return html
