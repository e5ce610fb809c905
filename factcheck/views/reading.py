"""Reading what a request asks for: ids, search words, the page of a list."""

from django.core.paginator import Paginator
from django.utils.functional import SimpleLazyObject

PAGE_SIZE = 20


def page_of(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def lazy_page(request, queryset, prepare=None):
    """The page of a list, read (and its rows passed to `prepare`) only if a template shows it: a
    region kept from an earlier request (factcheck.live.cached_region) reads nothing."""

    def read():
        page = page_of(request, queryset)
        if prepare:
            page.object_list = prepare(page.object_list)
        return page

    return SimpleLazyObject(read)


def wants_results(request):
    """Whether htmx asks for a list's results alone (its filters or its poll), not the whole page:
    a boosted link, or Back to a page htmx no longer holds (a history restore), needs the page."""
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def as_id(value):
    """A row id from user input, or None for anything else ("²", 5000 digits, "abc")."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def selected_id(request, name):
    return as_id(request.GET.get(name, ""))


def search_words(data, name):
    """Words to search for. A NUL character can never match and PostgreSQL refuses it in text."""
    return data.get(name, "").replace("\x00", "").strip()
