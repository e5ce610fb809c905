"""The dispute analysis of a story (factcheck.models.disputes): camps and sides, the matrix, the timeline, an
article's dispute summary; read in a fixed number of queries."""

import datetime

import pytest

from factcheck.models import ClaimLink, Story
from factcheck.models.disputes import article_disputes

from .disputed_story import claim_in, make_disputed_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def disputed():
    return make_disputed_story()


def fresh(story):
    return Story.objects.get(pk=story.pk)


def pks(claims):
    return {claim.pk for claim in claims}


def test_camps_join_supporting_claims_and_a_speakers_claims(disputed):
    c = disputed.claims
    camps = fresh(disputed.story).camps()
    assert [pks(camp.claims) for camp in camps] == [pks([c["m1"], c["l1"], c["m2"], c["u1"]]), pks([c["g1"], c["p1"]])]
    assert camps[0].name == "Nicolás Maduro and Sergey Lavrov"
    assert camps[1].name == "Juan Guaidó and Mike Pompeo"


def test_a_rejected_support_joins_nobody(disputed):
    link = disputed.links["p1>g1"]
    link.settle(ClaimLink.Status.REJECTED, reason="Misread", seen_version=link.version)
    c = disputed.claims
    camps = fresh(disputed.story).camps()
    assert [pks(camp.claims) for camp in camps[1:]] == [{c["g1"].pk}, {c["p1"].pk}]


def test_a_speaker_who_contradicts_themself_keeps_both_positions_apart(disputed):
    c = disputed.claims
    c["m1"].link(c["m2"], ClaimLink.Kind.CONTRADICTS, reason="Changed his mind")
    camps = fresh(disputed.story).camps()
    assert not any({c["m1"].pk, c["m2"].pk} <= pks(camp.claims) for camp in camps)


def test_camps_that_disagree_stand_on_opposite_sides(disputed):
    dispute = fresh(disputed.story).dispute
    maduro, guaido = dispute.camps
    assert maduro.opposes == [(guaido, 2)] and guaido.opposes == [(maduro, 2)]
    [quarrel] = dispute.quarrels
    assert quarrel.count == 2 and quarrel.within_sides == 0
    assert [side.camps for side in quarrel.sides] == [[maduro], [guaido]]


def test_a_lone_claim_that_disputes_nobody_is_in_no_camp(disputed):
    lone = claim_in(disputed.articles["reuters"], disputed.speakers["Juan Guaidó"], "Pompeo")
    lone.speaker = disputed.claims["x1"].article.outlet  # Reuters, who says nothing else here
    lone.save()
    dispute = fresh(disputed.story).dispute
    assert dispute.unaligned == [lone]
    assert lone.pk not in {claim.pk for camp in dispute.camps for claim in camp.claims}


def test_the_matrix_counts_standing_disagreements_by_speaker_both_ways(disputed):
    matrix = fresh(disputed.story).source_matrix()
    names = [source.name for source in matrix.sources]
    assert sorted(names) == ["Juan Guaidó", "Mike Pompeo", "Nicolás Maduro", "Sergey Lavrov"]
    assert matrix.total == 2
    counts = {
        (row.name, column.name): cell.count
        for row, _, cells in matrix.rows
        for column, cell in zip(matrix.sources, cells, strict=True)
        if cell.count
    }
    assert counts == {
        ("Juan Guaidó", "Nicolás Maduro"): 1,
        ("Nicolás Maduro", "Juan Guaidó"): 1,
        ("Mike Pompeo", "Sergey Lavrov"): 1,
        ("Sergey Lavrov", "Mike Pompeo"): 1,
    }


def test_a_matrix_cell_leads_to_the_pairs_and_names_the_outlets(disputed):
    story = fresh(disputed.story)
    matrix = story.source_matrix()
    guaido = disputed.speakers["Juan Guaidó"]
    row = next(cells for source, _, cells in matrix.rows if source == guaido)
    [cell] = [cell for cell in row if cell.count]
    assert cell.url == f"/contradictions/?story={story.pk}&source={guaido.pk}&kind=all"
    assert cell.title == "Juan Guaidó (in Reuters) disputes Nicolás Maduro (in TASS): 1 time"


def test_the_timeline_orders_each_speakers_claims_by_date_undated_last(disputed):
    c = disputed.claims
    lines = {source.name: entries for source, entries in fresh(disputed.story).timeline()}
    assert [claim for _, claim in lines["Nicolás Maduro"]] == [c["m1"], c["m2"]]
    assert [day for day, _ in lines["Nicolás Maduro"]] == [datetime.date(2019, 4, 30), datetime.date(2019, 5, 2)]
    assert [(day, claim) for day, claim in lines["Sergey Lavrov"]] == [
        (datetime.date(2019, 5, 2), c["l1"]),
        (None, c["u1"]),
    ]
    assert lines["Juan Guaidó"][0][1].event.name == "30 April uprising"
    assert "Outside" not in [claim.article.title for entries in lines.values() for _, claim in entries]


def test_speakers_come_in_the_order_of_their_first_claim(disputed):
    names = [source.name for source, _ in fresh(disputed.story).timeline()]
    assert names == ["Juan Guaidó", "Nicolás Maduro", "Mike Pompeo", "Sergey Lavrov"]


def test_an_article_summary_lists_its_disputed_claims_and_by_whom(disputed):
    c = disputed.claims
    summary = article_disputes(disputed.articles["reuters"])
    assert [claim.pk for claim in summary.claims] == [c["g1"].pk, c["p1"].pk]
    assert [(link.pk, other.pk) for link, other in summary.claims[0].disputed_by] == [
        (disputed.links["g1-m1"].pk, c["m1"].pk)
    ]
    assert [(source.name, count) for source, count in summary.by_whom] == [("Nicolás Maduro", 1), ("Sergey Lavrov", 1)]


def test_an_article_without_disagreements_has_an_empty_summary(disputed):
    assert not article_disputes(disputed.articles["undated"])


def test_the_analysis_reads_two_queries_however_big_the_story(disputed, django_assert_num_queries, grow_corpus):
    def analyse():
        story = fresh(disputed.story)
        with django_assert_num_queries(2):
            story.graph(), story.camps(), story.source_matrix(), story.timeline(), story.dispute.dates()

    analyse()
    grow_corpus(article=disputed.articles["tass"], claim=disputed.claims["m1"])
    analyse()
    assert len(fresh(disputed.story).graph()["nodes"]) == 7 - 1 + 30


def test_an_empty_story_has_no_camps_rows_or_lines(db):
    story = Story.objects.create(title="Nothing yet")
    assert story.camps() == [] and story.source_matrix().rows == [] and story.timeline() == []
    assert story.graph() == {"story": story.pk, "nodes": [], "edges": [], "camps": []}
    assert story.dispute.dates() == (None, None)
