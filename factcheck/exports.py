"""Lists as files to download: CSV for a spreadsheet, JSON for a program, the same fields in both.

Each list declares its fields once (`CLAIMS`, `ARTICLES`, `SOURCES`, `LINKS`); one writer per format
turns them into text. Rows are read from the database CHUNK_SIZE at a time and written as they come
(a StreamingHttpResponse), so a list of 200,000 claims never sits in memory whole: the queryset must
get its related rows with select_related (read in the same query), not prefetch_related.
"""

import csv
import datetime
import json

from django.http import StreamingHttpResponse
from django.utils import timezone

from .models.claims import TAG_SEPARATOR

CHUNK_SIZE = 1000
# Rows are sent in pieces of about this many characters, not one write per row.
PIECE = 64 * 1024
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


class Field:
    """A value of each row: `value(row, base_url)`, or by default the row's attribute of that name.
    `csv=False`: in JSON only (a nested document a spreadsheet cell cannot hold)."""

    def __init__(self, name, value=None, *, csv=True):
        self.name, self.csv = name, csv
        self.value = value or (lambda row, base_url: getattr(row, name))


class Nested:
    """An object a row refers to (a claim's speaker): an object in JSON, null when the row has none;
    its fields as columns named `<name>_<field>` in CSV, empty when none."""

    def __init__(self, name, fields, of=None):
        self.name, self.fields, self.csv = name, fields, True
        self.of = of or (lambda row: getattr(row, name))


def page(row, base_url):
    """The address of the row's page here, whole, to open it from a spreadsheet."""
    return base_url + row.get_absolute_url()


def _claim_review(claim, base_url):
    # Imported here: the ClaimReview markup is its own module, written apart from the exports.
    from .claimreview import claim_review

    return claim_review(claim, base_url=base_url)


OUTLET = (Field("id"), Field("name"), Field("url", page))
SPEAKER = (Field("id"), Field("name"), Field("kind"), Field("url", page))
ARTICLE = (
    Field("id"),
    Field("title"),
    Field("url", page),
    Field("web_address", lambda article, base_url: article.url),
    Field("published_on"),
    Nested("outlet", OUTLET),
)
# A claim at either end of a link.
CLAIM = (
    Field("id"),
    Field("url", page),
    Field("statement"),
    Field("quote"),
    Field("verdict"),
    Nested("speaker", SPEAKER),
    Nested("article", ARTICLE),
)

# Where each claim or link stands in the team's review.
WORKFLOW = (
    Field("review_status"),
    Field("assignee", lambda row, base_url: row.assignee.username if row.assignee_id else None),
    Field("due_on"),
)

CLAIMS = (
    Field("id"),
    Field("url", page),
    Field("statement"),
    Field("quote"),
    Field("quote_start"),
    Field("quote_end"),
    Field("orphaned", lambda claim, base_url: claim.is_orphaned),
    Field("kind"),
    Field("hedge"),
    # A month or a year is stored as its first day; a range ends on claimed_until.
    Field("claimed_on"),
    Field("claimed_on_precision"),
    Field("claimed_until"),
    Field("claimed_on_basis"),
    Field("verdict"),
    Field("verdict_label", lambda claim, base_url: claim.get_verdict_display()),
    Field("verdict_note"),
    Field("published_at"),
    Field("created_at"),
    Field("updated_at"),
    Field("number"),
    *WORKFLOW,
    Field("event", lambda claim, base_url: claim.event.name if claim.event_id else None),
    Field(
        "tags", lambda claim, base_url: "; ".join(sorted(filter(None, (claim.tag_names or "").split(TAG_SEPARATOR))))
    ),
    Nested("speaker", SPEAKER),
    Nested("article", ARTICLE),
    Field("claimReview", _claim_review, csv=False),
)
ARTICLES = (
    *ARTICLE,
    Field("author"),
    Field("claim_count"),
    Field("created_at"),
    Field("updated_at"),
)
SOURCES = (
    Field("id"),
    Field("url", page),
    Field("name"),
    Field("kind"),
    Field("kind_label", lambda source, base_url: source.get_kind_display()),
    Nested("affiliation", (Field("id"), Field("name"), Field("url", page))),
    Field("description"),
    Field("web_address", lambda source, base_url: source.url),
    Field("reliability_note"),
    Field("claim_count"),
    Field("created_at"),
    Field("updated_at"),
)
LINKS = (
    Field("id"),
    Field("url", page),
    Field("kind"),
    Field("reason"),
    Field("linked_by", lambda link, base_url: link.created_by.username if link.created_by else None),
    Field("created_at"),
    Field("comment_count"),
    Field("status"),
    Field("settled_by", lambda link, base_url: link.status_by.username if link.status_by else None),
    Field("settled_at", lambda link, base_url: link.status_at),
    Field("settled_why", lambda link, base_url: link.status_reason),
    *WORKFLOW,
    Nested("from_claim", CLAIM),
    Nested("to_claim", CLAIM),
)


def _plain(value):
    """A value as JSON holds it: dates and times in ISO 8601 (times in UTC, with their offset)."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _json_default(value):
    if isinstance(value, datetime.date):
        return _plain(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def as_object(row, fields, base_url):
    obj = {}
    for field in fields:
        if isinstance(field, Nested):
            inner = field.of(row)
            obj[field.name] = None if inner is None else as_object(inner, field.fields, base_url)
        else:
            obj[field.name] = _plain(field.value(row, base_url))
    return obj


def header(fields):
    names = []
    for field in fields:
        if isinstance(field, Nested):
            names += [f"{field.name}_{name}" for name in header(field.fields)]
        elif field.csv:
            names.append(field.name)
    return names


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    value = _plain(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_cells(row, fields, base_url):
    cells = []
    for field in fields:
        if isinstance(field, Nested):
            inner = field.of(row)
            cells += as_cells(inner, field.fields, base_url) if inner is not None else [""] * len(header(field.fields))
        elif field.csv:
            cells.append(_cell(field.value(row, base_url)))
    return cells


class _Line:
    """A file for csv.writer that hands back what it is given: each row as its CSV line."""

    def write(self, line):
        return line


def csv_text(rows, fields, base_url):
    """The rows as CSV, piece by piece: a byte order mark (Excel reads the file as UTF-8 by it, where
    it would take "Guaidó" for Windows-1252 without), a header, one line per row."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(header(fields))
    for row in rows:
        yield writer.writerow(as_cells(row, fields, base_url))


def json_text(rows, fields, base_url):
    """The rows as a JSON array of objects, piece by piece; `[]` when there are none."""
    yield "["
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(as_object(row, fields, base_url), ensure_ascii=False, default=_json_default)
        separator = ",\n"
    yield "\n]\n"


def _in_pieces(texts):
    buffered, size = [], 0
    for text in texts:
        buffered.append(text)
        size += len(text)
        if size >= PIECE:
            yield "".join(buffered)
            buffered, size = [], 0
    if buffered:
        yield "".join(buffered)


WRITERS = {"csv": csv_text, "json": json_text}


def download(request, name, rows, fields, file_format):
    """A streamed file of `rows` (a queryset, read CHUNK_SIZE rows at a time), named for the list and the day:
    factcheck-claims-2026-12-03.csv."""
    base_url = request.build_absolute_uri("/")[:-1]
    texts = WRITERS[file_format](rows.iterator(chunk_size=CHUNK_SIZE), fields, base_url)
    response = StreamingHttpResponse(_in_pieces(texts), content_type=FORMATS[file_format])
    filename = f"factcheck-{name}-{timezone.localdate().isoformat()}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
