"""A file import_corpus cannot restore is refused with a message saying why and where, and nothing is written."""

import gzip
import json

import pytest
from django.core.management.base import CommandError

from factcheck.models import Article, Claim, Source

from .conftest import wipe

pytestmark = pytest.mark.django_db


def edited(content, change):
    """The file with `change(header, rows)` applied to its parsed lines."""
    header, *rows = [json.loads(line) for line in content.decode().split("\n")[:-1]]
    change(header, rows)
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in [header, *rows]).encode()


def refused(import_from, content, *args):
    with pytest.raises(CommandError) as refusal:
        import_from(content, *args)
    return str(refusal.value)


def first(rows, model):
    return next(row for row in rows if row["model"] == model)


def test_a_database_holding_a_corpus_is_refused_naming_what_is_there(full_corpus, export_to, import_from):
    content = export_to()
    message = refused(import_from, content)
    assert "already holds 4 sources, 2 articles" in message and "3 claims" in message and "--replace" in message
    assert "Nothing was changed" in message


def test_a_newer_format_is_refused(full_corpus, export_to, import_from):
    content = edited(export_to(), lambda header, rows: header.update(version=2))
    wipe()
    message = refused(import_from, content)
    assert "line 1: the file is in format version 2, newer than this factcheck reads (1)" in message
    assert Article.objects.count() == 0


def test_unknown_models_are_refused(full_corpus, export_to, import_from):
    def add_model(header, rows):
        header["counts"]["factcheck.dossier"] = 1
        rows.append({"model": "factcheck.dossier", "fields": {"id": 1}})

    content = edited(export_to(), add_model)
    wipe()
    assert "models this factcheck does not know: factcheck.dossier" in refused(import_from, content)


def test_a_row_of_an_unknown_model_is_refused_naming_its_line(full_corpus, export_to, import_from):
    content = edited(export_to(), lambda header, rows: rows.insert(3, {"model": "factcheck.dossier", "fields": {}}))
    wipe()
    assert "line 5: unknown model 'factcheck.dossier'" in refused(import_from, content)


def test_unknown_fields_are_refused(full_corpus, export_to, import_from):
    content = edited(export_to(), lambda header, rows: header["fields"]["factcheck.claim"].append("mood"))
    wipe()
    assert "fields factcheck.claim does not have here: mood" in refused(import_from, content)


def test_a_file_from_a_later_migration_is_refused(full_corpus, export_to, import_from):
    content = edited(export_to(), lambda header, rows: header["migrations"]["factcheck"].append("0099_future"))
    wipe()
    message = refused(import_from, content)
    assert "written after migration 0099_future, which this database lacks" in message and "migrate" in message


def test_something_else_than_a_corpus_is_refused(db, import_from):
    assert "line 1: this is not a factcheck corpus file" in refused(import_from, b'{"model": "factcheck.claim"}\n')
    assert "line 1: this is not a factcheck corpus file" in refused(import_from, b"")
    header_only = b'{"format": "factcheck-corpus", "version": 1}\n'
    assert "line 1: the header lacks the counts" in refused(import_from, header_only)
    assert "not UTF-8" in refused(import_from, b"\xff\xfe\x00")
    assert "Cannot read" in refused(import_from, gzip.compress(b"{}")[:12])


def test_a_bad_value_is_refused_naming_its_line_and_the_database_is_untouched(full_corpus, export_to, import_from):
    content = export_to()

    def break_date(header, rows):
        first(rows, "factcheck.article")["fields"]["published_on"] = "last Tuesday"

    before = export_to("before.jsonl")
    message = refused(import_from, edited(content, break_date), "--replace")
    number = 1 + next(n for n, line in enumerate(content.decode().split("\n")) if '"model":"factcheck.article"' in line)
    assert f"line {number}:" in message and "factcheck.article published_on" in message
    assert "last Tuesday" in message and "YYYY-MM-DD" in message
    assert export_to("after.jsonl") == before


def test_a_row_the_database_refuses_is_named_by_its_line_and_nothing_is_written(full_corpus, export_to, import_from):
    content = export_to()

    def break_verdict(header, rows):
        next(row for row in rows if row["model"] == "factcheck.claim" and row["fields"]["published_at"])["fields"][
            "verdict"
        ] = "unreviewed"

    wipe()
    message = refused(import_from, edited(content, break_verdict))
    claim_id = full_corpus["claim"].pk
    assert f"factcheck.claim #{claim_id}" in message and "claim_published_with_a_verdict" in message
    assert message.split(": ")[1].startswith("line ")
    assert Claim.objects.count() == Source.objects.count() == 0


def test_a_reference_to_a_missing_row_is_refused(full_corpus, export_to, import_from):
    content = export_to()

    def drop_outlet(header, rows):
        outlet = first(rows, "factcheck.source")
        rows.remove(outlet)
        header["counts"]["factcheck.source"] -= 1

    wipe()
    assert "do not hold together" in refused(import_from, edited(content, drop_outlet))
    assert Source.objects.count() == 0


def test_a_row_naming_a_user_not_in_the_file_is_refused(full_corpus, export_to, import_from):
    def stranger(header, rows):
        first(rows, "factcheck.claim")["fields"]["created_by"] = "nobody"

    content = edited(export_to(), stranger)
    wipe()
    assert "created_by names user 'nobody', who is not in the file" in refused(import_from, content)


def test_a_file_cut_short_is_refused(full_corpus, export_to, import_from):
    content = export_to()
    cut = content[: content.rindex(b"\n", 0, len(content) - 1) + 1]
    wipe()
    message = refused(import_from, cut)
    assert "header announces" in message and "incomplete" in message
    assert Article.objects.count() == 0


def test_a_broken_line_is_refused(full_corpus, export_to, import_from):
    content = export_to().replace(b'{"model":"factcheck.comment"', b'{"model":"factcheck.comment" oops', 1)
    wipe()
    assert "not a row this factcheck can read" in refused(import_from, content)
    assert Article.objects.count() == 0
