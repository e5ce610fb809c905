from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from .. import live
from ..models import Article, ClaimLink, Source
from .reading import page_of, selected_id


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def contradiction_list(request):
    stamp = live.stamp()
    region = live.polled(request, "results")
    if region and live.unchanged(request, stamp):
        return live.nothing_new()
    source_id, article_id = selected_id(request, "source"), selected_id(request, "article")
    links = ClaimLink.objects.contradictions().for_list()
    if source_id:
        links = links.filter(Q(from_claim__speaker_id=source_id) | Q(to_claim__speaker_id=source_id))
    if article_id:
        links = links.filter(Q(from_claim__article_id=article_id) | Q(to_claim__article_id=article_id))
    page = page_of(request, links)
    shown = {"source": source_id or "", "article": article_id or "", "page": page.number}
    context = {
        "page": page,
        "source_id": source_id,
        "article_id": article_id,
        "sources": Source.objects.only("pk", "name", "kind"),
        "articles": Article.objects.only("pk", "title"),
        "poll_url": f"{reverse('contradiction_list')}?{urlencode(shown)}",
        "live_stamp": stamp,
    }
    # The filters and the live refresh both ask for the results alone.
    template = "contradictions.html#results" if request.htmx and not request.htmx.boosted else "contradictions.html"
    return render(request, template, context)
