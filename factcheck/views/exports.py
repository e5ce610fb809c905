"""Each list as a file to download (CSV or JSON): everything the list shows for the same search and
filters, all its pages, streamed (factcheck.exports). Viewers may export: it only reads."""

from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .. import exports
from ..models import ClaimLink, Story
from .articles import filtered_articles
from .contradictions import disagreement_links, filtered_links
from .search import filtered_claims
from .sources import filtered_sources


@require_GET
def claim_export(request, format):
    claims, _ = filtered_claims(request)
    claims = claims.for_export()
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
    return exports.download(
        request, "contradictions", links.for_list().select_related("assignee"), exports.LINKS, format
    )


@require_GET
def link_export(request, format):
    """Every link, or those of one kind (?kind=supports), with the contradictions' filters too."""
    kind = request.GET.get("kind", "")
    if kind and kind not in ClaimLink.Kind.values:
        kinds = ", ".join(ClaimLink.Kind.values)
        message = f"Unknown kind of link “{kind}”: choose one of {kinds}, or none for all."
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    links = ClaimLink.objects.filter(kind=kind) if kind else ClaimLink.objects.all()
    links = filtered_links(request, links).for_list().select_related("assignee")
    return exports.download(request, "links", links, exports.LINKS, format)


@require_GET
def story_export(request, pk, format):
    """A story's claims (or, with ?what=links, the links between them), with their events, tags and review."""
    story = get_object_or_404(Story, pk=pk)
    what = request.GET.get("what", "claims")
    if what == "links":
        links = story.links().for_list().select_related("assignee")
        return exports.download(request, f"story-{story.pk}-links", links, exports.LINKS, format)
    if what != "claims":
        return HttpResponseBadRequest(
            f"Unknown part of a story “{what}”: claims or links.", content_type="text/plain; charset=utf-8"
        )
    claims = story.claims().for_list().for_export().order_by("article", "number")
    if format == "json":
        claims = claims.for_review()
    return exports.download(request, f"story-{story.pk}-claims", claims, exports.CLAIMS, format)
