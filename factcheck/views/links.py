from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from .. import history, live
from ..forms import CommentForm
from ..models import Claim, ClaimLink
from .claims import links_section
from .comments import comment_context
from .editing import see_other


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.delete_claimlink", raise_exception=True)
def link_delete(request, pk):
    link = get_object_or_404(ClaimLink.objects.for_list(), pk=pk)
    claim_id = request.POST.get("claim") or request.GET.get("claim")
    claim = link.to_claim if str(link.to_claim_id) == claim_id else link.from_claim
    if request.method == "GET":
        return render(request, "claims/link_delete.html", {"link": link, "claim": claim})
    history.delete(link, by=request.user)
    if not request.htmx:
        messages.success(request, "Link removed.")
        return see_other(claim)
    return links_section(request, Claim.objects.for_detail().get(pk=claim.pk), removed=True)


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def link_detail(request, pk):
    stamp = live.stamp(request)
    region = live.polled(request, "comment-list")
    if region and live.unchanged(request, stamp):
        return live.nothing_new()
    link = get_object_or_404(ClaimLink.objects.for_list(), pk=pk)
    if region:
        return render(request, "_includes/comments.html#comment-list", {**comment_context(link), "live_stamp": stamp})
    context = {
        "link": link,
        **comment_context(link, CommentForm()),
        "history": history.entries(link),
        "live_stamp": stamp,
    }
    return render(request, "links/detail.html", context)
