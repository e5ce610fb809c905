from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from .. import history, live
from ..forms import CommentForm
from ..forms.links import KIND_HELP, LinkChangeForm, LinkSettleForm
from ..models import Claim, ClaimLink, EditConflict
from .claims import links_section
from .comments import comment_context
from .editing import see_other

SETTLED = {
    ClaimLink.Status.CONFIRMED: "Link confirmed.",
    ClaimLink.Status.REJECTED: "Link rejected.",
    ClaimLink.Status.PROPOSED: "Link proposed again: it awaits confirmation.",
}


def _link(pk):
    # With its assignee, for the review block (_includes/assignment.html).
    return get_object_or_404(ClaimLink.objects.for_list().select_related("assignee"), pk=pk)


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.delete_claimlink", raise_exception=True)
def link_delete(request, pk):
    link = _link(pk)
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
    link = _link(pk)
    if region:
        return render(request, "_includes/comments.html#comment-list", {**comment_context(link), "live_stamp": stamp})
    return _link_page(request, link)


def _link_page(request, link, *, status=200, **shown):
    """The link's whole page, or, for htmx, its summary (kind, reason, status and their forms)."""
    context = {"link": link, "settle_form": LinkSettleForm(link=link), "kind_help": KIND_HELP, **shown}
    if request.htmx:
        return render(request, "links/detail.html#summary", context, status=status)
    context.update(
        {**comment_context(link, CommentForm()), "history": history.entries(link), "live_stamp": live.stamp(request)}
    )
    return render(request, "links/detail.html", context, status=status)


def _last_changed_by(link):
    # Rows written in bulk or before history was kept have no record: "a colleague".
    record = link.history.select_related("history_user").first()
    return record.history_user if record else None


@require_POST
@permission_required("factcheck.change_claimlink", raise_exception=True)
def link_settle(request, pk):
    """Confirm, reject (saying why) or re-open a link, over the version the editor saw."""
    link = _link(pk)
    form = LinkSettleForm(request.POST, link=link)
    try:
        settled = form.is_valid() and form.save(by=request.user)
    except EditConflict:
        current = _link(pk)
        # What was typed is kept; the buttons now act on the colleague's version.
        kept = LinkSettleForm(link=current, initial={"status_reason": form.cleaned_data["status_reason"]})
        return _link_page(
            request, current, settle_form=kept, settle_conflict={"by": _last_changed_by(current)}, status=409
        )
    if not settled:
        return _link_page(request, _link(pk), settle_form=form, status=422)
    if not request.htmx:
        messages.success(request, SETTLED[link.status])
        return see_other(link)
    return _link_page(request, _link(pk), just_done=SETTLED[link.status])


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.change_claimlink", raise_exception=True)
@vary_on_headers("HX-Request")
def link_edit(request, pk):
    """Change a link's kind or reason in place, over the version the editor opened; its discussion stays."""
    link = _link(pk)
    if request.method == "GET":
        return _link_page(request, link, change_form=LinkChangeForm(link=link))
    form = LinkChangeForm(request.POST, link=link)
    try:
        saved = form.is_valid() and form.save(by=request.user)
    except EditConflict:
        current = _link(pk)
        conflict = {"by": _last_changed_by(current), "rows": form.changed_fields(current)}
        data = request.POST.copy()
        data["version"] = current.version
        return _link_page(
            request, current, change_form=LinkChangeForm(data, link=current), conflict=conflict, status=409
        )
    if not saved:
        return _link_page(request, _link(pk), change_form=form, status=422)
    if not request.htmx:
        messages.success(request, "Link saved.")
        return see_other(link)
    return _link_page(request, _link(pk), just_done="Link saved.")
