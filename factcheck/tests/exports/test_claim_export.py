import datetime
import gc
import tracemalloc

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from factcheck import exports
from factcheck.models import Article, Claim, ClaimLink, Source

from .conftest import export_url, read_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(article, speaker):
    """A reviewed claim, in an article of a known outlet, with every field set."""
    outlet = Source.objects.create(name="Últimas Noticias", kind=Source.Kind.OUTLET, url="https://un.example/")
    Article.objects.filter(pk=article.pk).update(
        outlet=outlet, url="https://un.example/army", published_on=datetime.date(2019, 2, 3)
    )
    article.refresh_from_db()
    quote = "The army is loyal to the president"
    return Claim.objects.create(
        article=article,
        quote=quote,
        quote_start=article.body.index(quote),
        statement="The army is loyal to Maduro, says the minister",
        speaker=speaker,
        claimed_on=datetime.date(2019, 2, 1),
        verdict=Claim.Verdict.MISLEADING,
        verdict_note="Several units defected.\nSee the report.",
    )


def test_the_csv_has_a_header_and_a_row_per_claim_with_links_and_iso_dates(client, viewer, reviewed, speaker):
    client.force_login(viewer)
    response = client.get(export_url("claim", "csv"))
    [row] = read_export(response)
    reviewed.refresh_from_db()
    outlet = reviewed.article.outlet
    assert row == {
        "id": str(reviewed.pk),
        "url": f"http://testserver/claims/{reviewed.pk}/",
        "statement": "The army is loyal to Maduro, says the minister",
        "quote": "The army is loyal to the president",
        "quote_start": "16",
        "quote_end": "50",
        "orphaned": "false",
        "kind": "fact",
        "hedge": "",
        "claimed_on": "2019-02-01",
        "claimed_on_precision": "day",
        "claimed_until": "",
        "claimed_on_basis": "",
        "verdict": "misleading",
        "verdict_label": "Misleading",
        "verdict_note": "Several units defected.\nSee the report.",
        "published_at": "",
        "created_at": reviewed.created_at.astimezone(datetime.UTC).isoformat(),
        "updated_at": reviewed.updated_at.astimezone(datetime.UTC).isoformat(),
        "number": "1",
        "review_status": "to_check",
        "assignee": "",
        "due_on": "",
        "event": "",
        "tags": "",
        "speaker_id": str(speaker.pk),
        "speaker_name": "A minister",
        "speaker_kind": "government",
        "speaker_url": f"http://testserver/sources/{speaker.pk}/",
        "article_id": str(reviewed.article_id),
        "article_title": "Army loyal?",
        "article_url": f"http://testserver/articles/{reviewed.article_id}/",
        "article_web_address": "https://un.example/army",
        "article_published_on": "2019-02-03",
        "article_outlet_id": str(outlet.pk),
        "article_outlet_name": "Últimas Noticias",
        "article_outlet_url": f"http://testserver/sources/{outlet.pk}/",
    }
    assert row["created_at"].endswith("+00:00")
    assert datetime.datetime.fromisoformat(row["created_at"]) == reviewed.created_at


def test_the_json_nests_speaker_article_and_outlet_and_carries_the_claim_review(client, viewer, reviewed, speaker):
    claimreview = pytest.importorskip("factcheck.claimreview")
    client.force_login(viewer)
    [row] = read_export(client.get(export_url("claim", "json")))
    assert row["id"] == reviewed.pk
    assert row["url"] == f"http://testserver/claims/{reviewed.pk}/"
    assert row["quote_start"] == 16
    assert row["orphaned"] is False
    assert row["claimed_on"] == "2019-02-01"
    assert row["published_at"] is None
    assert row["speaker"] == {
        "id": speaker.pk,
        "name": "A minister",
        "kind": "government",
        "url": f"http://testserver/sources/{speaker.pk}/",
    }
    assert row["article"]["title"] == "Army loyal?"
    assert row["article"]["outlet"]["name"] == "Últimas Noticias"
    expected = claimreview.claim_review(Claim.objects.for_review().get(pk=reviewed.pk), base_url="http://testserver")
    assert row["claimReview"] == expected
    assert row["claimReview"]["@type"] == "ClaimReview"
    assert row["claimReview"]["reviewRating"]["alternateName"] == "Misleading"
    assert row["claimReview"]["claimReviewed"] == reviewed.statement


def test_an_unreviewed_claim_or_one_without_outlet_has_nulls_in_json_and_empty_cells_in_csv(client, viewer, make_claim):
    claim = make_claim("Opposition leaders said")
    client.force_login(viewer)
    [row] = read_export(client.get(export_url("claim", "json")))
    assert row["claimReview"] is None
    assert row["claimed_on"] is None
    assert row["article"]["outlet"] is None
    [row] = read_export(client.get(export_url("claim", "csv")))
    assert row["id"] == str(claim.pk)
    assert row["claimed_on"] == row["article_outlet_id"] == row["article_outlet_name"] == ""


def test_an_orphaned_claim_says_so(client, viewer, make_claim):
    claim = make_claim("Opposition leaders said")
    Claim.objects.filter(pk=claim.pk).update(quote_start=None)
    client.force_login(viewer)
    [row] = read_export(client.get(export_url("claim", "csv")))
    assert (row["orphaned"], row["quote_start"], row["quote_end"]) == ("true", "", "")
    [row] = read_export(client.get(export_url("claim", "json")))
    assert (row["orphaned"], row["quote_start"], row["quote_end"]) == (True, None, None)


def test_an_empty_list_exports_a_header_alone_or_an_empty_array(client, viewer, make_claim):
    make_claim("Opposition leaders said")
    client.force_login(viewer)
    response = client.get(export_url("claim", "csv"), {"verdict": "false"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body == ",".join(exports.header(exports.CLAIMS)) + "\r\n"
    response = client.get(export_url("claim", "json"), {"verdict": "false"})
    assert read_export(response) == []


FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-3+4", "@SUM(A1:A9)", "\tTabbed", "\rReturned"]


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_neutralised(client, viewer, editor):
    """CSV: a leading apostrophe, so Excel and LibreOffice show the text; JSON keeps the text as it is."""
    speaker = Source.objects.create(name="=cmd|' /C calc'!A0", kind=Source.Kind.PERSON)
    body = "-3+4 is what he wrote.\n\nNothing else."
    article = Article.objects.create(title="@SUM(A1:A9)", body=body)
    claims = [
        Claim.objects.create(
            article=article, quote="-3+4", quote_start=0, statement=statement, speaker=speaker, verdict_note=note
        )
        for statement, note in zip(FORMULAS, reversed(FORMULAS), strict=True)
    ]
    client.force_login(viewer)
    rows = {int(row["id"]): row for row in read_export(client.get(export_url("claim", "csv")))}
    for claim, statement, note in zip(claims, FORMULAS, reversed(FORMULAS), strict=True):
        row = rows[claim.pk]
        assert row["statement"] == "'" + statement
        assert row["verdict_note"] == "'" + note
        assert row["quote"] == "'-3+4"
        assert row["speaker_name"] == "'=cmd|' /C calc'!A0"
        assert row["article_title"] == "'@SUM(A1:A9)"
        assert row["id"] == str(claim.pk)
    rows = {row["id"]: row for row in read_export(client.get(export_url("claim", "json")))}
    assert [rows[claim.pk]["statement"] for claim in claims] == FORMULAS
    assert rows[claims[0].pk]["speaker"]["name"] == "=cmd|' /C calc'!A0"


def test_a_cell_that_only_holds_such_a_character_later_is_left_alone(client, viewer, make_claim):
    make_claim("Opposition leaders said", "Minus -3 = plus +3 @ noon")
    client.force_login(viewer)
    [row] = read_export(client.get(export_url("claim", "csv")))
    assert row["statement"] == "Minus -3 = plus +3 @ noon"


def test_files_are_named_for_the_list_and_the_day(client, viewer, make_claim):
    make_claim("Opposition leaders said")
    client.force_login(viewer)
    today = timezone.localdate().isoformat()
    response = client.get(export_url("claim", "csv"))
    assert response["Content-Disposition"] == f'attachment; filename="factcheck-claims-{today}.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    response = client.get(export_url("claim", "json"), {"verdict": "false"})
    assert response["Content-Disposition"] == f'attachment; filename="factcheck-claims-{today}.json"'
    assert response["Content-Type"] == "application/json"


def test_another_format_is_not_found(client, viewer):
    client.force_login(viewer)
    assert client.get("/claims/export.xlsx").status_code == 404


@pytest.mark.parametrize("name", ["claim", "article", "source", "contradiction", "link"])
@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_viewers_may_export_and_anonymous_visitors_are_sent_to_log_in(client, viewer, name, file_format):
    url = export_url(name, file_format)
    response = client.get(url, {"q": "army"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    client.force_login(viewer)
    assert isinstance(client.get(url), StreamingHttpResponse)
    assert client.post(url).status_code == 405


def test_an_export_needs_no_csrf_token_as_it_only_reads(viewer, make_claim):
    make_claim("Opposition leaders said")
    client = Client(enforce_csrf_checks=True)
    client.force_login(viewer)
    assert len(read_export(client.get(export_url("claim", "csv")))) == 1


# Streaming


def grow_claims(count, article, speaker):
    """`count` claims written at once (no history: as an importer would)."""
    last = max(Claim.objects.filter(article=article).values_list("number", flat=True), default=0)
    Claim.objects.bulk_create(
        Claim(
            article=article,
            number=last + n + 1,
            quote="The army is loyal",
            quote_start=article.body.index("The army is loyal"),
            statement=f"Bulk claim {n}",
            speaker=speaker,
            verdict=Claim.Verdict.values[n % len(Claim.Verdict.values)],
            # "Not checkable" fits opinions, not factual statements.
            kind=Claim.Kind.OPINION
            if Claim.Verdict.values[n % len(Claim.Verdict.values)] == Claim.Verdict.NOT_CHECKABLE
            else Claim.Kind.FACT,
        )
        for n in range(count)
    )


def queries_for(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        rows = read_export(response)
    return len(queries), rows


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_an_export_reads_the_rows_in_chunks_in_a_fixed_number_of_queries_per_chunk(
    client, viewer, article, speaker, editor, monkeypatch, file_format
):
    """With 3 claims per chunk, 7 claims are read in 3 chunks and 13 in 5: the CSV reads them in its one
    query; the JSON, for the ClaimReview, reads the claims repeating each chunk's in two more per chunk."""
    monkeypatch.setattr(exports, "CHUNK_SIZE", 3)
    client.force_login(viewer)
    url = export_url("claim", file_format)
    grow_claims(7, article, speaker)
    small, rows = queries_for(client, url)
    assert len(rows) == 7
    grow_claims(6, article, speaker)
    first, second = Claim.objects.order_by("pk")[:2]
    first.link(second, ClaimLink.Kind.REPEATS, by=editor)
    large, rows = queries_for(client, url)
    assert len(rows) == 13
    per_chunk = {"csv": 0, "json": 2}[file_format]
    fixed = 2  # the session and its user
    assert (small, large) == (fixed + 1 + 3 * per_chunk, fixed + 1 + 5 * per_chunk)
    # and with a search, the same plus the one reading the matches' ids
    count, rows = queries_for(client, url, {"q": "bulk"})
    assert len(rows) == 13
    assert count == fixed + 2 + 5 * per_chunk


def test_the_claim_review_of_a_repeated_claim_names_every_appearance(client, viewer, editor, reviewed, make_claim):
    pytest.importorskip("factcheck.claimreview")
    other = Article.objects.create(title="Army loyal, again", body="The army is loyal, he repeated.")
    repeat = Claim.objects.create(
        article=other, quote="The army is loyal", quote_start=0, statement="Loyal again", speaker=reviewed.speaker
    )
    reviewed.link(repeat, ClaimLink.Kind.REPEATS, by=editor)
    client.force_login(viewer)
    rows = {row["id"]: row for row in read_export(client.get(export_url("claim", "json")))}
    headlines = [work["headline"] for work in rows[reviewed.pk]["claimReview"]["itemReviewed"]["appearance"]]
    assert headlines == ["Army loyal?", "Army loyal, again"]


def test_an_export_is_written_as_it_is_read_not_held_whole_in_memory(client, viewer, article, speaker, monkeypatch):
    """The most memory used while 1,500 claims are exported is about what 150 take: the rows are read a
    chunk at a time and sent in pieces. (Held whole, 1,500 rows would take ten times as much.)"""
    monkeypatch.setattr(exports, "CHUNK_SIZE", 50)
    client.force_login(viewer)

    def peak(file_format):
        gc.collect()
        tracemalloc.start()
        try:
            response = client.get(export_url("claim", file_format))
            marker = {"csv": b",Bulk claim ", "json": b'"statement": "Bulk claim '}[file_format]
            rows = sum(piece.count(marker) for piece in response.streaming_content)
            return rows, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    grow_claims(150, article, speaker)
    small = {file_format: peak(file_format) for file_format in ("csv", "json")}
    grow_claims(1350, article, speaker)
    for file_format in ("csv", "json"):
        rows, large = peak(file_format)
        assert (small[file_format][0], rows) == (150, 1500)
        assert large < 2 * small[file_format][1]


def test_a_user_account_deleted_does_not_break_the_export(client, viewer, make_claim, editor):
    claim = make_claim("Opposition leaders said")
    Claim.objects.filter(pk=claim.pk).update(created_by=editor)
    User.objects.filter(pk=editor.pk).delete()
    client.force_login(viewer)
    assert len(read_export(client.get(export_url("claim", "json")))) == 1
