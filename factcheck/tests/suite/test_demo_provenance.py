"""The demo, re-curated from a careful reading: every fact in it traceable to the words of its article."""

import datetime

import pytest

from factcheck.models import Article, Claim, ClaimLink, Relay, Source
from factcheck.models.chains import CHANGED_MANNERS

pytestmark = pytest.mark.django_db


def basis_parts(claim):
    """The words that give a claim's date: one passage of its article, or several joined by " … "."""
    return claim.claimed_on_basis.split(" … ")


def test_every_quote_is_still_exact_at_its_offsets(seeded):
    for claim in Claim.objects.select_related("article"):
        assert claim.anchor_problem() is None, claim.statement
        assert claim.article.body.count(claim.quote) == 1, claim.statement


def test_every_claim_has_a_kind_and_opinions_and_labels_are_not_waiting(seeded):
    claims = Claim.objects.all()
    assert all(claim.kind in Claim.Kind.values for claim in claims)
    kinds = set(claims.values_list("kind", flat=True))
    assert kinds == set(Claim.Kind.values)
    for label in ["self-proclaimed", "impostor", "the strongman", "the legitimate President"]:
        assert claims.filter(kind=Claim.Kind.LABEL, quote__contains=label).exists(), label
    assert not claims.filter(kind=Claim.Kind.FACT, verdict=Claim.Verdict.NOT_CHECKABLE).exists()


def test_hedges_are_words_of_the_text_around_their_quote(seeded):
    hedged = Claim.objects.exclude(hedge="").select_related("article")
    assert hedged.count() >= 10
    for claim in hedged:
        around = claim.article.body[max(claim.quote_start - 300, 0) : claim.quote_end + 200]
        for word in claim.hedge.split("; "):
            assert word in around, (claim.statement, word)
    assert Claim.objects.get(quote__startswith="the source Alejandro allegedly").hedge == "allegedly"
    assert Claim.objects.get(quote__startswith="By late May").hedge == "presumably"


def test_every_date_has_its_basis_in_the_words_of_the_article(seeded):
    dated = Claim.objects.filter(claimed_on__isnull=False).select_related("article")
    assert dated.count() >= 15
    for claim in dated:
        assert claim.claimed_on_basis, claim.statement
        for part in basis_parts(claim):
            assert part in claim.article.body, (claim.statement, part)
    assert not Claim.objects.filter(claimed_on__isnull=True).exclude(claimed_on_basis="").exists()
    rubio = Claim.objects.get(speaker__name="Marco Rubio")
    assert (rubio.claimed_on, rubio.claimed_on_precision) == (datetime.date(2019, 1, 29), Claim.DatePrecision.DAY)
    assert "January 29, 2019" in rubio.claimed_on_basis
    # The text gives no date for what Vesti reports: none is invented.
    assert not Claim.objects.filter(article__outlet__name="Vesti", claimed_on__isnull=False).exists()


def test_only_the_article_that_gives_its_date_has_one(seeded):
    dated = Article.objects.filter(published_on__isnull=False)
    assert [(a.published_on, "Wednesday, January 30, 2019" in a.body) for a in dated] == [
        (datetime.date(2019, 1, 30), True)
    ]


def test_every_chain_ends_at_its_articles_outlet(seeded):
    """A chain runs from the original speaker(s) through its hops to the article's outlet: a claim with hops is in
    an article that has an outlet, no hop is that outlet (it ends the chain, it is not a hop), no hop is the speaker,
    no source passes the claim on twice in a row, positions run 1..n without a gap, and a hop's intermediate article
    is another article of the corpus."""
    relayed = Claim.objects.filter(relays__isnull=False).distinct().select_related("article__outlet", "speaker")
    assert relayed.count() >= 30
    for claim in relayed:
        hops = claim.chain()
        outlet = claim.article.outlet
        assert outlet is not None, claim.statement
        assert [hop.position for hop in hops] == list(range(1, len(hops) + 1))
        assert hops[-1].source != outlet, claim.statement
        assert claim.speaker != outlet and hops[0].source != claim.speaker
        for before, after in zip(hops, hops[1:], strict=False):
            assert before.source != after.source
        assert all(hop.article_id != claim.article_id for hop in hops)
        line = claim.chain_line()
        assert line.endswith(f"→ {outlet.name}") and line.count("→") == len(hops) + 1, line


def test_every_hop_that_changed_the_words_says_how_in_the_texts_words(seeded):
    changed = Relay.objects.filter(manner__in=CHANGED_MANNERS).select_related("claim__article")
    assert changed.count() >= 10
    for hop in changed:
        assert hop.reason.strip(), hop
        quoted = [part.split("”")[0] for part in hop.reason.split("“")[1:]]
        assert quoted, hop.reason
        # Every passage the reason quotes is words of the claim's article (quote marks and ellipses aside).
        for words in quoted:
            for piece in words.split(" … "):
                piece = piece.strip(" ,.")
                assert piece.replace("\u00a0", " ") in hop.claim.article.body.replace("\u00a0", " "), (hop, piece)


def test_the_chains_the_issue_names(seeded):
    tarre = Claim.objects.get(quote__contains="opposition does not support the military option")
    assert tarre.speaker.name == "Gustavo Tarre"
    assert tarre.chain_line() == "Gustavo Tarre → Sputnik → Unnamed blog (post of January 30, 2019)"
    (hop,) = tarre.chain()
    assert hop.manner == Relay.Manner.BROADENED and "US military option" in hop.reason

    beast = Claim.objects.get(quote__startswith="there is an unspoken consensus")
    assert beast.chain_line() == "Simon (anonymous) and Alejandro (anonymous) → The Daily Beast → GPA"

    reason = Claim.objects.get(quote="are just waiting for Maduro to give them a reason to intervene")
    assert reason.chain_line() == (
        "Unnamed Latin American official (anonymous) → Bloomberg → ZeroHedge → Unnamed site republishing ZeroHedge"
    )
    assert reason.chain()[-1].manner == Relay.Manner.ESCALATED and "warrant more aggressive action" in (
        reason.chain()[-1].reason
    )
    assert reason.hedge == "reportedly"

    commander = Claim.objects.get(quote__startswith="the discussions did not result in a promise")
    assert [s.name for s in commander.speakers()] == ["Former Venezuelan commander", "Unnamed US officials"]


def test_affiliation_keeps_membership_and_employment_only(seeded):
    for name in ["Simon", "Alejandro", "Former Venezuelan commander", "Unnamed Latin American official"]:
        assert Source.objects.get(name=name).affiliation is None
    assert Source.objects.get(name="Valentin Bogdanov").affiliation.name == "Vesti"
    assert Source.objects.get(name="Gustavo Tarre").affiliation.name == "Venezuelan opposition"


def test_the_republication_and_its_readers(seeded):
    article = Article.objects.get(body__contains="Originally appeared at ZeroHedge")
    assert article.outlet.name == "Unnamed site republishing ZeroHedge"
    assert "Originally appeared at ZeroHedge" in article.outlet.description
    readers = ClaimLink.objects.disagreements().filter(
        from_claim__article=article, to_claim__speaker__name__in=["Pave Way IV", "TomWonacott"]
    )
    assert readers.count() >= 2


def test_links_are_settled_where_a_reading_settles_them_and_plenty_stay_open(seeded):
    links = ClaimLink.objects.select_related("from_claim", "to_claim")
    assert links.filter(status=ClaimLink.Status.PROPOSED).disagreements().count() >= 8
    for link in links.exclude(status=ClaimLink.Status.PROPOSED):
        assert link.status_by is not None and link.status_at is not None
    for link in links.filter(status=ClaimLink.Status.REJECTED):
        assert link.status_reason.strip()
    # an article disputing its own source
    own = links.get(kind="contradicts", to_claim__quote__contains="despite what ‘Alejandro’ may have told")
    assert own.from_claim.article_id == own.to_claim.article_id and own.status == ClaimLink.Status.CONFIRMED
    # relays are directed and cross an outlet: the relaying claim's chain has one hop more than the relayed one's
    relays = links.filter(kind="relays")
    assert relays.count() >= 6
    for link in relays:
        assert link.from_claim.speaker_id == link.to_claim.speaker_id
    # independent agreement is "supports": no confirmed "repeats"
    assert not links.filter(kind="repeats").exclude(status=ClaimLink.Status.REJECTED).exists()
