"""A reviewed claim as schema.org ClaimReview (https://schema.org/ClaimReview): the structured data search
engines and fact-check aggregators read, on the claim's page, its public page and in the exports."""

import json

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from .models import Claim, ClaimLink, Source
from .templatetags.web_links import web_url

# The verdict on a numeric scale, truest highest, as ClaimReview's reviewRating asks (Google's guide: 1
# "false" to 5 "true"). "Unproven" stands in the middle: it says neither true nor false. The words
# (alternateName) are what readers see; the number only orders the verdicts.
RATINGS = {
    Claim.Verdict.ACCURATE: 5,
    Claim.Verdict.MOSTLY_ACCURATE: 4,
    Claim.Verdict.UNPROVEN: 3,
    Claim.Verdict.MISLEADING: 2,
    Claim.Verdict.FALSE: 1,
}
BEST_RATING, WORST_RATING = 5, 1

# A source said by a person (or by someone unnamed) is a Person; an outlet, organisation or government body
# an Organization.
PERSON_KINDS = {Source.Kind.PERSON, Source.Kind.ANONYMOUS}


def claim_review(claim, *, base_url):
    """The ClaimReview of `claim` as a dict ready for JSON, or None for a claim without a rating: unreviewed, or
    not checkable (an opinion, a prediction: RATINGS has no number for it). `base_url`: the site's address
    ("https://factcheck.example/"), for the public page's URL. Reads nothing more for a claim from
    `Claim.objects.for_review()`; two queries for any other."""
    rating = RATINGS.get(claim.verdict)
    if rating is None:
        return None
    articles = appearances(claim)
    first = first_appearance(articles)
    item = {"@type": "Claim", "author": _speaker(claim.speaker)}
    if claim.claimed_on:
        item["datePublished"] = claim.claimed_on.isoformat()
    item["appearance"] = [_creative_work(article) for article in articles]
    if first is not None:
        item["firstAppearance"] = _creative_work(first)
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": base_url.rstrip("/") + reverse("claim_review_public", args=[claim.pk]),
        "claimReviewed": claim.statement,
        "itemReviewed": item,
        "author": _organisation(),
        "datePublished": _reviewed_on(claim).isoformat(),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": claim.get_verdict_display(),
        },
    }


# Inside <script>, "</script>" or "<!--" in a string would end or change the element: as JSON escapes they
# mean the same characters to a JSON reader and nothing to the HTML parser (as Django's json_script).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def as_script(review):
    """`review` as a JSON-LD <script> element, safe to place in a page whatever its strings hold."""
    text = json.dumps(review, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def first_appearance(articles):
    """The earliest published of these articles (the claim's own first on a tie); None when none has a date."""
    return min((article for article in articles if article.published_on), key=lambda a: a.published_on, default=None)


def appearances(claim):
    """The claim's article, then those of the claims linked to it as repeating it, oldest first, each once."""
    if hasattr(claim, "repeats_from"):
        others = [link.to_claim for link in claim.repeats_from] + [link.from_claim for link in claim.repeats_to]
    else:
        links = (
            ClaimLink.objects.filter(kind=ClaimLink.Kind.REPEATS)
            .involving(claim)
            .select_related("from_claim__article__outlet", "to_claim__article__outlet")
            .defer("from_claim__article__body", "to_claim__article__body")
        )
        others = [link.other(claim) for link in links]
    articles = {claim.article.pk: claim.article}
    for other in sorted(others, key=lambda c: (c.article.published_on is None, c.article.published_on, c.article.pk)):
        articles.setdefault(other.article.pk, other.article)
    return list(articles.values())


def _reviewed_on(claim):
    """The day the review was published, or for one not published, the day its verdict was given."""
    if claim.published_at:
        return timezone.localdate(claim.published_at)
    if hasattr(claim, "verdict_given_at"):
        given = claim.verdict_given_at
    else:
        from .models.claims import verdict_given_at

        given = Claim.objects.filter(pk=claim.pk).values_list(verdict_given_at(), flat=True).first()
    # A claim written in bulk has no history: its last change is the closest known date.
    return timezone.localdate(given or claim.updated_at)


def _speaker(source):
    return {"@type": "Person" if source.kind in PERSON_KINDS else "Organization", "name": source.name}


def _creative_work(article):
    work = {"@type": "CreativeWork"}
    if url := web_url(article.url):
        work["url"] = url
    work["headline"] = article.title
    if article.published_on:
        work["datePublished"] = article.published_on.isoformat()
    if article.outlet:
        work["publisher"] = {"@type": "Organization", "name": article.outlet.name}
        if url := web_url(article.outlet.url):
            work["publisher"]["url"] = url
    return work


def _organisation():
    organisation = {"@type": "Organization", "name": getattr(settings, "FACTCHECK_ORGANISATION_NAME", "factcheck")}
    if url := web_url(getattr(settings, "FACTCHECK_ORGANISATION_URL", "")):
        organisation["url"] = url
    return organisation
