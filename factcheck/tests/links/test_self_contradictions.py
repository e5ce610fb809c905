import pytest
from django.urls import reverse

from factcheck.models import Article, Claim, ClaimLink, CoSpeaker, Source

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
URL = "/contradictions/within"


@pytest.fixture
def disputes(editor):
    """Contradictions: two claims in one article by two speakers; two articles with the same speaker; two
    articles sharing a co-speaker; two strangers; one in one article but rejected; and a support."""
    people = {
        name: Source.objects.create(name=name, kind=kind)
        for name, kind in [
            ("Guaidó", Source.Kind.PERSON),
            ("Lavrov", Source.Kind.GOVERNMENT),
            ("Simon", Source.Kind.ANONYMOUS),
            ("Alejandro", Source.Kind.ANONYMOUS),
            ("A blogger", Source.Kind.PERSON),
        ]
    }
    bodies = {
        "op-ed": "The army will side with us. The army stays in its barracks. Talks are over.",
        "sputnik": "The army is loyal. Talks have begun.",
        "beast": "A junta was planned.",
        "wire": "No junta was ever planned.",
        "blog": "The aid was a coup.",
    }
    articles = {name: Article.objects.create(title=name, body=body) for name, body in bodies.items()}

    def say(name, quote, article, *, also=()):
        body = articles[article].body
        claim = Claim.objects.create(
            article=articles[article],
            quote=quote,
            quote_start=body.index(quote),
            statement=f"{name}: {quote}",
            speaker=people[name],
        )
        for other in also:
            CoSpeaker.objects.create(claim=claim, source=people[other])
        return claim

    side = say("Guaidó", "The army will side with us.", "op-ed")
    barracks = say("Lavrov", "The army stays in its barracks.", "op-ed")
    over = say("Guaidó", "Talks are over.", "op-ed")
    begun = say("Guaidó", "Talks have begun.", "sputnik")
    loyal = say("Lavrov", "The army is loyal.", "sputnik")
    junta = say("Simon", "A junta was planned.", "beast", also=["Alejandro"])
    no_junta = say("Alejandro", "No junta was ever planned.", "wire")
    coup = say("A blogger", "The aid was a coup.", "blog")
    rejected = barracks.link(side, "contradicts", by=editor, reason="Not the same army unit? Rejected.")
    rejected.settle(ClaimLink.Status.REJECTED, by=editor, reason="Different units.", seen_version=1)
    return {
        "article": side.link(loyal, "contradicts", by=editor, reason="Siding versus loyal: no, other article."),
        "in_one_article": over.link(barracks, "contradicts", reason="Same op-ed, two speakers."),
        "same_speaker": begun.link(over, "contradicts", by=editor, reason="Begun versus over."),
        "co_speaker": junta.link(no_junta, "contradicts", reason="Planned versus never planned."),
        "strangers": coup.link(junta, "contradicts", reason="Coup versus junta."),
        "support": loyal.link(barracks, "supports", reason="Both about the army."),
        "rejected": rejected,
    }


def names(disputes, links):
    by_pk = {link.pk: name for name, link in disputes.items()}
    return {by_pk[link.pk] for link in links}


def test_it_finds_contradictions_within_one_article(disputes):
    found = ClaimLink.objects.self_contradictions("article")
    assert names(disputes, found) == {"in_one_article"}


def test_it_finds_contradictions_from_one_source(disputes):
    found = ClaimLink.objects.self_contradictions("source")
    # Guaidó against Guaidó; Simon and Alejandro against Alejandro. Lavrov's pair is rejected.
    assert names(disputes, found) == {"same_speaker", "co_speaker"}


def test_it_finds_either_without_a_choice(disputes):
    assert names(disputes, ClaimLink.objects.self_contradictions()) == {"in_one_article", "same_speaker", "co_speaker"}


def test_a_shared_co_speaker_on_both_sides_counts(disputes, editor):
    junta, no_junta = disputes["co_speaker"].ends
    # Both sides with a co-speaker, neither speaker shared: Alejandro is a co-speaker of both.
    simon = Source.objects.get(name="Simon")
    alejandro = Source.objects.get(name="Alejandro")
    Claim.objects.filter(pk=no_junta.pk).update(speaker=Source.objects.get(name="A blogger"))
    CoSpeaker.objects.create(claim=no_junta, source=alejandro)
    assert disputes["co_speaker"].pk in ClaimLink.objects.self_contradictions("source").values_list("pk", flat=True)
    CoSpeaker.objects.filter(claim=no_junta).delete()
    assert junta.speaker == simon
    assert disputes["co_speaker"].pk not in ClaimLink.objects.self_contradictions("source").values_list("pk", flat=True)


@pytest.mark.parametrize(
    "within, expected",
    [
        ("", ["Same op-ed, two speakers.", "Begun versus over.", "Planned versus never planned."]),
        ("article", ["Same op-ed, two speakers."]),
        ("source", ["Begun versus over.", "Planned versus never planned."]),
        ("nonsense", ["Same op-ed, two speakers.", "Begun versus over.", "Planned versus never planned."]),
    ],
)
def test_the_page_lists_them_for_a_viewer(client, viewer, disputes, within, expected):
    client.force_login(viewer)
    response = client.get(reverse("self_contradictions"), {"within": within})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and "<h1>Self-contradictions</h1>" in html
    shown = [reason for reason in expected if reason in html]
    assert shown == expected
    assert "Siding versus loyal" not in html and "Coup versus junta" not in html and "Rejected." not in html
    assert f"{len(expected)} self-contradiction{'s' if len(expected) > 1 else ''}." in html


def test_the_page_says_why_each_is_one(client, viewer, disputes):
    client.force_login(viewer)
    html = client.get(URL).content.decode()
    assert "Both in one article." in html
    assert "Both said by Guaidó." in html
    assert "From one source: an original speaker in common." in html


def test_the_filter_answers_htmx_with_the_results_alone(client, viewer, disputes):
    client.force_login(viewer)
    response = client.get(URL, {"within": "article"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="results"') and "<html" not in html
    assert "Same op-ed, two speakers." in html and "Begun versus over." not in html
    assert "HX-Request" in response["Vary"]
    # A boosted link needs the whole page.
    boosted = client.get(URL, headers={**HTMX, "HX-Boosted": "true"})
    assert "<html" in boosted.content.decode()


def test_the_page_says_when_there_are_none(client, viewer):
    client.force_login(viewer)
    assert "No self-contradictions within one article." in client.get(URL, {"within": "article"}).content.decode()


def test_it_is_paginated(client, viewer, speaker, article, grow_corpus):
    first = Claim.objects.create(
        article=article, quote="army", quote_start=article.body.index("army"), statement="The army.", speaker=speaker
    )
    grow_corpus(25, speaker=speaker, claim=first)
    client.force_login(viewer)
    html = client.get(URL, {"within": "source"}).content.decode()
    assert "25 self-contradictions." in html and "Page 1 of 2" in html
    assert "Page 2 of 2" in client.get(URL, {"within": "source", "page": "2"}).content.decode()


def test_only_get_is_allowed(client, editor):
    client.force_login(editor)
    assert client.post(URL).status_code == 405


def test_it_needs_a_login(client):
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize("within", ["", "article", "source"])
@pytest.mark.parametrize("htmx", [False, True])
def test_page_query_count_does_not_grow_with_the_data(
    client, viewer, disputes, speaker, article, grow_corpus, fixed_queries, within, htmx
):
    first = Claim.objects.create(
        article=article, quote="army", quote_start=article.body.index("army"), statement="The army.", speaker=speaker
    )
    client.force_login(viewer)
    headers = HTMX if htmx else {}
    count = fixed_queries(
        lambda: client.get(URL, {"within": within}, headers=headers),
        lambda: (grow_corpus(12, speaker=speaker, claim=first), grow_corpus(12, article=article, claim=first)),
    )
    assert count == (5 if htmx else 7)
