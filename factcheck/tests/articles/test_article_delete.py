import re

import pytest
from django.test import Client
from django.urls import reverse

from factcheck.models import Article, Claim, ClaimLink, Comment, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def doomed(article, make_claim, speaker, editor):
    """The article to delete: two claims linked to each other and to a claim in another article,
    with comments on a claim and on a link; and that other article's claim, which must stay."""
    loyal = make_claim("The army is loyal to the president", "The army is loyal.")
    split = make_claim("the army is not loyal", "The army is not loyal.")
    elsewhere = Article.objects.create(title="Elsewhere", body="The generals are split, he said.")
    other = make_claim("The generals are split", "The generals are split.", in_article=elsewhere)
    inside = loyal.link(split, ClaimLink.Kind.CONTRADICTS, by=editor, reason="Loyal or not?")
    across = loyal.link(other, ClaimLink.Kind.SUPPORTS, by=editor)
    Comment.objects.create(claim=loyal, author=editor, body="Which minister?")
    Comment.objects.create(link=inside, author=editor, body="Both in one article.")
    Comment.objects.create(link=across, author=editor, body="Same story.")
    kept_link = other.link(
        Claim.objects.create(
            article=elsewhere,
            quote="he said",
            quote_start=elsewhere.body.index("he said"),
            quote_end=elsewhere.body.index("he said") + 7,
            statement="He said it.",
            speaker=speaker,
        ),
        ClaimLink.Kind.REPEATS,
    )
    Comment.objects.create(claim=other, author=editor, body="Stays.")
    return {"article": article, "other": other, "kept_link": kept_link}


@pytest.fixture
def url(article):
    return reverse("article_delete", args=[article.pk])


def counts():
    return (Article.objects.count(), Claim.objects.count(), ClaimLink.objects.count(), Comment.objects.count())


def text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_confirmation_tells_what_goes_with_the_article(client, superuser, url, doomed):
    client.force_login(superuser)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Delete “Army loyal?”?</h1>" in html
    page = text(html)
    assert "2 claims marked in it," in page
    assert "2 links from or to those claims (also links to claims in other articles)," in page
    assert "3 comments on those claims and links." in page
    assert "The army is loyal. A minister" in page
    assert "The army is not loyal. A minister" in page
    assert "The generals are split." not in page
    assert f'<form method="post" action="{url}" class="actions">' in html
    assert counts() == (2, 4, 3, 4)


def test_confirmation_for_an_article_without_claims(client, superuser):
    article = Article.objects.create(title="Bare", body="Nothing claimed here.")
    client.force_login(superuser)
    page = text(client.get(reverse("article_delete", args=[article.pk])).content.decode())
    assert "0 claims marked in it," in page
    assert "0 links from or to those claims" in page
    assert "0 comments on those claims and links." in page


def test_deleting_goes_to_the_article_list(client, superuser, url, doomed):
    client.force_login(superuser)
    response = client.post(url)
    assert response.status_code == 303
    assert response["Location"] == "/articles/"
    html = client.get(response["Location"]).content.decode()
    assert "Article “Army loyal?” deleted with its claims and their links." in html


def test_deleting_takes_the_claims_links_and_comments_with_it(client, superuser, url, doomed):
    client.force_login(superuser)
    client.post(url)
    assert not Article.objects.filter(pk=doomed["article"].pk).exists()
    assert list(Claim.objects.all()) == [doomed["other"], doomed["kept_link"].to_claim]
    assert list(ClaimLink.objects.all()) == [doomed["kept_link"]]
    assert list(Comment.objects.values_list("body", flat=True)) == ["Stays."]
    assert counts() == (1, 2, 1, 1)


def test_deleting_is_recorded_with_who(client, superuser, url, doomed):
    client.force_login(superuser)
    client.post(url)
    deleted = [
        (model.__name__, record.history_user)
        for model in (Article, Claim, ClaimLink, Comment)
        for record in model.history.filter(history_type="-")
    ]
    assert sorted(deleted, key=lambda entry: entry[0]) == [
        ("Article", superuser),
        ("Claim", superuser),
        ("Claim", superuser),
        ("ClaimLink", superuser),
        ("ClaimLink", superuser),
        ("Comment", superuser),
        ("Comment", superuser),
        ("Comment", superuser),
    ]


def test_the_outlet_stays_when_its_article_is_deleted(client, superuser):
    outlet = Source.objects.create(name="Reuters", kind=Source.Kind.OUTLET)
    article = Article.objects.create(title="Short", body="Short text.", outlet=outlet)
    client.force_login(superuser)
    assert client.post(reverse("article_delete", args=[article.pk])).status_code == 303
    assert Source.objects.filter(pk=outlet.pk).exists()


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_superusers_may_delete_articles(client, url, doomed, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert counts() == (2, 4, 3, 4)


def test_article_page_offers_delete_to_superusers_only(client, editor, superuser, doomed, url):
    article_url = reverse("article_detail", args=[doomed["article"].pk])
    client.force_login(editor)
    assert f'href="{url}"' not in client.get(article_url).content.decode()
    client.force_login(superuser)
    assert (
        f'<a class="button secondary small" href="{url}">Delete article</a>' in client.get(article_url).content.decode()
    )


def test_an_anonymous_user_is_sent_to_log_in(client, url, doomed):
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"] == f"/login/?next={url}"
    assert counts() == (2, 4, 3, 4)


def test_a_post_without_csrf_token_is_refused(superuser, url, doomed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    assert client.post(url).status_code == 403
    assert counts() == (2, 4, 3, 4)


def test_a_post_with_the_pages_csrf_token_deletes(superuser, url, doomed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).content.decode())[1]
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 303
    assert counts() == (1, 2, 1, 1)


def test_an_unknown_article_is_not_found(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("article_delete", args=[2_000_000_000])).status_code == 404
    assert client.post(reverse("article_delete", args=[2_000_000_000])).status_code == 404


def test_confirmation_escapes_titles_and_statements(client, superuser, make_claim, article):
    article.title = "<b>Army</b>"
    article.save()
    make_claim("The army is loyal to the president", "<i>Loyal</i>")
    client.force_login(superuser)
    html = client.get(reverse("article_delete", args=[article.pk])).content.decode()
    assert "&lt;b&gt;Army&lt;/b&gt;" in html
    assert "&lt;i&gt;Loyal&lt;/i&gt;" in html
    assert "<b>Army</b>" not in html
    assert "<i>Loyal</i>" not in html


def test_confirmation_query_count_does_not_grow_with_the_data(
    client, superuser, url, doomed, grow_corpus, fixed_queries
):
    client.force_login(superuser)
    article = doomed["article"]
    loyal = Claim.objects.get(statement="The army is loyal.")
    assert fixed_queries(lambda: client.get(url), lambda: grow_corpus(article=article, claim=loyal)) == 7
