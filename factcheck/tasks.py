"""Work done in the background, queued in the database and run by `manage.py db_worker`."""

from django.tasks import task

from .fetching import FetchFailed, extract, fetch_page
from .models import ArticleFetch

UNEXPECTED = "Something went wrong while reading the page; try again, or paste the article's text."


@task
def fetch_article(fetch_id):
    """Fetch the page an editor asked for and find the article in it, saying at each stage how far it got.
    Run once: a fetch no longer waiting (run already, by another worker) is left as it is."""
    claimed = ArticleFetch.objects.filter(pk=fetch_id, status=ArticleFetch.Status.QUEUED)
    if not claimed.update(status=ArticleFetch.Status.FETCHING):
        return None
    fetch = ArticleFetch.objects.get(pk=fetch_id)
    try:
        page = fetch_page(fetch.url)
        _record(fetch, status=ArticleFetch.Status.EXTRACTING, final_url=page.url, content_type=page.content_type[:200])
        found = extract(page)
    except FetchFailed as problem:
        _record(fetch, status=ArticleFetch.Status.FAILED, error=str(problem))
        return fetch.status
    except Exception:
        _record(fetch, status=ArticleFetch.Status.FAILED, error=UNEXPECTED)
        raise  # the worker keeps the traceback for whoever looks after the server
    _record(
        fetch,
        status=ArticleFetch.Status.READY,
        snapshot=found.html,
        title=found.title,
        author=found.author,
        published_on=found.published_on,
        site_name=found.site_name,
        text=found.text,
    )
    return fetch.status


def _record(fetch, **fields):
    for name, value in fields.items():
        setattr(fetch, name, value)
    fetch.save(update_fields=[*fields, "updated_at"])
