"""The fields of the article, source, contradiction and link exports (the claims': test_claim_export.py)."""

import datetime

import pytest
from django.utils import timezone

from factcheck.models import Article, Claim, ClaimLink, Source

from .conftest import export_url, read_export

pytestmark = pytest.mark.django_db


def iso(moment):
    return moment.astimezone(datetime.UTC).isoformat()


@pytest.fixture
def newsroom(editor, speaker):
    outlet = Source.objects.create(name="Efecto Cocuyo", kind=Source.Kind.OUTLET, url="https://efectococuyo.example/")
    reporter = Source.objects.create(
        name="+A reporter",
        kind=Source.Kind.PERSON,
        affiliation=outlet,
        description="Covers the army.\nSince 2015.",
        reliability_note="=Reliable",
    )
    article = Article.objects.create(
        title="Army split, says reporter",
        author="-Ana",
        outlet=outlet,
        url="https://efectococuyo.example/split",
        published_on=datetime.date(2019, 4, 30),
        body="The army is split. The army is united.",
    )

    def say(quote, who, **fields):
        return Claim.objects.create(
            article=article, quote=quote, quote_start=article.body.index(quote), statement=quote, speaker=who, **fields
        )

    split = say("The army is split.", reporter, verdict=Claim.Verdict.ACCURATE)
    united = say("The army is united.", speaker)
    link = split.link(united, ClaimLink.Kind.CONTRADICTS, by=editor, reason="@Split or united?")
    return {"outlet": outlet, "reporter": reporter, "article": article, "split": split, "united": united, "link": link}


def test_the_article_export_lists_each_article_with_its_outlet_and_claim_count(client, viewer, newsroom):
    client.force_login(viewer)
    article, outlet = newsroom["article"], newsroom["outlet"]
    article.refresh_from_db()
    [row] = read_export(client.get(export_url("article", "csv")))
    assert row == {
        "id": str(article.pk),
        "title": "Army split, says reporter",
        "url": f"http://testserver/articles/{article.pk}/",
        "web_address": "https://efectococuyo.example/split",
        "published_on": "2019-04-30",
        "outlet_id": str(outlet.pk),
        "outlet_name": "Efecto Cocuyo",
        "outlet_url": f"http://testserver/sources/{outlet.pk}/",
        "author": "'-Ana",
        "claim_count": "2",
        "created_at": iso(article.created_at),
        "updated_at": iso(article.updated_at),
    }
    [row] = read_export(client.get(export_url("article", "json")))
    assert row["outlet"] == {"id": outlet.pk, "name": "Efecto Cocuyo", "url": f"http://testserver/sources/{outlet.pk}/"}
    assert (row["author"], row["claim_count"], row["published_on"]) == ("-Ana", 2, "2019-04-30")
    assert "body" not in row and "text" not in row
    today = timezone.localdate().isoformat()
    response = client.get(export_url("article", "json"))
    assert response["Content-Disposition"] == f'attachment; filename="factcheck-articles-{today}.json"'


def test_the_source_export_lists_each_source_with_its_affiliation_and_claim_count(client, viewer, newsroom):
    client.force_login(viewer)
    reporter, outlet = newsroom["reporter"], newsroom["outlet"]
    reporter.refresh_from_db()
    rows = {row["name"]: row for row in read_export(client.get(export_url("source", "csv"), {"kind": "person"}))}
    assert rows == {
        "'+A reporter": {
            "id": str(reporter.pk),
            "url": f"http://testserver/sources/{reporter.pk}/",
            "name": "'+A reporter",
            "kind": "person",
            "kind_label": "Person",
            "affiliation_id": str(outlet.pk),
            "affiliation_name": "Efecto Cocuyo",
            "affiliation_url": f"http://testserver/sources/{outlet.pk}/",
            "description": "Covers the army.\nSince 2015.",
            "web_address": "",
            "reliability_note": "'=Reliable",
            "claim_count": "1",
            "created_at": iso(reporter.created_at),
            "updated_at": iso(reporter.updated_at),
        }
    }
    rows = {row["name"]: row for row in read_export(client.get(export_url("source", "json")))}
    assert set(rows) == {"+A reporter", "A minister", "Efecto Cocuyo"}
    assert rows["+A reporter"]["affiliation"]["name"] == "Efecto Cocuyo"
    assert rows["Efecto Cocuyo"]["affiliation"] is None
    assert rows["Efecto Cocuyo"]["web_address"] == "https://efectococuyo.example/"
    assert (rows["A minister"]["claim_count"], rows["A minister"]["kind_label"]) == (1, "Government body")


@pytest.mark.parametrize("name", ["contradiction", "link"])
def test_the_contradiction_and_link_exports_hold_both_claims_with_speakers_and_articles(
    client, viewer, editor, newsroom, name
):
    client.force_login(viewer)
    link, split, united = newsroom["link"], newsroom["split"], newsroom["united"]
    [row] = read_export(client.get(export_url(name, "json")))
    assert row["id"] == link.pk
    assert row["url"] == f"http://testserver/links/{link.pk}/"
    assert (row["kind"], row["reason"], row["linked_by"], row["comment_count"]) == (
        "contradicts",
        "@Split or united?",
        "editor",
        0,
    )
    assert row["created_at"] == iso(link.created_at)
    assert row["from_claim"]["id"] == split.pk
    assert row["from_claim"]["verdict"] == "accurate"
    assert row["from_claim"]["speaker"]["name"] == "+A reporter"
    assert row["from_claim"]["article"]["outlet"]["name"] == "Efecto Cocuyo"
    assert row["to_claim"]["url"] == f"http://testserver/claims/{united.pk}/"
    assert row["to_claim"]["speaker"]["name"] == "A minister"
    [row] = read_export(client.get(export_url(name, "csv")))
    assert row["reason"] == "'@Split or united?"
    assert row["from_claim_speaker_name"] == "'+A reporter"
    assert row["to_claim_id"] == str(united.pk)
    assert row["to_claim_article_outlet_name"] == "Efecto Cocuyo"
    assert list(row)[:7] == ["id", "url", "kind", "reason", "linked_by", "created_at", "comment_count"]


def test_the_link_export_refuses_an_unknown_kind_with_a_clear_message(client, viewer, newsroom):
    client.force_login(viewer)
    response = client.get(export_url("link", "csv"), {"kind": "<b>contradict</b>"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "choose one of contradicts, in_tension, competing, supports, repeats, relays" in response.content.decode()


def test_the_contradiction_export_leaves_out_other_links(client, viewer, editor, newsroom):
    newsroom["united"].link(newsroom["split"], ClaimLink.Kind.SUPPORTS, by=editor)
    client.force_login(viewer)
    assert [row["kind"] for row in read_export(client.get(export_url("contradiction", "json")))] == ["contradicts"]
    assert {row["kind"] for row in read_export(client.get(export_url("link", "json")))} == {"contradicts", "supports"}


def test_the_link_export_says_who_settled_each_link_when_and_why(client, viewer, editor, newsroom):
    link = newsroom["link"]
    link.settle(ClaimLink.Status.REJECTED, by=editor, reason="Different years", seen_version=link.version)
    client.force_login(viewer)
    [row] = read_export(client.get(export_url("link", "json")))
    assert (row["status"], row["settled_by"], row["settled_why"]) == ("rejected", "editor", "Different years")
    link.refresh_from_db()
    assert row["settled_at"] == iso(link.status_at)
    [row] = read_export(client.get(export_url("link", "csv")))
    assert (row["status"], row["settled_by"], row["settled_why"]) == ("rejected", "editor", "Different years")
