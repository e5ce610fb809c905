from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from .. import live
from ..models import Claim, ClaimLink
from .pickers import Picker
from .reading import lazy_page, selected_id, wants_results

# ?status=: by default a rejected link is no longer a disagreement, so it is left out (the filter finds it).
STATUS_FILTERS = {
    "": "Proposed or confirmed",
    ClaimLink.Status.PROPOSED: "Proposed (open)",
    ClaimLink.Status.CONFIRMED: "Confirmed",
    ClaimLink.Status.REJECTED: "Rejected",
    "all": "All, rejected too",
}
# ?kind=: contradictions by default, the page's first meaning; the weaker disagreements on request.
KIND_FILTERS = {
    "": "Contradictions",
    ClaimLink.Kind.IN_TENSION: "In tension",
    ClaimLink.Kind.COMPETING: "Competing explanations",
    "all": "Every disagreement",
}


def _choice(request, name, choices):
    value = request.GET.get(name, "")
    return value if value in choices else ""


def disagreement_links(request):
    """The disagreements the request's status and kind filters ask for, then its source and article filters:
    (links, status, kind), the unknown filter values read as the defaults."""
    status, kind = _choice(request, "status", STATUS_FILTERS), _choice(request, "kind", KIND_FILTERS)
    links = ClaimLink.objects.disagreements()
    if kind != "all":
        links = links.filter(kind=kind or ClaimLink.Kind.CONTRADICTS)
    if status == "":
        links = links.exclude(status=ClaimLink.Status.REJECTED)
    elif status != "all":
        links = links.filter(status=status)
    return filtered_links(request, links), status, kind


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
    links, status, kind = disagreement_links(request)
    # The region polls for the filters and page it shows; its stamp travels apart (hx-vals).
    shown = {
        "source": source_id or "",
        "article": article_id or "",
        "status": status,
        "kind": kind,
        "page": request.GET.get("page", "1"),
    }
    context = {
        "noun": "contradiction" if kind == "" else "disagreement",
        "status_filters": STATUS_FILTERS,
        "kind_filters": KIND_FILTERS,
        "status": status,
        "kind": kind,
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
