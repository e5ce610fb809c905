"""Each list as a file to download (CSV or JSON): everything the list shows for the same search and
filters, all its pages, streamed (factcheck.exports). Viewers may export: it only reads."""

from django.http import HttpResponseBadRequest
from django.views.decorators.http import require_GET

from .. import exports
from ..models import ClaimLink
from .articles import filtered_articles
from .contradictions import disagreement_links, filtered_links
from .search import filtered_claims
from .sources import filtered_sources


@require_GET
def claim_export(request, format):
    claims, _ = filtered_claims(request)
    if format == "json":
        # What each claim's ClaimReview reads, in a few queries per chunk of claims, not per claim.
        claims = claims.for_review()
    return exports.download(request, "claims", claims, exports.CLAIMS, format)


@require_GET
def article_export(request, format):
    articles, _ = filtered_articles(request)
    return exports.download(request, "articles", articles, exports.ARTICLES, format)


@require_GET
def source_export(request, format):
    sources, _ = filtered_sources(request)
    return exports.download(request, "sources", sources, exports.SOURCES, format)


@require_GET
def contradiction_export(request, format):
    # The contradictions page's list: its status and kind filters too.
    links, _, _ = disagreement_links(request)
    return exports.download(request, "contradictions", links.for_list(), exports.LINKS, format)


@require_GET
def link_export(request, format):
    """Every link, or those of one kind (?kind=supports), with the contradictions' filters too."""
    kind = request.GET.get("kind", "")
    if kind and kind not in ClaimLink.Kind.values:
        kinds = ", ".join(ClaimLink.Kind.values)
        message = f"Unknown kind of link “{kind}”: choose one of {kinds}, or none for all."
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    links = ClaimLink.objects.filter(kind=kind) if kind else ClaimLink.objects.all()
    return exports.download(request, "links", filtered_links(request, links).for_list(), exports.LINKS, format)
