import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command

from factcheck.models import Article, Claim, ClaimLink, Source
from factcheck.models.chains import CoSpeaker, Relay

pytestmark = pytest.mark.django_db
SEEDS = Path(settings.BASE_DIR) / "seeds"


def test_every_quote_is_the_exact_slice_of_its_article(seeded):
    claims = Claim.objects.select_related("article")
    assert claims.count() >= 25
    for claim in claims:
        assert claim.article.body[claim.quote_start : claim.quote_end] == claim.quote, claim.statement


def test_the_five_articles_are_kept_byte_for_byte_with_their_real_titles(seeded):
    assert Article.objects.count() == 5
    for path in sorted(SEEDS.glob("*.txt")):
        article = Article.objects.get(body=path.read_bytes().decode("utf-8"))
        assert article.outlet is not None and article.outlet.kind == Source.Kind.OUTLET
    assert Article.objects.filter(
        title="Venezuelan Army Exiles Reportedly Abandoned Plan To Enter Country By Force Last Month"
    ).exists()
    assert Article.objects.get(author="Valentin Bogdanov and Ivan Utkin").outlet.name.startswith("Vesti")


def test_contradictions_join_different_sources(seeded):
    # An article may dispute its own source, and a reader the article above the comments: same article, two sources.
    contradictions = ClaimLink.objects.contradictions().select_related("from_claim", "to_claim")
    assert contradictions.count() >= 8
    for link in contradictions:
        assert link.from_claim.speaker_id != link.to_claim.speaker_id
        assert link.reason.strip()
    assert ClaimLink.objects.filter(kind="supports").exists()
    assert ClaimLink.objects.filter(kind="repeats").exists()


def test_the_named_sources_are_there(seeded):
    names = " ".join(Source.objects.values_list("name", flat=True))
    for name in ["Guaid", "Lavrov", "Padrino", "Alcal", "Tarre", "Simon", "Alejandro", "The Daily Beast"]:
        assert name in names
    alejandro = Source.objects.get(name="Alejandro")
    assert alejandro.kind == Source.Kind.ANONYMOUS
    # The Daily Beast relayed Alejandro's words: a hop of his claims' chains, not his affiliation.
    assert alejandro.affiliation is None
    assert all(claim.chain()[0].source.name == "The Daily Beast" for claim in alejandro.claims.all())


def test_demo_accounts_can_log_in_with_their_roles(seeded, rf):
    def log_in(username):
        return authenticate(rf.post("/login/"), username=username, password="factcheck-demo")

    for username in ["ana", "ben", "vera", "admin"]:
        assert log_in(username) is not None
    ana = log_in("ana")
    assert ana.has_perm("factcheck.add_claimlink") and ana.is_staff
    vera = log_in("vera")
    assert vera.has_perm("factcheck.view_claim") and not vera.has_perm("factcheck.change_claim")


def test_running_it_twice_changes_nothing(seeded):
    def snapshot():
        models = (Article, Source, Claim, ClaimLink, Relay, CoSpeaker)
        return [list(model.objects.order_by("pk").values()) for model in models]

    before = snapshot()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert snapshot() == before
    assert "ana" in out.getvalue() and "factcheck-demo" in out.getvalue()
