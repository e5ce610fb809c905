"""Publishing a claim's review, and its public page: the one part of the newsroom anyone may read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from .. import live
from ..claimreview import appearances, as_script, claim_review, first_appearance
from ..forms import STALE_FORM
from ..models import Claim, EditConflict
from .editing import see_other
from .reading import as_id, page_of


@require_POST
@permission_required("factcheck.change_claim", raise_exception=True)
def claim_publish(request, pk):
    return _change_publication(request, pk, publish=True)


@require_POST
@permission_required("factcheck.change_claim", raise_exception=True)
def claim_unpublish(request, pk):
    return _change_publication(request, pk, publish=False)


def _change_publication(request, pk, *, publish):
    """Publish or unpublish, then back to the claim page (303), or its summary for htmx, with what happened."""
    claim = get_object_or_404(Claim.objects.for_detail(), pk=pk)
    seen_version = as_id(request.POST.get("version", ""))
    status, problem = 200, None
    try:
        if seen_version is None:
            status, problem = 422, STALE_FORM
        elif publish:
            claim.publish(by=request.user, seen_version=seen_version)
        else:
            claim.unpublish(by=request.user, seen_version=seen_version)
    except EditConflict as conflict:
        status, problem = 409, _conflict_message(conflict.current, publish)
        claim = get_object_or_404(Claim.objects.for_detail(), pk=pk)
    except Claim.DoesNotExist as deleted:
        raise Http404(str(deleted)) from deleted
    except ValidationError as refused:
        status, problem = 409, " ".join(refused.messages)
    done = "Review published." if publish else "Review taken off its public page."
    if not request.htmx:
        if problem:
            messages.error(request, problem)
        else:
            messages.success(request, done)
        return see_other(claim)
    context = {"claim": claim, "live_stamp": live.stamp(request)}
    context.update({"publication_problem": problem} if problem else {"publication_done": done})
    return render(request, "claims/detail.html#summary", context, status=status)


def _conflict_message(current, publish):
    if current.is_published == publish:
        return "A colleague has just " + ("published this review." if publish else "taken this review off its page.")
    return "Someone changed this claim since you opened it: check it below, then decide again."


@login_not_required
@require_GET
def claim_review_public(request, pk):
    """A published review, for anyone: the claim, its quote, speaker, articles and verdict; nothing else."""
    claim = get_object_or_404(Claim.objects.published().for_review(), pk=pk)
    review = claim_review(claim, base_url=request.build_absolute_uri("/"))
    articles = appearances(claim)
    context = {
        "claim": claim,
        "review": review,
        "review_script": as_script(review),
        "appearances": articles,
        "first_appearance": first_appearance(articles),
    }
    return render(request, "reviews/detail.html", context)


@login_not_required
@require_GET
def review_list(request):
    """The published reviews, newest first."""
    reviews = (
        Claim.objects.published()
        .select_related("speaker")
        .only("statement", "verdict", "published_at", "speaker__name")
    )
    page = page_of(request, reviews.order_by("-published_at", "-pk"))
    return render(request, "reviews/list.html", {"page": page})
