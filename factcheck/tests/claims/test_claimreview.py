"""The ClaimReview structured data, read back as a search engine reads it (extruct) from the public page
and the claim's page, field by field against the database."""

import datetime

import extruct
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from factcheck.claimreview import claim_review
from factcheck.models import Article, Claim, ClaimLink, Source

pytestmark = pytest.mark.django_db
BASE = "http://testserver/"


def reviews_in(response):
    """The ClaimReview items of a page, as a structured-data reader finds them."""
    assert response.status_code == 200
    items = extruct.extract(response.content.decode(), base_url=BASE, syntaxes=["json-ld"])["json-ld"]
    return [item for item in items if item.get("@type") == "ClaimReview"]


def set_history_dates(claim, *dates):
    """Give the claim's history records, oldest first, these dates."""
    records = list(claim.history.order_by("history_date", "history_id"))
    assert len(records) == len(dates)
    for record, when in zip(records, dates, strict=True):
        type(record).objects.filter(pk=record.pk).update(history_date=when)


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def reviewed(editor):
    """A claim by a minister in an Outlet One report, judged misleading, repeated in two other reports (one
    older, one undated) and supported by a claim in a fourth (which is no appearance of it)."""
    outlet = Source.objects.create(name="Outlet One", kind=Source.Kind.OUTLET, url="https://one.example/")
    other_outlet = Source.objects.create(name="Outlet Two", kind=Source.Kind.OUTLET)
    minister = Source.objects.create(name="The minister", kind=Source.Kind.PERSON)

    def report(title, body, *, on=None, url="", by=outlet):
        return Article.objects.create(title=title, body=body, url=url, published_on=on, outlet=by)

    own = report(
        "Army loyal, says minister",
        "The minister said the army is loyal.",
        on=datetime.date(2024, 3, 5),
        url="https://one.example/army",
    )
    older = report(
        "Loyal army",
        "Earlier, the army is loyal, he said.",
        on=datetime.date(2024, 3, 1),
        url="https://two.example/loyal",
        by=other_outlet,
    )
    undated = report("Undated echo", "Again: the army is loyal.", url="javascript:alert(1)", by=None)
    supporting = report("Support", "Generals agree the army is loyal.", on=datetime.date(2020, 1, 1))

    def claim_in(article, statement):
        quote = "the army is loyal"
        start = article.body.index(quote)
        return Claim.objects.create(
            article=article, quote=quote, quote_start=start, statement=statement, speaker=minister
        )

    claim = claim_in(own, "The army is loyal to the president.")
    claim.claimed_on = datetime.date(2024, 3, 4)
    claim.verdict = Claim.Verdict.MISLEADING
    claim.verdict_note = "Only some generals said so."
    claim.save()
    set_history_dates(claim, at(datetime.date(2024, 3, 6)), at(datetime.date(2024, 3, 9)))
    claim.link(claim_in(older, "Army is loyal (older)."), ClaimLink.Kind.REPEATS, by=editor)
    claim_in(undated, "Army is loyal (undated).").link(claim, ClaimLink.Kind.REPEATS, by=editor)
    claim_in(supporting, "Generals back it.").link(claim, ClaimLink.Kind.SUPPORTS, by=editor)
    return claim


def expected_work(article):
    work = {"@type": "CreativeWork"}
    if article.url.startswith("http"):
        work["url"] = article.url
    work["headline"] = article.title
    if article.published_on:
        work["datePublished"] = article.published_on.isoformat()
    if article.outlet:
        work["publisher"] = {"@type": "Organization", "name": article.outlet.name}
        if article.outlet.url:
            work["publisher"]["url"] = article.outlet.url
    return work


def expected_review(claim, date_published):
    claim = Claim.objects.select_related("speaker", "article__outlet").get(pk=claim.pk)
    others = Article.objects.filter(title__in=["Loyal army", "Undated echo"]).select_related("outlet")
    older, undated = sorted(others, key=lambda article: article.published_on is None)
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"http://testserver/reviews/{claim.pk}/",
        "claimReviewed": claim.statement,
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": claim.speaker.name},
            "datePublished": claim.claimed_on.isoformat(),
            "appearance": [expected_work(claim.article), expected_work(older), expected_work(undated)],
            "firstAppearance": expected_work(older),
        },
        "author": {"@type": "Organization", "name": "factcheck"},
        "datePublished": date_published,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 2,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "Misleading",
        },
    }


def test_the_public_page_carries_the_claim_review_of_the_published_claim(client, reviewed, editor):
    reviewed.publish(by=editor, seen_version=reviewed.version)
    Claim.objects.filter(pk=reviewed.pk).update(
        published_at=at(datetime.date(2024, 3, 10)), review_status=Claim.ReviewStatus.PUBLISHED
    )
    [review] = reviews_in(client.get(reverse("claim_review_public", args=[reviewed.pk])))
    assert review == expected_review(reviewed, "2024-03-10")


def test_the_claim_page_carries_it_dated_by_the_verdict_before_publication(client, reviewed, viewer):
    client.force_login(viewer)
    [review] = reviews_in(client.get(reviewed.get_absolute_url()))
    # The verdict was given on 9 March (the second history record); the claim was marked on the 6th.
    assert review == expected_review(reviewed, "2024-03-09")


def test_the_claim_page_carries_the_publication_date_once_published(client, reviewed, editor):
    reviewed.publish(by=editor, seen_version=reviewed.version)
    client.force_login(editor)
    [review] = reviews_in(client.get(reviewed.get_absolute_url()))
    assert review == expected_review(reviewed, timezone.localdate().isoformat())


def test_the_verdict_date_is_when_the_current_verdict_was_given(reviewed, editor):
    reviewed.verdict = Claim.Verdict.FALSE
    reviewed.save()
    reviewed.verdict = Claim.Verdict.MISLEADING
    reviewed.save()
    set_history_dates(reviewed, *(at(datetime.date(2024, 3, day)) for day in (6, 9, 12, 15)))
    loaded = Claim.objects.for_review().get(pk=reviewed.pk)
    assert claim_review(loaded, base_url=BASE)["datePublished"] == "2024-03-15"
    assert claim_review(reviewed, base_url=BASE)["datePublished"] == "2024-03-15"


def test_a_claim_without_history_is_dated_by_its_last_change(reviewed):
    reviewed.history.all().delete()
    assert claim_review(reviewed, base_url=BASE)["datePublished"] == timezone.localdate(reviewed.updated_at).isoformat()


def test_an_unreviewed_claim_has_no_claim_review(client, make_claim, editor):
    claim = make_claim("The army is loyal to the president")
    assert claim_review(claim, base_url=BASE) is None
    client.force_login(editor)
    assert reviews_in(client.get(claim.get_absolute_url())) == []
    assert "application/ld+json" not in client.get(claim.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "verdict, value",
    [("accurate", 5), ("mostly_accurate", 4), ("unproven", 3), ("misleading", 2), ("false", 1)],
)
def test_each_verdict_has_its_rating_and_words(make_claim, verdict, value):
    claim = make_claim("The army is loyal to the president")
    claim.verdict = verdict
    claim.save()
    rating = claim_review(claim, base_url=BASE)["reviewRating"]
    assert rating == {
        "@type": "Rating",
        "ratingValue": value,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": claim.get_verdict_display(),
    }


@pytest.mark.parametrize(
    "kind, schema_type",
    [
        ("person", "Person"),
        ("anonymous", "Person"),
        ("outlet", "Organization"),
        ("organisation", "Organization"),
        ("government", "Organization"),
    ],
)
def test_the_speaker_is_a_person_or_an_organisation_by_its_kind(make_claim, kind, schema_type):
    claim = make_claim("The army is loyal to the president")
    Source.objects.filter(pk=claim.speaker_id).update(kind=kind)
    claim = Claim.objects.for_review().get(pk=claim.pk)
    claim.verdict = Claim.Verdict.FALSE
    assert claim_review(claim, base_url=BASE)["itemReviewed"]["author"] == {"@type": schema_type, "name": "A minister"}


def test_an_article_without_date_url_or_outlet_leaves_those_out(make_claim):
    claim = make_claim("The army is loyal to the president")
    claim.verdict = Claim.Verdict.FALSE
    item = claim_review(claim, base_url="https://news.example")["itemReviewed"]
    assert item == {
        "@type": "Claim",
        "author": {"@type": "Organization", "name": "A minister"},
        "appearance": [{"@type": "CreativeWork", "headline": "Army loyal?"}],
    }
    assert claim_review(claim, base_url="https://news.example")["url"] == f"https://news.example/reviews/{claim.pk}/"


def test_the_organisation_comes_from_the_settings(make_claim, settings):
    settings.FACTCHECK_ORGANISATION_NAME = "The Checkers"
    settings.FACTCHECK_ORGANISATION_URL = "https://checkers.example/"
    claim = make_claim("The army is loyal to the president")
    claim.verdict = Claim.Verdict.FALSE
    author = claim_review(claim, base_url=BASE)["author"]
    assert author == {"@type": "Organization", "name": "The Checkers", "url": "https://checkers.example/"}


def test_markup_in_a_statement_stays_inert_in_the_json_ld(client, reviewed, editor):
    hostile = '</script><script>alert("x")</script><!-- & >'
    Claim.objects.filter(pk=reviewed.pk).update(statement=hostile)
    Source.objects.filter(pk=reviewed.speaker_id).update(name="</SCRIPT><img src=x onerror=alert(1)>")
    reviewed.refresh_from_db()
    reviewed.publish(by=editor, seen_version=reviewed.version)
    for response in (client.get(reverse("claim_review_public", args=[reviewed.pk])), None):
        if response is None:
            client.force_login(editor)
            response = client.get(reviewed.get_absolute_url())
        html = response.content.decode()
        assert "<script>" not in html
        assert "</SCRIPT><img" not in html
        assert "<img src=x" not in html
        # Read back, the statement and name are the very characters stored.
        [review] = reviews_in(response)
        assert review["claimReviewed"] == hostile
        assert review["itemReviewed"]["author"]["name"] == "</SCRIPT><img src=x onerror=alert(1)>"


def test_for_review_reads_any_number_of_claims_in_three_queries(reviewed, grow_corpus):
    grow_corpus(count=12)
    for claim in Claim.objects.filter(statement__startswith="Grown")[:6]:
        claim.link(reviewed, ClaimLink.Kind.REPEATS)
    with CaptureQueriesContext(connection) as queries:
        reviews = [claim_review(claim, base_url=BASE) for claim in Claim.objects.for_review()]
    assert len(queries) == 3
    # No rating for a claim waiting for its verdict, nor for one that is not checkable (an opinion, say).
    rated = Claim.objects.exclude(verdict__in=["unreviewed", "not_checkable"]).count()
    assert len([review for review in reviews if review]) == rated
    mine = next(review for review in reviews if review and review["claimReviewed"] == reviewed.statement)
    assert len(mine["itemReviewed"]["appearance"]) == 3 + 6
