"""Each list page offers its rows as CSV and JSON, for the filters it shows, however they were chosen."""

import re
from html import unescape

import pytest
from django.urls import reverse

from factcheck.models import Source

from .conftest import read_export

pytestmark = pytest.mark.django_db

DOWNLOAD = re.compile(r'<a href="([^"]*)" download>Download (CSV|JSON)</a>')


def downloads(html):
    """{"CSV": href, "JSON": href} of the page's download links."""
    found = {kind: unescape(href) for href, kind in DOWNLOAD.findall(html)}
    assert len(DOWNLOAD.findall(html)) == 2
    return found


def results_region(html):
    start = html.index('<section id="results"')
    return html[start : html.index("</section>", start)]


PAGES = [
    ("claim_list", "/claims/export", {"q": "army", "verdict": "false", "state": "unlinked"}),
    ("article_list", "/articles/export", {"q": "army", "outlet": "7"}),
    ("source_list", "/sources/export", {"q": "min", "kind": "government"}),
    ("contradiction_list", "/contradictions/export", {"source": "3", "article": "4"}),
]


@pytest.mark.parametrize(("url_name", "export", "filters"), PAGES)
def test_the_download_links_carry_the_pages_filters_but_not_its_page_number(client, viewer, url_name, export, filters):
    client.force_login(viewer)
    html = client.get(reverse(url_name), {**filters, "page": "2"}).content.decode()
    assert "<html" in html
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    assert downloads(results_region(html)) == {"CSV": f"{export}.csv?{query}", "JSON": f"{export}.json?{query}"}


@pytest.mark.parametrize(("url_name", "export", "filters"), PAGES)
def test_the_download_links_follow_filters_changed_with_htmx(client, viewer, url_name, export, filters):
    """The links live in the region htmx swaps when a filter changes, so they follow the new filters."""
    client.force_login(viewer)
    first = downloads(client.get(reverse(url_name)).content.decode())
    assert first == {"CSV": f"{export}.csv?", "JSON": f"{export}.json?"}
    fragment = client.get(reverse(url_name), filters, headers={"HX-Request": "true", "HX-Target": "results"})
    html = fragment.content.decode()
    assert "<html" not in html
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    assert downloads(results_region(html)) == {"CSV": f"{export}.csv?{query}", "JSON": f"{export}.json?{query}"}


def test_the_contradictions_live_refresh_keeps_the_filters_in_the_links_without_its_stamp(client, viewer):
    client.force_login(viewer)
    poll = {"source": "3", "article": "", "page": "1", "shown": "stale"}
    html = client.get(reverse("contradiction_list"), poll, headers={"HX-Request": "true", "HX-Target": "results"})
    assert downloads(html.content.decode())["CSV"] == "/contradictions/export.csv?source=3&article="


def test_a_download_link_gives_what_the_page_lists(client, viewer, speaker):
    Source.objects.create(name="Ministry of Defence", kind=Source.Kind.GOVERNMENT)
    Source.objects.create(name="A reporter", kind=Source.Kind.PERSON)
    client.force_login(viewer)
    page = client.get(reverse("source_list"), {"kind": "government"})
    rows = read_export(client.get(downloads(page.content.decode())["JSON"]))
    assert [row["name"] for row in rows] == [source.name for source in page.context["page"]]
    assert [row["name"] for row in rows] == ["A minister", "Ministry of Defence"]
