"""Reading what a request asks for: one object, or one page of a list (20 a page, as on the pages)."""

from typing import Annotated

from django.core.paginator import Paginator
from pydantic import Field

from ..views.reading import PAGE_SIZE
from .errors import not_found

PageNumber = Annotated[int, Field(ge=1, le=2**31 - 1, description="Past the last page: the last page.")]
Words = Annotated[str, Field(description="Words to search for (web-search syntax, as on the pages).")]


def one(queryset, pk, what):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise not_found(what)
    return found


def page_of(queryset, number):
    page = Paginator(queryset, PAGE_SIZE).get_page(number)
    return {"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages, "items": page}
