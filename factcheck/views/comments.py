from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from .. import live
from ..forms import CommentForm
from ..models import Claim, ClaimLink, Comment
from .editing import see_other


def comment_context(target, form=None):
    """A claim's or a link's discussion: its comments and, when given, the form to add one."""
    name = "claim_comment_create" if isinstance(target, Claim) else "link_comment_create"
    return {
        # Lazy: read only if the list is rendered, not when it is kept (live.cached_region).
        "comments": SimpleLazyObject(lambda: list(target.comments.for_list())),
        "comment_form": form,
        "comment_target": target,
        "comment_url": reverse(name, args=[target.pk]),
    }


def _comment(request, target):
    """Post a comment on a claim or a link; htmx gets the fresh discussion."""
    form = CommentForm(request.POST)
    if form.is_valid():
        Comment.post(target, form.cleaned_data["body"], by=request.user)
        if not request.htmx:
            messages.success(request, "Comment posted.")
            return see_other(f"{target.get_absolute_url()}#discussion")
        form = CommentForm()
    context = {**comment_context(target, form), "live_stamp": live.stamp(request)}
    template = "_includes/comments.html" if request.htmx else "comments/error.html"
    return render(request, template, context, status=422 if form.errors else 200)


@require_POST
@permission_required("factcheck.add_comment", raise_exception=True)
def claim_comment_create(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    return _comment(request, claim)


@require_POST
@permission_required("factcheck.add_comment", raise_exception=True)
def link_comment_create(request, pk):
    link = get_object_or_404(ClaimLink, pk=pk)
    return _comment(request, link)
