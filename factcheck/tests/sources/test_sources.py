import pytest
from django.urls import reverse

from factcheck.models import Article, Claim, ClaimLink, Source

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def sources(db):
    beast = Source.objects.create(
        name="The Daily Beast",
        kind=Source.Kind.OUTLET,
        description="US news site.",
        url="https://www.thedailybeast.com/",
        reliability_note="Relies on unnamed sources here.",
    )
    return {
        "beast": beast,
        "alejandro": Source.objects.create(
            name="Alejandro", kind=Source.Kind.ANONYMOUS, affiliation=beast, description="A former intelligence officer"
        ),
        "simon": Source.objects.create(name="Simon", kind=Source.Kind.ANONYMOUS, affiliation=beast),
        "lavrov": Source.objects.create(name="Sergei Lavrov", kind=Source.Kind.GOVERNMENT),
    }


def names_in(response):
    return [source.name for source in response.context["page"]]


def say(source, quote, statement, article, **fields):
    start = article.body.index(quote)
    return Claim.objects.create(
        article=article,
        quote=quote,
        quote_start=start,
        quote_end=start + len(quote),
        statement=statement,
        speaker=source,
        **fields,
    )


# The list


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_source_list_shows_kind_affiliation_and_claim_count(client, sources, article, role, request):
    say(sources["alejandro"], "The army", "The army is loyal.", article)
    say(sources["alejandro"], "army is not loyal", "The army is not loyal.", article)
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("source_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert "4 sources." in html
    assert names_in(response) == ["Alejandro", "Sergei Lavrov", "Simon", "The Daily Beast"]
    assert (
        f'<td><a href="/sources/{sources["alejandro"].pk}/">Alejandro</a></td>\n'
        "        <td>Anonymous source</td>\n"
        "        <td>The Daily Beast</td>\n"
        "        <td>2</td>"
    ) in html
    assert "<td>Government body</td>" in html


def test_source_list_searches_names_and_descriptions(client, viewer, sources):
    client.force_login(viewer)
    url = reverse("source_list")
    assert names_in(client.get(url, {"q": "LAVROV"})) == ["Sergei Lavrov"]
    assert names_in(client.get(url, {"q": "intelligence"})) == ["Alejandro"]
    response = client.get(url, {"q": "  Simon "})
    assert names_in(response) == ["Simon"]
    assert 'name="q" value="Simon"' in response.content.decode()
    response = client.get(url, {"q": "Atlantis"})
    assert names_in(response) == []
    assert b"No sources match." in response.content


def test_source_list_filters_by_kind(client, viewer, sources):
    client.force_login(viewer)
    response = client.get(reverse("source_list"), {"kind": "anonymous"})
    assert names_in(response) == ["Alejandro", "Simon"]
    assert '<option value="anonymous" selected>Anonymous source</option>' in response.content.decode()
    assert names_in(client.get(reverse("source_list"), {"kind": "anonymous", "q": "sim"})) == ["Simon"]


def test_source_list_ignores_an_unknown_kind(client, viewer, sources):
    client.force_login(viewer)
    response = client.get(reverse("source_list"), {"kind": "blogger"})
    assert response.status_code == 200
    assert len(names_in(response)) == 4


def test_source_list_answers_htmx_with_the_results_only(client, viewer, sources):
    client.force_login(viewer)
    response = client.get(reverse("source_list"), {"kind": "government"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="results"')
    assert "Sergei Lavrov" in html
    assert "Simon" not in html


def test_source_list_pages_by_twenty(client, viewer, seeded):
    client.force_login(viewer)
    total = Source.objects.count()
    assert total == 33
    first = client.get(reverse("source_list"))
    assert len(names_in(first)) == 20
    assert "Page 1 of 2" in first.content.decode()
    assert '<a href="?page=2">Next</a>' in first.content.decode()
    second = client.get(reverse("source_list"), {"page": 2})
    assert len(names_in(second)) == total - 20
    assert set(names_in(first)).isdisjoint(names_in(second))
    assert names_in(first) + names_in(second) == list(
        Source.objects.order_by("name", "pk").values_list("name", flat=True)
    )


def test_source_list_query_count_does_not_grow_with_the_data(client, editor, sources, grow_corpus, fixed_queries):
    client.force_login(editor)
    assert fixed_queries(lambda: client.get(reverse("source_list")), grow_corpus) == 6


def test_source_list_results_query_count_does_not_grow_with_the_data(
    client, editor, sources, grow_corpus, fixed_queries
):
    client.force_login(editor)
    url = reverse("source_list")
    assert fixed_queries(lambda: client.get(url, {"q": "o"}, headers=HTMX), grow_corpus) == 4


# One source


@pytest.fixture
def disputed(sources, article):
    """Alejandro's two claims: one contradicted twice (from either side of the link), one only supported."""
    vesti = Source.objects.create(name="Vesti", kind=Source.Kind.OUTLET)
    moscow = Article.objects.create(
        title="Lavrov on Venezuela",
        outlet=vesti,
        body="Moscow condemns any change of power.",
        published_on="2019-05-02",
    )
    wire = Article.objects.create(title="Wire report", body="Nobody plotted anything.", published_on="2019-05-03")
    article.published_on = "2019-05-01"
    article.save()
    plan = say(sources["alejandro"], "The army is loyal", "Russia planned a junta.", article, claimed_on="2019-05-01")
    other = say(sources["alejandro"], "army is not loyal", "The army is split.", article, verdict="unproven")
    condemns = say(sources["lavrov"], "Moscow condemns", "Moscow condemns a change of power.", moscow)
    nobody = say(sources["simon"], "Nobody plotted", "Nobody plotted.", wire)
    plan.link(condemns, "contradicts", reason="Plan versus condemnation")
    nobody.link(plan, "contradicts", reason="Plot versus no plot")
    condemns.link(other, "supports")
    return {"plan": plan, "other": other, "condemns": condemns, "nobody": nobody}


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_source_page_shows_the_facts_about_the_source(client, sources, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("source_detail", args=[sources["beast"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>The Daily Beast</h1>" in html
    assert "<dt>Kind</dt><dd>Outlet</dd>" in html
    assert '<a href="https://www.thedailybeast.com/" rel="noopener noreferrer">' in html
    assert "<dt>Reliability note</dt><dd>Relies on unnamed sources here.</dd>" in html
    assert "<p>US news site.</p>" in html
    assert "No claims from this source yet." in html


def test_source_page_links_the_affiliation(client, viewer, sources):
    client.force_login(viewer)
    html = client.get(reverse("source_detail", args=[sources["simon"].pk])).content.decode()
    assert f'<dt>Affiliation</dt><dd><a href="/sources/{sources["beast"].pk}/">The Daily Beast</a></dd>' in html


def test_source_page_lists_each_claim_and_who_contradicts_it(client, viewer, sources, disputed):
    client.force_login(viewer)
    html = client.get(reverse("source_detail", args=[sources["alejandro"].pk])).content.decode()
    assert "Claims by Alejandro (2)" in html
    plan, other = disputed["plan"], disputed["other"]
    assert html.index(plan.statement) < html.index(other.statement)
    plan_card = html[html.index(plan.statement) : html.index(other.statement)]
    assert '<span class="verdict verdict-unreviewed">Unreviewed</span>' in plan_card
    assert f'in <a href="/articles/{plan.article.pk}/">Army loyal?</a> · 1 May 2019' in plan_card
    assert "Contradicted by:" in plan_card
    condemns, nobody = disputed["condemns"], disputed["nobody"]
    assert (
        f'<li><a href="/sources/{sources["lavrov"].pk}/">Sergei Lavrov</a>: '
        f'<a href="/claims/{condemns.pk}/">Moscow condemns a change of power.</a> '
        '<span class="meta">(Vesti)</span></li>'
    ) in plan_card
    assert (
        f'<li><a href="/sources/{sources["simon"].pk}/">Simon</a>: '
        f'<a href="/claims/{nobody.pk}/">Nobody plotted.</a> <span class="meta">(Wire report)</span></li>'
    ) in plan_card
    other_card = html[html.index(other.statement) :]
    assert '<span class="verdict verdict-unproven">Unproven</span>' in other_card
    assert "Contradicted by:" not in other_card
    assert "Moscow condemns" not in other_card


def test_source_page_shows_contradictions_on_the_other_side_too(client, viewer, sources, disputed):
    client.force_login(viewer)
    html = client.get(reverse("source_detail", args=[sources["lavrov"].pk])).content.decode()
    assert "Claims by Sergei Lavrov (1)" in html
    assert "Contradicted by:" in html
    assert f'<a href="/claims/{disputed["plan"].pk}/">Russia planned a junta.</a>' in html
    assert "Nobody plotted." not in html


def test_every_seed_contradiction_shows_on_both_speakers_pages(client, viewer, seeded):
    client.force_login(viewer)
    links = ClaimLink.objects.filter(kind="contradicts").select_related("from_claim", "to_claim")
    assert links.count() == 9
    pages = {}
    for link in links:
        for claim, other in ((link.from_claim, link.to_claim), (link.to_claim, link.from_claim)):
            if claim.speaker_id not in pages:
                url = reverse("source_detail", args=[claim.speaker_id])
                pages[claim.speaker_id] = client.get(url).content.decode()
            assert f'<a href="/claims/{other.pk}/">' in pages[claim.speaker_id]


def test_an_unknown_source_is_not_found(client, viewer):
    client.force_login(viewer)
    assert client.get(reverse("source_detail", args=[2_000_000_000])).status_code == 404


def test_source_page_query_count_does_not_grow_with_the_data(
    client, editor, sources, disputed, grow_corpus, fixed_queries
):
    client.force_login(editor)
    url = reverse("source_detail", args=[sources["alejandro"].pk])

    def grow():
        grow_corpus(speaker=sources["alejandro"], claim=disputed["condemns"])

    # + the count of disagreements involving the source, for the link to them
    assert fixed_queries(lambda: client.get(url), grow) == 10


# The speaker type-ahead


def test_speaker_options_offer_matching_sources_with_their_kind(client, editor, sources):
    Source.objects.create(name="Simón Bolívar", kind=Source.Kind.PERSON)
    client.force_login(editor)
    for options in ({}, {"headers": HTMX}):
        response = client.get(reverse("source_options"), {"speaker_name": "SIM"}, **options)
        assert response.status_code == 200
        assert response.content.decode() == (
            '<option value="Simon (Anonymous source)"></option><option value="Simón Bolívar (Person)"></option>\n'
        )


def test_speaker_options_escape_names(client, editor):
    Source.objects.create(name='The "Cartel" & co', kind=Source.Kind.ORGANISATION)
    client.force_login(editor)
    html = client.get(reverse("source_options"), {"speaker_name": "cartel"}, headers=HTMX).content.decode()
    assert html == '<option value="The &quot;Cartel&quot; &amp; co (Organisation)"></option>\n'


def test_speaker_options_are_empty_until_something_is_typed(client, editor, sources):
    client.force_login(editor)
    assert client.get(reverse("source_options"), {"speaker_name": "  "}, headers=HTMX).content.strip() == b""
    assert client.get(reverse("source_options"), headers=HTMX).content.strip() == b""


def test_speaker_options_are_at_most_fifteen(client, editor):
    for n in range(20):
        Source.objects.create(name=f"General {n:02}", kind=Source.Kind.PERSON)
    client.force_login(editor)
    html = client.get(reverse("source_options"), {"speaker_name": "general"}, headers=HTMX).content.decode()
    assert html.count("<option") == 15


def test_speaker_options_query_count_does_not_grow_with_the_data(client, editor, grow_corpus, fixed_queries):
    client.force_login(editor)
    url = reverse("source_options")
    assert fixed_queries(lambda: client.get(url, {"speaker_name": "Person"}, headers=HTMX), grow_corpus) == 3
