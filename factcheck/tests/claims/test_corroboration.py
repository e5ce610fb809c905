import pytest
from django.urls import reverse

from factcheck.models import Article, Claim, ClaimLink, CoSpeaker, Relay, Source

pytestmark = pytest.mark.django_db

TEXT = "The aid convoy was turned back at the bridge."


@pytest.fixture
def make(editor):
    """A claim of TEXT in a new article of `outlet`, said by `speaker` (and `co_speakers`), relayed by `hops`."""

    def make(speaker, outlet, *, co_speakers=(), hops=()):
        # Each article its own text: the same text twice would be one article republished.
        body = f"{TEXT} ({Article.objects.count()})"
        article = Article.objects.create(title=f"{outlet.name}: the convoy", body=body, outlet=outlet)
        claim = Claim.objects.create(
            article=article, quote=TEXT, quote_start=0, statement="The convoy was turned back.", speaker=speaker
        )
        for source in co_speakers:
            CoSpeaker.objects.create(claim=claim, source=source)
        for position, source in enumerate(hops, start=1):
            Relay.objects.create(claim=claim, position=position, source=source, manner=Relay.Manner.VERBATIM)
        return claim

    return make


def source(name, kind=Source.Kind.PERSON):
    return Source.objects.get_or_create(name=name, kind=kind)[0]


def outlet(name):
    return source(name, Source.Kind.OUTLET)


def test_one_original_through_three_outlets_counts_once(make):
    checked = make(source("A minister"), outlet("GPA"))
    simon = source("Simon", Source.Kind.ANONYMOUS)
    for name in ("The Daily Beast", "Caracas wire", "A blog"):
        make(simon, outlet(name), hops=[outlet("The Daily Beast")] if name != "The Daily Beast" else []).link(
            checked, ClaimLink.Kind.SUPPORTS
        )
    found = checked.corroboration()
    assert (found.independent, found.echoes, found.supporting) == (1, 2, 3)
    assert list(found.groups) == [(simon,)]
    assert [c.article.outlet.name for c in found.groups[(simon,)]] == ["The Daily Beast", "Caracas wire", "A blog"]


def test_two_different_originals_count_two(make):
    checked = make(source("A minister"), outlet("GPA"))
    make(source("Simon"), outlet("The Daily Beast")).link(checked, ClaimLink.Kind.SUPPORTS)
    make(source("Alejandro"), outlet("Bloomberg")).link(checked, ClaimLink.Kind.SUPPORTS)
    found = checked.corroboration()
    assert (found.independent, found.echoes) == (2, 0)
    assert {original[0].name for original in found.groups} == {"Simon", "Alejandro"}


def test_a_shared_co_speaker_makes_one_original(make):
    checked = make(source("A minister"), outlet("GPA"))
    simon, alejandro = source("Simon"), source("Alejandro")
    make(simon, outlet("The Daily Beast"), co_speakers=[alejandro]).link(checked, ClaimLink.Kind.SUPPORTS)
    make(alejandro, outlet("Bloomberg")).link(checked, ClaimLink.Kind.SUPPORTS)
    found = checked.corroboration()
    assert (found.independent, found.echoes) == (1, 1)
    assert list(found.groups) == [(simon, alejandro)]


def test_the_claims_own_original_does_not_corroborate_it(make):
    minister = source("A minister")
    checked = make(minister, outlet("GPA"))
    # The same minister told by another outlet, and an outlet's paraphrase that relays the claim.
    make(minister, outlet("Bloomberg")).link(checked, ClaimLink.Kind.REPEATS)
    make(outlet("ZeroHedge"), outlet("ZeroHedge")).link(checked, ClaimLink.Kind.RELAYS)
    found = checked.corroboration()
    assert (found.independent, found.echoes, len(found.own)) == (0, 2, 2)


def test_a_rejected_link_does_not_count(make, editor):
    checked = make(source("A minister"), outlet("GPA"))
    link = make(source("Simon"), outlet("The Daily Beast")).link(checked, ClaimLink.Kind.SUPPORTS)
    make(source("Alejandro"), outlet("Bloomberg")).link(checked, ClaimLink.Kind.SUPPORTS)
    link.settle(ClaimLink.Status.REJECTED, by=editor, reason="Not the same convoy.", seen_version=link.version)
    found = checked.corroboration()
    assert (found.independent, found.echoes) == (1, 0)
    assert [original[0].name for original in found.groups] == ["Alejandro"]


def test_a_claim_this_one_supports_is_no_corroboration(make):
    checked = make(source("A minister"), outlet("GPA"))
    checked.link(make(source("Simon"), outlet("The Daily Beast")), ClaimLink.Kind.SUPPORTS)
    assert checked.corroboration().supporting == 0


def test_it_reads_a_fixed_number_of_queries(make, django_assert_num_queries):
    checked = Claim.objects.for_detail().get(pk=make(source("A minister"), outlet("GPA")).pk)
    with django_assert_num_queries(3):
        checked.corroboration()
    for n in range(6):
        supporter = make(source(f"Person {n % 3}"), outlet(f"Outlet {n}"), co_speakers=[source(f"Aide {n}")])
        supporter.link(checked, ClaimLink.Kind.SUPPORTS if n % 2 else ClaimLink.Kind.REPEATS)
    with django_assert_num_queries(3):
        found = checked.corroboration()
        assert (found.independent, found.echoes) == (3, 3)


def test_the_claim_page_says_how_many_sources_support_it(client, viewer, make):
    checked = make(source("A minister"), outlet("GPA"))
    simon = source("Simon", Source.Kind.ANONYMOUS)
    for name in ("The Daily Beast", "Caracas wire", "A blog"):
        make(simon, outlet(name)).link(checked, ClaimLink.Kind.SUPPORTS)
    make(source("Alejandro"), outlet("Bloomberg")).link(checked, ClaimLink.Kind.SUPPORTS)
    client.force_login(viewer)
    html = client.get(reverse("claim_detail", args=[checked.pk])).content.decode()
    section = html[html.index('id="corroboration"') :]
    section = section[: section.index("</section>")]
    assert "Supported by 2 independent sources; 2 more are echoes of one." in section
    assert f'<a href="{simon.get_absolute_url()}">Simon</a> (anonymous): 3 claims' in section


def test_the_claim_page_says_when_nothing_supports_it(client, viewer, make):
    checked = make(source("A minister"), outlet("GPA"))
    client.force_login(viewer)
    html = client.get(reverse("claim_detail", args=[checked.pk])).content.decode()
    assert "No other source supports this claim yet." in html
