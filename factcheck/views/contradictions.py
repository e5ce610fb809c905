from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from .. import live
from ..models import Claim, ClaimLink
from .pickers import Picker
from .reading import lazy_page, selected_id, wants_results


def filtered_links(request, links):
    """`links` narrowed to those with the request's source (speaker) or article at either end, newest
    first, without their claims (ClaimLink.objects.for_list() adds them)."""
    links = links.order_by("-created_at", "-pk")
    for field, name in (("speaker", "source"), ("article", "article")):
        chosen = selected_id(request, name)
        if chosen:
            # Two index lookups joined, where an OR across both ends would read every contradiction.
            claims = Claim.objects.filter(**{field: chosen}).values("pk")
            either_end = (
                ClaimLink.objects.filter(from_claim__in=claims)
                .values("pk")
                .union(ClaimLink.objects.filter(to_claim__in=claims).values("pk"))
            )
            links = links.filter(pk__in=either_end)
    return links


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def contradiction_list(request):
    stamp = live.stamp(request)
    region = live.polled(request, "results")
    if region and live.unchanged(request, stamp):
        return live.nothing_new()
    source_id, article_id = selected_id(request, "source"), selected_id(request, "article")
    # The page's ids first, from the links alone; then those rows with both claims, speakers and articles.
    # Joined before the sorting and counting, they made PostgreSQL join every contradiction.
    links = filtered_links(request, ClaimLink.objects.contradictions())
    # The region polls for the filters and page it shows; its stamp travels apart (hx-vals).
    shown = {"source": source_id or "", "article": article_id or "", "page": request.GET.get("page", "1")}
    context = {
        "page": lazy_page(request, links.values_list("pk", flat=True), ClaimLink.objects.for_list().in_order),
        "poll_url": f"{reverse('contradiction_list')}?{urlencode(shown)}",
        "live_stamp": stamp,
    }
    # The filters and the live refresh both ask for the results alone.
    if wants_results(request):
        return render(request, "contradictions.html#results", context)
    context["pickers"] = [
        Picker("source", "source", "Source (either side)", "All sources", source_id),
        Picker("article", "article", "Article (either side)", "All articles", article_id),
    ]
    return render(request, "contradictions.html", context)
