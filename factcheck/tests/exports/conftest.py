import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse


def export_url(name, file_format):
    return reverse(f"{name}_export_{file_format}")


def read_export(response):
    """The rows of a downloaded export, as a spreadsheet or a program reads them: CSV as dicts of strings
    (after its byte order mark), JSON as parsed."""
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content)
    if response["Content-Type"].startswith("text/csv"):
        assert body.startswith(b"\xef\xbb\xbf")
        return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert response["Content-Type"] == "application/json"
    return json.loads(body.decode("utf-8"))


@pytest.fixture
def exported(client):
    """`exported(name, file_format, params)`: the rows of /<list>/export.<format>?<params>."""

    def get(name, file_format, params=None):
        return read_export(client.get(export_url(name, file_format), params or {}))

    return get


@pytest.fixture
def listed(client):
    """`listed(url_name, params)`: the ids of what a list page shows, every page of it, in order."""

    def get(url_name, params=None):
        ids, number = [], 1
        while True:
            response = client.get(reverse(url_name), {**(params or {}), "page": number})
            assert response.status_code == 200
            page = response.context["page"]
            ids += [row.pk for row in page]
            if not page.has_next():
                return ids
            number += 1

    return get
