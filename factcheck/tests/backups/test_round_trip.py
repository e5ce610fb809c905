"""export_corpus then import_corpus gives back the same corpus: a second export equals the first, byte for byte."""

import gzip
import io
import json

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from factcheck import corpus
from factcheck.models import ApiToken, Article, ArticleFetch, Claim, ClaimLink, Comment, Story

from .conftest import AT, BODY, wipe

pytestmark = pytest.mark.django_db


def rows(content):
    lines = content.decode().split("\n")
    assert lines[-1] == ""
    return json.loads(lines[0]), [json.loads(line) for line in lines[1:-1]]


def test_every_model_of_the_app_is_carried_or_left_out_for_a_stated_reason():
    carried = {model._meta.label_lower for model in corpus.carried_models()}
    every = {model._meta.label_lower for model in apps.get_app_config("factcheck").get_models()}
    assert carried | set(corpus.LEFT_OUT) == every
    assert not carried & set(corpus.LEFT_OUT)
    assert set(corpus.LEFT_OUT) == {"factcheck.apitoken"}


def test_every_field_of_every_model_is_in_the_file_and_filled_in_this_test_corpus(full_corpus, export_to):
    """A field added to a model later fails here until this corpus fills it in and the round trip
    (below) shows it coming back."""
    header, lines = rows(export_to())
    for model in corpus.carried_models():
        label = model._meta.label_lower
        fields = [f.name for f in model._meta.concrete_fields if not f.generated]
        assert header["fields"][label] == fields
        of_model = [line["fields"] for line in lines if line["model"] == label]
        assert of_model, f"no {label} in the test corpus"
        empty = [name for name in fields if all(row[name] in (None, "") for row in of_model)]
        assert empty == [], f"{label}: fill these in the test corpus: {empty}"
    user_fields = [f.name for f in User._meta.concrete_fields if not f.primary_key]
    assert header["fields"]["auth.user"] == user_fields
    users = [line["fields"] for line in lines if line["model"] == "auth.user"]
    assert [name for name in user_fields if all(user[name] in (None, "") for user in users)] == []


def test_generated_columns_are_left_to_the_database(full_corpus, export_to):
    header, lines = rows(export_to())
    assert "content_hash" not in header["fields"]["factcheck.article"]
    assert "quote_end" not in header["fields"]["factcheck.claim"]
    assert not any("search_vector" in line["fields"] for line in lines)


def test_a_wiped_database_comes_back_whole_and_the_second_export_equals_the_first(full_corpus, export_to, import_from):
    first = export_to()
    wipe()
    assert Article.objects.count() == User.objects.count() == 0
    said = import_from(first)
    assert export_to("second.jsonl") == first
    assert "2 articles" in said and "3 claims" in said and "2 users" in said

    original = Article.objects.get(pk=full_corpus["original"].pk)
    assert original.body == BODY
    copy = Article.objects.get(pk=full_corpus["copy"].pk)
    assert copy.republished_from == original
    claim = Claim.objects.get(pk=full_corpus["claim"].pk)
    assert claim.quote_end == claim.quote_start + len(claim.quote)
    assert original.body[claim.quote_start : claim.quote_end] == claim.quote
    assert (claim.published_at, claim.published_by.username) == (AT, "zoë")
    assert claim.history.first().history_user.username == "zoë"
    assert ClaimLink.objects.get().created_by.username == "editor"
    assert Comment.objects.filter(link__isnull=False).get().author.username == "zoë"
    fetch = ArticleFetch.objects.get(status=ArticleFetch.Status.SAVED)
    assert fetch.snapshot == "<html><body><p>The army is loyal…</p>\r\n</body></html>"
    assert fetch.article == original and fetch.requested_by.username == "editor"
    assert Claim.objects.get(pk=full_corpus["orphan"].pk).quote_start is None


def test_users_come_back_able_to_log_in_with_their_groups(full_corpus, export_to, import_from, client):
    content = export_to()
    wipe()
    import_from(content)
    editor = User.objects.get(username="editor")
    assert editor.check_password("pw-editor-123")
    assert sorted(editor.groups.values_list("name", flat=True)) == ["Editors", "Night desk"]
    assert editor.has_perm("factcheck.delete_source") and editor.has_perm("factcheck.view_articlefetch")
    assert editor.has_perm("factcheck.change_claim")  # from Editors, brought back with its permissions
    assert User.objects.get(username="zoë").is_superuser
    response = client.post("/login/", {"username": "editor", "password": "pw-editor-123"})
    assert response.status_code == 302
    assert client.get(f"/claims/{full_corpus['claim'].pk}/").status_code == 200


def test_a_user_already_there_is_matched_by_name_and_kept(full_corpus, export_to, import_from):
    content = export_to()
    wipe()
    User.objects.create_user("editor", password="a-new-password-1", first_name="Other")
    said = import_from(content)
    editor = User.objects.get(username="editor")
    assert editor.check_password("a-new-password-1") and editor.first_name == "Other"
    assert Claim.objects.get(pk=full_corpus["claim"].pk).created_by == editor
    assert "1 already here and kept as they were (editor)" in said


def test_the_restored_claims_are_found_by_search(full_corpus, export_to, import_from):
    content = export_to()
    wipe()
    said = import_from(content)
    assert [c.pk for c in Claim.objects.search("contradict OR deny")] == [full_corpus["other"].pk]
    assert [a.pk for a in Article.objects.search("syndicated")] == [full_corpus["copy"].pk]
    assert "2 claims stand at their quote, 1 orphaned (as they were), 0 misplaced" in said


def test_the_demo_round_trips(seeded, export_to, import_from):
    first = export_to()
    said = import_from(first, "--replace")
    assert export_to("second.jsonl") == first
    assert Claim.objects.count() == 80 and Claim.objects.search("army").exists()
    assert User.objects.get(username="ana").check_password("factcheck-demo")
    assert "Deleted first (--replace): 33 sources, 5 articles, 1 story, 4 events, 80 claims" in said
    story = Story.objects.get()
    assert (story.title, story.articles.count(), story.events.count()) == ("Venezuela coup plots, 2018-19", 5, 4)
    assert "80 claims stand at their quote, 0 orphaned (as they were), 0 misplaced" in said


def test_two_exports_are_equal_byte_for_byte_compressed_too(full_corpus, export_to, tmp_path):
    assert export_to("a.jsonl") == export_to("b.jsonl")
    compressed = export_to("a.jsonl.gz")
    assert compressed[:2] == b"\x1f\x8b" and compressed == export_to("b.jsonl.gz")
    assert gzip.decompress(compressed) == export_to("c.jsonl")


def test_a_compressed_file_restores(full_corpus, export_to, import_from):
    compressed = export_to("a.jsonl.gz")
    wipe()
    import_from(compressed, name="restore.gz")
    assert export_to("b.jsonl.gz") == compressed


def test_it_writes_to_standard_output_with_a_dash(full_corpus, export_to):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_corpus", "-", stdout=out, stderr=err)
    assert out.getvalue().encode() == export_to()
    assert "Exported to -:" in err.getvalue()


def test_the_header_says_what_follows(full_corpus, export_to):
    header, lines = rows(export_to())
    assert header["format"] == "factcheck-corpus" and header["version"] == 1
    (latest,) = MigrationLoader(connection).graph.leaf_nodes("factcheck")
    assert header["migrations"]["factcheck"][-1] == latest[1]
    assert header["counts"]["factcheck.claim"] == 3
    assert sum(header["counts"].values()) == len(lines)
    assert "factcheck.apitoken" in header["left_out"]
    assert "exported" not in json.dumps(header)  # nothing that changes from one export to the next


def test_api_tokens_are_neither_exported_nor_touched_by_a_replace(full_corpus, editor, export_to, import_from):
    ApiToken.objects.create(user=editor, name="Wire script", key_hash="a" * 64, prefix="fc_aaaa")
    content = export_to()
    assert b"Wire script" not in content and b"a" * 64 not in content
    import_from(content, "--replace")
    assert ApiToken.objects.get().user == editor


def test_a_group_already_there_keeps_its_permissions(full_corpus, export_to, import_from):
    content = export_to()
    wipe()
    Group.objects.create(name="Night desk")
    import_from(content)
    assert not Group.objects.get(name="Night desk").permissions.exists()
    assert Group.objects.get(name="Editors").permissions.count() > 0
