from html.parser import HTMLParser

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck.models import Article, Claim, ClaimLink

pytestmark = pytest.mark.django_db

BODY = (
    'Caracas <GPA> – "The army is loyal to the president & the people," a minister said.\n\n'
    "Opposition leaders said the army is not loyal.\n"
    "The army is loyal, he said.\n"
)


class ArticleText(HTMLParser):
    """Reads the #article-text div of an article page: the text a reader sees (tags stripped,
    entities unescaped, claim-ref numbers left out), where each <mark> lies in that text,
    and each claim-ref link with the position it follows."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.text = ""
        self.marks = []
        self.refs = []
        self._mark = self._ref = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and attrs.get("id") == "article-text":
            self.inside = True
        elif self.inside and tag == "mark":
            self._mark = {"claim": int(attrs["data-claim"]), "class": attrs["class"], "start": len(self.text)}
        elif self.inside and tag == "a":
            self._ref = {"at": len(self.text), "href": attrs["href"], "label": attrs["aria-label"], "number": ""}
            assert attrs["class"] == "claim-ref"
        elif self.inside:
            raise AssertionError(f"unexpected <{tag}> in the article text")

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "div":
            self.inside = False
        elif tag == "mark":
            self.marks.append({**self._mark, "end": len(self.text)})
            self._mark = None
        elif tag == "a":
            self.refs.append(self._ref)
            self._ref = None

    def handle_data(self, data):
        if self._ref is not None:
            self._ref["number"] += data
        elif self.inside:
            self.text += data

    def marked_positions(self):
        return {at for mark in self.marks for at in range(mark["start"], mark["end"])}


def quoted_positions(claims):
    return {at for claim in claims for at in range(claim.quote_start, claim.quote_end)}


def link_count(claim):
    return ClaimLink.objects.filter(Q(from_claim=claim) | Q(to_claim=claim)).count()


@pytest.fixture
def marked_article(speaker, editor):
    """An article with markup characters, overlapping and nested quotes, and a repeated passage."""
    article = Article.objects.create(title="Loyal <army> & co", body=BODY)

    def claim(quote, statement, occurrence=1, **fields):
        start = -1
        for _ in range(occurrence):
            start = BODY.index(quote, start + 1)
        return Claim.objects.create(
            article=article,
            quote=quote,
            quote_start=start,
            quote_end=start + len(quote),
            statement=statement,
            speaker=speaker,
            **fields,
        )

    claims = {
        "loyal": claim("The army is loyal to the president & the people", "The army is loyal", verdict="false"),
        "said": claim('the president & the people," a minister said', "A minister said it"),
        "leaders": claim("Opposition leaders said the army is not loyal.", "Leaders disagree"),
        "not-loyal": claim("army is not loyal", "The army is not loyal"),
        "again": claim("The army is loyal", "He repeats it", occurrence=2),
    }
    claims["loyal"].link(claims["not-loyal"], ClaimLink.Kind.CONTRADICTS, by=editor, reason="Opposite")
    claims["leaders"].link(claims["loyal"], ClaimLink.Kind.SUPPORTS, by=editor)
    return article, claims


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_article_page_shows_the_text_exactly_as_imported(client, marked_article, role, request):
    article, _ = marked_article
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("article_detail", args=[article.pk]))
    assert response.status_code == 200
    assert ArticleText(response.content.decode()).text == BODY


def test_article_page_escapes_the_text_and_title(client, viewer, marked_article):
    article, _ = marked_article
    client.force_login(viewer)
    html = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    assert "Caracas &lt;GPA&gt; –" in html
    assert "<GPA>" not in html
    assert "<h1>Loyal &lt;army&gt; &amp; co</h1>" in html


def test_article_page_marks_each_quote(client, viewer, marked_article):
    article, claims = marked_article
    client.force_login(viewer)
    html = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    text = ArticleText(html)
    assert text.marked_positions() == quoted_positions(claims.values())
    assert {mark["claim"] for mark in text.marks} == {claim.pk for claim in claims.values()}
    for mark in text.marks:
        covering = [c for c in claims.values() if c.quote_start <= mark["start"] and mark["end"] <= c.quote_end]
        innermost = max(covering, key=lambda c: (c.quote_start, -c.quote_end))
        assert mark["claim"] == innermost.pk
        assert mark["class"] == f"claim-mark verdict-{innermost.verdict}"
    again = claims["again"]
    assert f'<mark class="claim-mark verdict-unreviewed" data-claim="{again.pk}">The army is loyal</mark>' in html
    assert '<mark class="claim-mark verdict-false"' in html


def test_article_page_numbers_each_claim_with_a_link_telling_its_verdict_and_links(client, viewer, marked_article):
    article, claims = marked_article
    client.force_login(viewer)
    text = ArticleText(client.get(reverse("article_detail", args=[article.pk])).content.decode())
    expected = [
        (claims["loyal"], "1", "Claim 1: False, 2 links"),
        (claims["said"], "2", "Claim 2: Unreviewed, 0 links"),
        (claims["leaders"], "3", "Claim 3: Unreviewed, 1 link"),
        (claims["not-loyal"], "4", "Claim 4: Unreviewed, 1 link"),
        (claims["again"], "5", "Claim 5: Unreviewed, 0 links"),
    ]
    refs = sorted(text.refs, key=lambda ref: int(ref["number"]))
    assert len(refs) == len(expected)
    for ref, (claim, number, label) in zip(refs, expected, strict=True):
        assert ref == {"at": claim.quote_end, "href": f"/claims/{claim.pk}/", "label": label, "number": number}


def test_article_page_lists_the_claims_beside_the_text(client, viewer, marked_article):
    article, claims = marked_article
    client.force_login(viewer)
    html = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    assert "Claims in this article (5)" in html
    loyal = claims["loyal"]
    assert (
        f'<li id="claim-{loyal.pk}" class="card">\n'
        f'        <a href="/claims/{loyal.pk}/"><span class="number">1.</span> The army is loyal</a>\n'
        '        <span class="meta">A minister · <span class="verdict verdict-false">False</span> · 2 links</span>'
    ) in html
    assert '<span class="verdict verdict-unreviewed">Unreviewed</span> · 1 link</span>' in html


def test_article_page_shows_outlet_author_date_and_original_link(client, viewer, seeded):
    article = Article.objects.select_related("outlet").get(title__startswith="The Daily Beast's sources")
    # The demo sets no date the text does not give: set one here.
    article.author, article.url, article.published_on = "A. Writer", "https://example.org/report", "2019-05-01"
    article.save()
    client.force_login(viewer)
    html = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    assert f'<a href="/sources/{article.outlet.pk}/">GPA</a> · A. Writer' in html
    assert '<time datetime="2019-05-01">1 May 2019</time>' in html
    assert '<a href="https://example.org/report" rel="noopener noreferrer">original</a>' in html


def test_every_seed_article_shows_its_text_exactly_with_every_claim_marked(client, viewer, seeded):
    client.force_login(viewer)
    articles = Article.objects.all()
    assert articles.count() == 5
    for article in articles:
        claims = list(article.claims.order_by("quote_start", "pk"))
        assert claims
        text = ArticleText(client.get(reverse("article_detail", args=[article.pk])).content.decode())
        assert text.text == article.body, article.title
        assert text.marked_positions() == quoted_positions(claims), article.title
        refs = sorted(text.refs, key=lambda ref: int(ref["number"]))
        assert len(refs) == len(claims)
        for number, (ref, claim) in enumerate(zip(refs, claims, strict=True), start=1):
            links = link_count(claim)
            assert ref["at"] == claim.quote_end
            assert ref["href"] == claim.get_absolute_url()
            plural = "" if links == 1 else "s"
            assert ref["label"] == f"Claim {number}: {claim.get_verdict_display()}, {links} link{plural}"


def test_article_page_offers_editors_the_claim_form(client, editor, article):
    client.force_login(editor)
    html = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    assert 'id="claim-form-region"' in html
    assert f'action="/articles/{article.pk}/claims/new"' in html
    assert "Select a passage to quote it in a new claim." in html
    assert "No claims marked yet." in html


def test_article_page_offers_viewers_no_claim_form(client, viewer, article):
    client.force_login(viewer)
    html = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    assert 'id="claim-form-region"' not in html
    assert "/claims/new" not in html
    assert "Select a passage" not in html


def test_an_unknown_article_is_not_found(client, viewer):
    client.force_login(viewer)
    assert client.get(reverse("article_detail", args=[2_000_000_000])).status_code == 404


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_article_page_query_count_does_not_grow_with_the_data(
    client, make_claim, article, grow_corpus, fixed_queries, role, request
):
    make_claim("army is not loyal")
    client.force_login(request.getfixturevalue(role))
    url = reverse("article_detail", args=[article.pk])
    # 10: with the article's dispute summary and its stories, one query each.
    assert fixed_queries(lambda: client.get(url), lambda: grow_corpus(article=article)) == 10


def test_pages_with_fragments_tell_caches_they_vary_on_htmx(client, viewer, article):
    client.force_login(viewer)
    for url in [reverse("article_detail", args=[article.pk]), reverse("article_list"), reverse("contradiction_list")]:
        vary = client.get(url)["Vary"]
        assert "HX-Request" in vary and "HX-Target" in vary, url


def test_a_poll_that_finds_nothing_new_answers_204_without_reading_the_article(client, viewer, marked_article):
    article, claims = marked_article
    client.force_login(viewer)
    html = client.get(article.get_absolute_url()).content.decode()
    shown = html.split('id="article-text"', 1)[1].split('"shown": "', 1)[1].split('"', 1)[0]
    poll = {"HX-Request": "true", "HX-Target": "article-text"}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url(), {"shown": shown}, headers=poll)
    assert response.status_code == 204
    assert not any('"factcheck_article"' in q["sql"] or '"factcheck_claim"' in q["sql"] for q in queries)

    claims["loyal"].save()  # any change, by anyone: the next poll renders
    response = client.get(article.get_absolute_url(), {"shown": shown}, headers=poll)
    assert response.status_code == 200
    assert 'id="article-text"' in response.content.decode()
