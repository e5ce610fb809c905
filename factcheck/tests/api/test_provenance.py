"""Provenance through the API: a claim's kind, hedge, date and attribution chain; links with a status."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck.models import Article, Claim, ClaimLink, Comment, Relay, Source

from .conftest import refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(db):
    return {
        "alejandro": Source.objects.create(name="Alejandro", kind=Source.Kind.ANONYMOUS),
        "simon": Source.objects.create(name="Simon", kind=Source.Kind.ANONYMOUS),
        "beast": Source.objects.create(name="The Daily Beast", kind=Source.Kind.OUTLET),
        "gpa": Source.objects.create(name="GPA", kind=Source.Kind.OUTLET),
    }


@pytest.fixture
def claim(make_claim, article, sources):
    Article.objects.filter(pk=article.pk).update(outlet=sources["gpa"])
    return Claim.objects.get(pk=make_claim("the army is not loyal").pk)


def _chain(sources, version, **changes):
    return {
        "version": version,
        "co_speakers": [sources["simon"].pk],
        "hops": [
            {
                "source": sources["beast"].pk,
                "manner": "paraphrase",
                "reason": "“not loyal” for “divided”.",
                "url": "https://example.com/beast",
            }
        ],
        **changes,
    }


def test_a_claim_shows_its_kind_hedge_date_and_chain(viewer_api, claim, sources):
    claim.set_chain(
        [sources["simon"]],
        [{"source": sources["beast"], "manner": Relay.Manner.VERBATIM, "url": "https://example.com/beast"}],
        seen_version=claim.version,
    )
    body = viewer_api.get(f"/claims/{claim.pk}").json()
    assert (body["kind"], body["hedge"], body["claimed_on_precision"], body["claimed_until"]) == (
        "fact",
        "",
        "day",
        None,
    )
    assert body["co_speakers"] == [{"id": sources["simon"].pk, "name": "Simon", "kind": "anonymous"}]
    assert body["chain"] == [
        {
            "position": 1,
            "source": {"id": sources["beast"].pk, "name": "The Daily Beast", "kind": "outlet"},
            "manner": "verbatim",
            "reason": "",
            "url": "https://example.com/beast",
            "article": None,
        }
    ]
    assert body["chain_line"] == "A minister and Simon (anonymous) → The Daily Beast → GPA"


def test_the_claim_list_reads_chains_in_fixed_queries(viewer_api, claim, sources, make_claim):
    claim.set_chain([sources["simon"]], [{"source": sources["beast"]}], seen_version=claim.version)
    assert viewer_api.get("/claims").status_code == 200  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        assert viewer_api.get("/claims").status_code == 200
    other = make_claim("Opposition leaders said")
    other.set_chain([sources["alejandro"]], [{"source": sources["beast"]}, {"source": sources["gpa"]}], seen_version=1)
    with CaptureQueriesContext(connection) as more:
        items = viewer_api.get("/claims").json()["items"]
    assert len(more) == len(few)
    assert [len(item["chain"]) for item in items] == [2, 1]


def test_an_editor_writes_a_chain(editor_api, editor, claim, sources):
    response = editor_api.call("PUT", f"/claims/{claim.pk}/chain", _chain(sources, claim.version))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["chain_line"] == "A minister and Simon (anonymous) → The Daily Beast → GPA"
    assert body["version"] == claim.version + 1
    hop = Relay.objects.get(claim=claim)
    assert (hop.source, hop.manner, hop.reason) == (sources["beast"], "paraphrase", "“not loyal” for “divided”.")
    assert hop.history.get().history_user == editor
    # An empty list of hops: no chain any more.
    cleared = editor_api.call("PUT", f"/claims/{claim.pk}/chain", {"version": body["version"], "hops": []})
    assert cleared.json()["chain"] == [] and cleared.json()["co_speakers"] == []
    assert not Relay.objects.exists()


def test_a_stale_chain_is_a_conflict_and_writes_nothing(editor_api, claim, sources):
    body = refused(editor_api.call("PUT", f"/claims/{claim.pk}/chain", _chain(sources, claim.version + 5)), 409)
    assert "Someone saved this" in body["detail"]
    assert not Relay.objects.exists()
    assert Claim.objects.get(pk=claim.pk).version == claim.version


def test_a_bad_chain_is_refused_with_messages(editor_api, claim, sources):
    url = f"/claims/{claim.pk}/chain"
    no_reason = _chain(sources, claim.version)
    no_reason["hops"][0]["reason"] = " "
    body = refused(editor_api.call("PUT", url, no_reason), 422)
    assert body["errors"]["chain"][0].startswith("Hop 1: say how The Daily Beast changed the claim")
    unknown = _chain(sources, claim.version, co_speakers=[999999])
    unknown["hops"][0]["source"] = 999998
    body = refused(editor_api.call("PUT", url, unknown), 422)
    assert body["errors"] == {
        "co_speakers": ["No source with the id 999999."],
        "hops.0.source": ["No source with this id."],
    }
    manner = _chain(sources, claim.version)
    manner["hops"][0]["manner"] = "garbled"
    assert list(refused(editor_api.call("PUT", url, manner), 422)["errors"]) == ["hops.0.manner"]
    bad_url = _chain(sources, claim.version)
    bad_url["hops"][0]["url"] = "not a url"
    assert "Enter a valid URL." in str(refused(editor_api.call("PUT", url, bad_url), 422)["errors"])
    assert not Relay.objects.exists()
    assert Claim.objects.get(pk=claim.pk).version == claim.version


def test_a_viewer_may_not_write_a_chain(viewer_api, claim, sources):
    refused(viewer_api.call("PUT", f"/claims/{claim.pk}/chain", _chain(sources, claim.version)), 403)
    assert not Relay.objects.exists()


def test_an_editor_adds_an_opinion_with_its_hedge_and_a_range_of_dates(editor_api, article, speaker):
    data = {
        "article": article.pk,
        "speaker": speaker.pk,
        "quote": "the army is not loyal",
        "statement": "The army is not loyal.",
        "kind": "opinion",
        "hedge": " reportedly ",
        "claimed_on": "2019-04-29",
        "claimed_on_precision": "range",
        "claimed_until": "2019-04-30",
        "claimed_on_basis": "on Monday or Tuesday",
    }
    response = editor_api.post("/claims", data)
    assert response.status_code == 201, response.content
    claim = Claim.objects.get(pk=response.json()["id"])
    assert (claim.kind, claim.hedge, claim.claimed_on_precision, str(claim.claimed_until)) == (
        "opinion",
        "reportedly",
        "range",
        "2019-04-30",
    )
    assert response.json()["claimed_on_basis"] == "on Monday or Tuesday"


def test_a_range_ending_before_it_starts_or_a_fact_not_checkable_is_refused(editor_api, article, speaker, claim):
    data = {"article": article.pk, "speaker": speaker.pk, "quote": "Opposition leaders said", "statement": "S."}
    backwards = {"claimed_on": "2019-04-30", "claimed_on_precision": "range", "claimed_until": "2019-04-01"}
    body = refused(editor_api.post("/claims", {**data, **backwards}), 422)
    assert body["errors"] == {
        "__all__": ["A range of dates needs its first and last day, the last not before the first."]
    }
    assert list(refused(editor_api.post("/claims", {**data, "hedge": "x" * 101}), 422)["errors"]) == ["hedge"]
    assert Claim.objects.count() == 1
    change = {"version": claim.version, "verdict": "not_checkable"}
    body = refused(editor_api.patch(f"/claims/{claim.pk}", change), 422)
    assert body["errors"] == {"__all__": ["A factual statement can be checked: give it a verdict, or change its kind."]}
    response = editor_api.patch(f"/claims/{claim.pk}", {**change, "kind": "opinion", "hedge": "presumably"})
    assert response.status_code == 200, response.content
    assert (response.json()["verdict"], response.json()["kind"], response.json()["hedge"]) == (
        "not_checkable",
        "opinion",
        "presumably",
    )


@pytest.fixture
def link(make_claim):
    loyal, not_loyal = make_claim("The army is loyal to the president"), make_claim("the army is not loyal")
    return loyal.link(not_loyal, ClaimLink.Kind.CONTRADICTS, reason="Opposite.")


def test_a_link_shows_its_status(viewer_api, link):
    body = viewer_api.get(f"/links/{link.pk}").json()
    assert (body["status"], body["status_by"], body["status_at"], body["status_reason"]) == ("proposed", None, None, "")
    assert body["version"] == 1


def test_an_editor_changes_a_links_kind_keeping_its_discussion(editor_api, editor, link):
    Comment.post(link, "Really opposite?", by=editor)
    response = editor_api.patch(f"/links/{link.pk}", {"version": 1, "kind": "in_tension", "reason": "Not quite."})
    assert response.status_code == 200, response.content
    assert (response.json()["kind"], response.json()["reason"], response.json()["version"]) == (
        "in_tension",
        "Not quite.",
        2,
    )
    assert link.comments.count() == 1
    assert ClaimLink.history.filter(id=link.pk).first().history_user == editor
    body = refused(editor_api.patch(f"/links/{link.pk}", {"version": 1, "reason": "Stale."}), 409)
    assert "Someone saved this" in body["detail"]
    body = refused(editor_api.patch(f"/links/{link.pk}", {"version": 2, "reason": " "}), 422)
    assert list(body["errors"]) == ["reason"]
    assert ClaimLink.objects.get().reason == "Not quite."


def test_an_editor_settles_a_link(editor_api, editor, link):
    body = refused(editor_api.post(f"/links/{link.pk}/settle", {"version": 1, "status": "rejected"}), 422)
    assert body["errors"] == {"status_reason": ["Say why the link is rejected."]}
    response = editor_api.post(
        f"/links/{link.pk}/settle", {"version": 1, "status": "rejected", "reason": "Different days."}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["status_by"], body["status_reason"]) == ("rejected", "editor", "Different days.")
    assert body["status_at"]
    refused(editor_api.post(f"/links/{link.pk}/settle", {"version": 1, "status": "confirmed"}), 409)
    assert refused(editor_api.post(f"/links/{link.pk}/settle", {"version": 2, "status": "wrong"}), 422)["errors"]
    assert ClaimLink.objects.get().status == "rejected"


def test_a_viewer_may_not_change_or_settle_a_link(viewer_api, link):
    refused(viewer_api.patch(f"/links/{link.pk}", {"version": 1, "reason": "Mine."}), 403)
    refused(viewer_api.post(f"/links/{link.pk}/settle", {"version": 1, "status": "confirmed"}), 403)
    assert ClaimLink.objects.get().version == 1


def test_it_lists_links_by_status(viewer_api, editor, link, make_claim):
    other = make_claim("Opposition leaders said").link(link.to_claim, ClaimLink.Kind.SUPPORTS)
    link.settle(ClaimLink.Status.CONFIRMED, by=editor, seen_version=1)
    assert [item["id"] for item in viewer_api.get("/links", status="confirmed").json()["items"]] == [link.pk]
    assert [item["id"] for item in viewer_api.get("/links", status="proposed").json()["items"]] == [other.pk]
    assert list(refused(viewer_api.get("/links", status="settled"), 422)["errors"]) == ["status"]
