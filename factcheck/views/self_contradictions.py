from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from ..models import ClaimLink
from .reading import lazy_page, wants_results

# `?within=`: where both sides of a contradiction come from; none chosen: either.
WITHIN = {"article": "In one article", "source": "From one source"}


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def self_contradictions(request):
    """Contradictions whose two claims are in one article, or from one source, newest first."""
    within = request.GET.get("within", "")
    within = within if within in WITHIN else ""
    # The page's ids from the links alone, then those rows with their claims (as the contradictions page).
    links = ClaimLink.objects.self_contradictions(within or None).order_by("-created_at", "-pk")
    context = {
        "page": lazy_page(request, links.values_list("pk", flat=True), ClaimLink.objects.for_list().in_order),
        "within": within,
        "choices": [("", "In one article or from one source"), *WITHIN.items()],
    }
    if wants_results(request):
        return render(request, "self_contradictions.html#results", context)
    return render(request, "self_contradictions.html", context)
