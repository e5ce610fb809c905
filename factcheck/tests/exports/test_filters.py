"""A filtered export holds exactly what the filtered page lists, every page of it, in the same order."""

import pytest

from factcheck.models import Article, Claim, ClaimLink, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(client, viewer, grow_corpus, make_claim, article, speaker, editor):
    """25 grown claims in a chain of contradictions (over two pages of every list), and three more in one
    article: one supporting another, one alone, one that lost its place in the text."""
    grow_corpus(25)
    supported = make_claim("The army is loyal to the president", "The army is loyal")
    make_claim("Opposition leaders said", "Leaders spoke").link(supported, ClaimLink.Kind.SUPPORTS, by=editor)
    lost = make_claim("the army is not loyal", "The army is not loyal")
    Claim.objects.filter(pk=lost.pk).update(quote_start=None)
    client.force_login(viewer)
    grown = Claim.objects.filter(statement__startswith="Grown").order_by("pk")
    return {"grown": list(grown), "article": article, "speaker": speaker}


def first_grown(corpus):
    return corpus["grown"][0]


CASES = {
    "claim": [
        lambda c: {},
        lambda c: {"verdict": "false"},
        lambda c: {"verdict": "no-such-verdict"},
        lambda c: {"q": "grown"},
        lambda c: {"q": "army", "verdict": "unreviewed"},
        lambda c: {"q": "-grown army"},
        lambda c: {"speaker": first_grown(c).speaker_id},
        lambda c: {"speaker": c["speaker"].pk, "state": "unlinked"},
        lambda c: {"outlet": first_grown(c).article.outlet_id},
        lambda c: {"article": c["article"].pk},
        lambda c: {"state": "contradicted"},
        lambda c: {"state": "orphaned"},
    ],
    "article": [
        lambda c: {},
        lambda c: {"q": "growth report"},
        lambda c: {"q": "loyal"},
        lambda c: {"outlet": first_grown(c).article.outlet_id},
    ],
    "source": [
        lambda c: {},
        lambda c: {"kind": Source.Kind.PERSON},
        lambda c: {"q": "outlet"},
        lambda c: {"q": "person", "kind": Source.Kind.OUTLET},
    ],
    "contradiction": [
        lambda c: {},
        lambda c: {"source": c["grown"][3].speaker_id},
        lambda c: {"article": c["grown"][5].article_id},
        lambda c: {"article": c["article"].pk},
    ],
}
LIST_PAGES = {
    "claim": "claim_list",
    "article": "article_list",
    "source": "source_list",
    "contradiction": "contradiction_list",
}


@pytest.mark.parametrize("file_format", ["csv", "json"])
@pytest.mark.parametrize(
    ("name", "case"), [(name, n) for name, cases in CASES.items() for n in range(len(cases))], ids=str
)
def test_an_export_holds_what_its_page_lists_on_every_page(corpus, exported, listed, name, case, file_format):
    params = CASES[name][case](corpus)
    rows = exported(name, file_format, params)
    assert [int(row["id"]) for row in rows] == listed(LIST_PAGES[name], params)


def test_the_cases_above_cover_long_lists_short_ones_and_empty_ones(corpus, listed):
    """The comparisons above would prove little if every filter listed everything, or nothing."""
    lengths = {name: [len(listed(LIST_PAGES[name], case(corpus))) for case in cases] for name, cases in CASES.items()}
    # The grown claims take the verdicts in turn, "not checkable" (on opinions) among them.
    assert lengths["claim"] == [28, 3, 28, 25, 6, 2, 1, 1, 1, 3, 25, 1]
    assert lengths["article"] == [26, 25, 1, 1]
    assert lengths["source"] == [51, 25, 25, 0]
    assert lengths["contradiction"] == [24, 2, 2, 0]
    assert Article.objects.count() == 26


def test_the_links_export_holds_every_link_or_those_of_one_kind(corpus, exported):
    every = list(ClaimLink.objects.order_by("-created_at", "-pk").values_list("pk", flat=True))
    assert [row["id"] for row in exported("link", "json")] == every
    assert [int(row["id"]) for row in exported("link", "csv")] == every
    supports = exported("link", "csv", {"kind": "supports"})
    assert [int(row["id"]) for row in supports] == [link.pk for link in ClaimLink.objects.filter(kind="supports")]
    assert {row["kind"] for row in supports} == {"supports"}
    speaker = {"source": corpus["grown"][3].speaker_id}
    contradictions = exported("link", "json", {"kind": "contradicts", **speaker})
    assert [row["id"] for row in contradictions] == [row["id"] for row in exported("contradiction", "json", speaker)]
    assert len(contradictions) == 2
