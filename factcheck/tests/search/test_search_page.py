import pytest
from django.urls import reverse

from factcheck import search
from factcheck.models import Article, Claim, Source

pytestmark = pytest.mark.django_db
URL = "/search/"


@pytest.fixture
def found_everywhere(say):
    """A claim, an article and a source that a search for "padrino" finds, and some it does not."""
    outlet = Source.objects.create(name="The Daily Beast", kind=Source.Kind.OUTLET)
    Source.objects.create(name="Vladimir Padrino", kind=Source.Kind.GOVERNMENT, description="Defence minister")
    Source.objects.create(name="Juan Guaidó", kind=Source.Kind.PERSON, description="Talked to Padrino's officers")
    Source.objects.create(name="Reuters", kind=Source.Kind.OUTLET)
    article = Article.objects.create(
        title="Russian plan for Padrino",
        outlet=outlet,
        published_on="2019-05-01",
        body="Generals met in Moscow. " * 30
        + "They discussed Padrino and his loyalty. "
        + "Nothing else happened. " * 30,
    )
    Article.objects.create(title="Weather", body="Rain in Caracas.")
    claim = say(
        "Padrino stays loyal to Maduro.", "Generals met in Moscow.", speaker="Vladimir Padrino", article=article
    )
    say("The army is split.")
    return {"article": article, "claim": claim}


def section(html, heading_id):
    """The HTML of the page's section headed by `heading_id`."""
    start = html.index(f'<section aria-labelledby="{heading_id}">')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_search_finds_claims_articles_and_sources_with_the_words_marked(client, found_everywhere, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(URL, {"q": "padrino"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert "<title>Search: padrino · factcheck</title>" in html
    assert 'name="q" value="padrino"' in html
    claims = section(html, "claims-found")
    claim = found_everywhere["claim"]
    assert 'Claims <span class="count">(1)</span>' in claims
    assert f'<a href="/claims/{claim.pk}/"><mark>Padrino</mark> stays loyal to Maduro.</a>' in claims
    assert "The army is split." not in claims
    articles = section(html, "articles-found")
    article = found_everywhere["article"]
    assert 'Articles <span class="count">(1)</span>' in articles
    assert f'<a href="/articles/{article.pk}/">Russian plan for <mark>Padrino</mark></a>' in articles
    assert "Weather" not in articles
    assert '<time datetime="2019-05-01">1 May 2019</time>' in articles
    sources = section(html, "sources-found")
    padrino = Source.objects.get(name="Vladimir Padrino")
    assert f'<a href="/sources/{padrino.pk}/">Vladimir <mark>Padrino</mark></a>' in sources
    assert "(Government body)" in sources
    assert "Reuters" not in sources


def test_an_article_is_shown_by_the_passage_where_the_word_is(client, viewer, found_everywhere):
    client.force_login(viewer)
    html = client.get(URL, {"q": "loyalty"}).content.decode()
    articles = section(html, "articles-found")
    assert "They discussed Padrino and his <mark>loyalty</mark>." in articles
    assert "…" in articles


def test_a_word_is_marked_in_all_the_forms_the_search_finds(client, viewer, say):
    say("Generals planned a coup.", "The plans were leaked, planning went on.")
    client.force_login(viewer)
    html = client.get(URL, {"q": "plans"}).content.decode()
    assert "Generals <mark>planned</mark> a coup." in html
    assert "The <mark>plans</mark> were leaked, <mark>planning</mark> went on." in html


def test_a_found_claim_has_its_word_marked_whichever_form_was_typed(client, viewer, say):
    say("The plans were leaked.")
    client.force_login(viewer)
    html = client.get(URL, {"q": "planned"}).content.decode()
    assert 'Claims <span class="count">(1)</span>' in html
    assert "The <mark>plans</mark> were leaked." in html


def test_an_article_excerpt_shows_the_word_not_a_word_that_contains_it(client, viewer):
    Article.objects.create(
        title="Border report",
        body="Officials were aware of the plan. " + "Nothing else happened that day. " * 20 + "Then the war began.",
    )
    client.force_login(viewer)
    html = client.get(URL, {"q": "war"}).content.decode()
    assert "the <mark>war</mark> began." in section(html, "articles-found")


def test_the_search_syntax_finds_sources_too(client, viewer, found_everywhere):
    client.force_login(viewer)
    sources = section(client.get(URL, {"q": '"Vladimir Padrino"'}).content.decode(), "sources-found")
    assert "<mark>Vladimir</mark> <mark>Padrino</mark>" in sources
    sources = section(client.get(URL, {"q": "Padrino OR Guaidó"}).content.decode(), "sources-found")
    assert "Vladimir <mark>Padrino</mark>" in sources
    assert "Juan <mark>Guaidó</mark>" in sources


def test_html_in_a_statement_is_shown_as_text_with_the_words_still_marked(client, viewer, say):
    say(
        'The army <script>alert("x")</script> is <b>loyal</b> & calm.',
        "Nothing else was reported.",
        speaker='<img src=x onerror="alert(1)">',
    )
    script = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    client.force_login(viewer)
    for query, statement in [
        ("army", f"The <mark>army</mark> {script} is &lt;b&gt;loyal&lt;/b&gt; &amp; calm."),
        ("loyal", f"The army {script} is &lt;b&gt;<mark>loyal</mark>&lt;/b&gt; &amp; calm."),
    ]:
        claims = section(client.get(URL, {"q": query}).content.decode(), "claims-found")
        assert "<script>" not in claims and "<b>" not in claims and "<img" not in claims
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in claims
        assert f'">{statement}</a></p>' in claims


def test_html_in_a_query_is_shown_as_text(client, viewer, found_everywhere):
    client.force_login(viewer)
    html = client.get(URL, {"q": "<script>alert(1)</script> padrino"}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; padrino" in html


def test_html_in_an_article_is_shown_as_text(client, viewer):
    Article.objects.create(title="<i>Coup</i> report", body="The <b>coup</b> failed & the army stayed.")
    client.force_login(viewer)
    articles = section(client.get(URL, {"q": "coup"}).content.decode(), "articles-found")
    assert "&lt;i&gt;<mark>Coup</mark>&lt;/i&gt; report" in articles
    assert "The &lt;b&gt;<mark>coup</mark>&lt;/b&gt; failed &amp; the army stayed." in articles


def test_a_search_that_finds_nothing_says_so_in_each_section(client, viewer, found_everywhere):
    client.force_login(viewer)
    html = client.get(URL, {"q": "Atlantis"}).content.decode()
    assert "<li>No claims match.</li>" in html
    assert "<li>No articles match.</li>" in html
    assert "<li>No sources match.</li>" in html


def test_the_empty_search_page_shows_only_the_form(client, viewer, found_everywhere):
    client.force_login(viewer)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'action="/search/"' in html
    assert 'id="claims-found"' not in html
    assert "Give at least one word" not in html


@pytest.mark.parametrize("query", ["-padrino", "!!!", '"', "OR", "-"])
def test_a_search_with_no_word_to_look_for_asks_for_one(client, viewer, found_everywhere, query):
    client.force_login(viewer)
    html = client.get(URL, {"q": query}).content.decode()
    assert "Give at least one word to look for." in html
    assert 'id="claims-found"' not in html


def test_more_than_a_few_claims_or_articles_link_to_all_of_them(client, viewer, say):
    for n in range(12):
        say(f"Troops crossed the river ({n}).", f"Troops moved at dawn, day {n}.")
    for n in range(7):
        Article.objects.create(title=f"Troops on the move {n}", body=f"Day {n}.")
    client.force_login(viewer)
    html = client.get(URL, {"q": "troops"}).content.decode()
    claims = section(html, "claims-found")
    assert 'Claims <span class="count">(12)</span>' in claims
    assert claims.count('<li class="card">') == 10
    assert '<a href="/claims/?q=troops">All claims matching “troops”</a>' in claims
    articles = section(html, "articles-found")
    assert 'Articles <span class="count">(19)</span>' in articles
    assert articles.count('<li class="card">') == 5
    assert '<a href="/articles/?q=troops">All articles matching “troops”</a>' in articles
    few = client.get(URL, {"q": '"crossed the river (3)"'}).content.decode()
    assert "All claims matching" not in few


def test_a_search_matching_more_than_the_cap_shows_the_cap_plus(client, viewer):
    article = Article.objects.create(title="Drills", body="A drill.")
    speaker = Source.objects.create(name="A colonel", kind=Source.Kind.PERSON)
    Claim.objects.bulk_create(
        Claim(
            article=article,
            number=n + 1,
            quote="A drill.",
            quote_start=0,
            statement=f"Drill number {n}.",
            speaker=speaker,
        )
        for n in range(search.CAP + 1)
    )
    client.force_login(viewer)
    html = client.get(URL, {"q": "drill"}).content.decode()
    assert 'Claims <span class="count">(1000+)</span>' in html
    assert '<a href="/claims/?q=drill">All claims matching “drill”</a>' in html


@pytest.mark.parametrize(
    "query",
    [
        '"padrino',
        "padrino*",
        "NEAR(padrino loyal)",
        "padrino AND loyal",
        "NOT padrino",
        "^padrino",
        "name:padrino",
        "a:*",
        "'",
        "\\",
        "%",
        "_",
        "\x00padrino",
        "Guaidó",
        "軍隊",
        "🙂",
        "padrino " * 100,
        "x" * 500,
        '"' * 500,
        "padrino OR " * 60,
    ],
)
def test_odd_searches_answer_with_a_page_never_an_error(client, viewer, found_everywhere, query):
    client.force_login(viewer)
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert "<h1>Search</h1>" in response.content.decode()


def test_an_anonymous_user_is_sent_to_log_in(client, found_everywhere):
    response = client.get(URL, {"q": "padrino"})
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/search/%3Fq%3Dpadrino"


def test_search_query_count_does_not_grow_with_the_data(client, viewer, found_everywhere, grow_corpus, fixed_queries):
    grow_corpus(12)  # already more claims and articles than the page shows
    client.force_login(viewer)
    # Every grown claim quotes its "Growth report", every grown article is titled so.
    assert fixed_queries(lambda: client.get(URL, {"q": "growth OR padrino"}), grow_corpus) == 11
    html = client.get(URL, {"q": "growth OR padrino"}).content.decode()
    assert "All claims matching" in html
    assert "All articles matching" in html
    # Every grown source is an "Outlet" or a "Person".
    assert fixed_queries(lambda: client.get(URL, {"q": "person"}), grow_corpus) == 9
    assert section(client.get(URL, {"q": "person"}).content.decode(), "sources-found").count("<li>") == 10
