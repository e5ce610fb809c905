import datetime

import pytest
from django.urls import reverse

from factcheck.models import Article, Claim, ClaimLink, Source

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def pairs(editor):
    """Three contradictions over three articles and four speakers, and a support that is not one."""
    beast = Source.objects.create(name="The Daily Beast", kind=Source.Kind.OUTLET)
    vesti = Source.objects.create(name="Vesti", kind=Source.Kind.OUTLET)
    people = {
        name: Source.objects.create(name=name, kind=kind)
        for name, kind in [
            ("Alejandro", Source.Kind.ANONYMOUS),
            ("Sergei Lavrov", Source.Kind.GOVERNMENT),
            ("Mikhail Bogdanov", Source.Kind.PERSON),
            ("Simon", Source.Kind.ANONYMOUS),
        ]
    }
    articles = {
        "beast": Article.objects.create(
            title="Russian plan", outlet=beast, body="Russia planned a junta. The generals arranged an exit."
        ),
        "vesti": Article.objects.create(
            title="Moscow speaks", outlet=vesti, body="Moscow condemns a change of power. The army is loyal."
        ),
        "wire": Article.objects.create(title="Wire report", body="Nothing was planned at all."),
    }

    def say(name, quote, article, **fields):
        body = articles[article].body
        return Claim.objects.create(
            article=articles[article],
            quote=quote,
            quote_start=body.index(quote),
            quote_end=body.index(quote) + len(quote),
            statement=f"{name} says: {quote}",
            speaker=people[name],
            **fields,
        )

    junta = say("Alejandro", "Russia planned a junta.", "beast", claimed_on=datetime.date(2019, 5, 1))
    exit_ = say("Alejandro", "The generals arranged an exit.", "beast")
    condemns = say("Sergei Lavrov", "Moscow condemns a change of power.", "vesti", verdict="unproven")
    loyal = say("Mikhail Bogdanov", "The army is loyal.", "vesti")
    nothing = say("Simon", "Nothing was planned at all.", "wire")
    links = {
        "junta-condemns": junta.link(condemns, "contradicts", by=editor, reason="Plan versus condemnation"),
        "exit-loyal": exit_.link(loyal, "contradicts", reason="Exit versus loyalty"),
        "nothing-junta": nothing.link(junta, "contradicts", by=editor, reason="No plan versus plan"),
        "supports": condemns.link(loyal, "supports", by=editor, reason="Moscow line"),
    }
    return {"people": people, "articles": articles, "links": links}


def reasons_in(response):
    return {link.reason for link in response.context["page"]}


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_contradictions_page_shows_each_pair_side_by_side(client, pairs, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("contradiction_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert "3 contradictions." in html
    assert html.count('<article class="pair pair-stacked"') == 3
    assert "Moscow line" not in html
    link = pairs["links"]["junta-condemns"]
    reason = html.index("<p>Plan versus condemnation</p>")
    pair = html[html.rindex('<article class="pair', 0, reason) : html.index("</article>", reason)]
    # The kind and the status head the pair; the two sides follow; the reason runs below them, at full width.
    assert pair.index('<strong class="pair-kind">Contradiction</strong>') < pair.index("Russia planned a junta.")
    assert '<span class="status status-proposed">Proposed</span>: open, not settled yet' in pair
    assert pair.index("Moscow condemns a change of power.") < reason - html.rindex('<article class="pair', 0, reason)
    assert f'<a href="/claims/{link.from_claim.pk}/">Alejandro says: Russia planned a junta.</a>' in pair
    beast, vesti = pairs["articles"]["beast"], pairs["articles"]["vesti"]
    assert "<blockquote>Russia planned a junta.</blockquote>" in pair
    # Who said it and where, once: the claim's attribution chain.
    assert '<p class="pair-who">Alejandro (anonymous) → The Daily Beast</p>' in pair
    assert pair.count("The Daily Beast") == 1
    assert f'in <a href="/articles/{beast.pk}/">Russian plan</a> · 1 May 2019' in pair
    assert "linked by editor," in pair
    assert f'<a href="/claims/{link.to_claim.pk}/">Sergei Lavrov says: Moscow condemns a change of power.</a>' in pair
    assert '<p class="pair-who">Sergei Lavrov → Vesti</p>' in pair
    assert f'in <a href="/articles/{vesti.pk}/">Moscow speaks</a>' in pair
    assert '<span class="verdict verdict-unproven">Unproven</span>' in pair
    assert "linked by someone," in html
    assert '<p class="pair-who">Simon (anonymous)</p>' in html


def test_a_settled_pair_says_who_settled_it_and_why(client, viewer, editor, pairs):
    link = pairs["links"]["exit-loyal"]
    link.settle(ClaimLink.Status.CONFIRMED, by=editor, reason="Both cannot hold", seen_version=link.version)
    client.force_login(viewer)
    html = client.get(reverse("contradiction_list")).content.decode()
    reason = html.index("<p>Exit versus loyalty</p>")
    pair = html[html.rindex('<article class="pair', 0, reason) : html.index("</article>", reason)]
    assert '<span class="status status-confirmed">Confirmed</span> by editor, <time' in pair
    assert "Why: Both cannot hold" in pair


def test_contradictions_filter_by_a_source_on_either_side(client, viewer, pairs):
    client.force_login(viewer)
    url = reverse("contradiction_list")
    alejandro = pairs["people"]["Alejandro"]
    response = client.get(url, {"source": alejandro.pk})
    assert reasons_in(response) == {"Plan versus condemnation", "Exit versus loyalty", "No plan versus plan"}
    assert f'<option value="{alejandro.pk}" selected>Alejandro (Anonymous source)</option>' in response.content.decode()
    assert reasons_in(client.get(url, {"source": pairs["people"]["Sergei Lavrov"].pk})) == {"Plan versus condemnation"}
    assert reasons_in(client.get(url, {"source": pairs["people"]["Mikhail Bogdanov"].pk})) == {"Exit versus loyalty"}


def test_contradictions_filter_by_an_article_on_either_side(client, viewer, pairs):
    client.force_login(viewer)
    url = reverse("contradiction_list")
    vesti = pairs["articles"]["vesti"]
    response = client.get(url, {"article": vesti.pk})
    assert reasons_in(response) == {"Plan versus condemnation", "Exit versus loyalty"}
    assert f'<option value="{vesti.pk}" selected>Moscow speaks</option>' in response.content.decode()
    assert reasons_in(client.get(url, {"article": pairs["articles"]["wire"].pk})) == {"No plan versus plan"}
    assert len(reasons_in(client.get(url, {"article": pairs["articles"]["beast"].pk}))) == 3


def test_contradictions_filter_by_source_and_article_together(client, viewer, pairs):
    client.force_login(viewer)
    filters = {"source": pairs["people"]["Alejandro"].pk, "article": pairs["articles"]["wire"].pk}
    response = client.get(reverse("contradiction_list"), filters)
    assert reasons_in(response) == {"No plan versus plan"}
    filters = {"source": pairs["people"]["Simon"].pk, "article": pairs["articles"]["vesti"].pk}
    response = client.get(reverse("contradiction_list"), filters)
    assert reasons_in(response) == set()
    assert b"No contradictions match these filters." in response.content


@pytest.mark.parametrize("value", ["", "abc", "-3", "²", "99999999999999999999999"])
def test_contradictions_ignore_malformed_filters(client, viewer, pairs, value):
    client.force_login(viewer)
    response = client.get(reverse("contradiction_list"), {"source": value, "article": value})
    assert response.status_code == 200


def test_contradictions_answer_htmx_with_the_results_only(client, viewer, pairs):
    client.force_login(viewer)
    response = client.get(reverse("contradiction_list"), {"article": pairs["articles"]["wire"].pk}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="results"')
    assert "No plan versus plan" in html
    assert "Exit versus loyalty" not in html
    boosted = client.get(reverse("contradiction_list"), headers={**HTMX, "HX-Boosted": "true"})
    assert b"<html" in boosted.content


def test_every_seed_contradiction_is_listed(client, viewer, seeded):
    client.force_login(viewer)
    # The demo rejects some contradictions (with their reasons): "all" lists them too.
    response = client.get(reverse("contradiction_list"), {"status": "all"})
    html = response.content.decode()
    assert "9 contradictions." in html
    for link in ClaimLink.objects.filter(kind="contradicts"):
        assert f'<a href="/claims/{link.from_claim_id}/">' in html
        assert f'<a href="/claims/{link.to_claim_id}/">' in html


def test_contradictions_page_by_twenty_keeping_the_filter(client, viewer, pairs, grow_corpus):
    grow_corpus(25)
    client.force_login(viewer)
    url = reverse("contradiction_list")
    first = client.get(url)
    assert len(reasons_in(first)) == 20
    assert "27 contradictions." in first.content.decode()
    second = client.get(url, {"page": 2})
    assert len(second.context["page"]) == 7
    assert reasons_in(first).isdisjoint(reasons_in(second))
    alejandro = pairs["people"]["Alejandro"].pk
    filtered = client.get(url, {"source": alejandro})
    assert "Page" not in filtered.content.decode().split('id="results"')[1]
    assert len(reasons_in(filtered)) == 3


def test_contradictions_page_query_count_does_not_grow_with_the_data(client, editor, pairs, grow_corpus, fixed_queries):
    client.force_login(editor)
    assert fixed_queries(lambda: client.get(reverse("contradiction_list")), grow_corpus) == 14


def test_contradictions_results_query_count_does_not_grow_with_the_data(
    client, editor, pairs, grow_corpus, fixed_queries
):
    client.force_login(editor)
    source = pairs["people"]["Alejandro"]

    def grow():
        grow_corpus(speaker=source)

    url = reverse("contradiction_list")
    assert fixed_queries(lambda: client.get(url, {"source": source.pk}, headers=HTMX), grow) == 12
