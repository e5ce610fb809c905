from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from .. import history, live
from ..claimreview import as_script, claim_review
from ..forms import ClaimEditForm, ClaimForm, ClaimQuoteForm, CommentForm, LinkForm
from ..forms.links import KIND_HELP
from ..models import Article, Claim, ClaimLink, LinkExists
from ..models.stories import with_scope
from .articles import workspace_context
from .chains import provenance_context
from .comments import comment_context
from .editing import edit_versioned, see_other
from .reading import as_id, search_words

CANDIDATE_LIMIT = 10


def _add_claim(request, form):
    """Save a new claim from `form`; returns (claim, status), claim None with the form's errors."""
    if form.is_valid() and form.speaker.pk is None and not request.user.has_perm("factcheck.add_source"):
        form.add_error("speaker_name", "You may not add new sources: pick a known one.")
    if not form.is_valid():
        return None, 422
    try:
        return form.save(by=request.user), 200
    except Article.DoesNotExist:
        form.add_error(None, "A colleague has just deleted this article: the claim could not be added to it.")
    except ValidationError as error:
        form.add_error(None, error.messages)
    return None, 409


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.add_claim", raise_exception=True)
def claim_create(request, pk):
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=pk)
    form = ClaimForm(request.POST or None, article=article)
    claim, status = _add_claim(request, form) if request.method == "POST" else (None, 200)
    if claim is None:
        template = "articles/detail.html#claim-form" if request.htmx else "articles/claim_new.html"
        return render(request, template, {"article": article, "form": form}, status=status)
    if not request.htmx:
        messages.success(request, "Claim added.")
        return see_other(f"{article.get_absolute_url()}#claim-{claim.pk}")
    stamp = live.stamp(request)
    article = Article.objects.for_detail().get(pk=pk)
    context = {**workspace_context(article, ClaimForm(article=article), stamp), "new_claim_id": claim.pk, "fresh": True}
    # The form asked to swap itself; on success the whole workspace (text and list) is new.
    response = render(request, "articles/detail.html#workspace", context)
    return reswap(retarget(response, "#workspace"), "outerHTML")


def links_context(claim, form=None, query=""):
    form = form or LinkForm(claim=claim)
    selected = as_id(form.data.get("to_claim", "")) if form.is_bound else None
    candidates = claim.link_candidates(query, also=selected, limit=CANDIDATE_LIMIT)
    # Lazy: read only if the link list is rendered, not when it is kept (live.cached_region).
    groups = SimpleLazyObject(lambda: ClaimLink.objects.involving(claim).for_list().grouped_for(claim))
    return {
        "claim": claim,
        "link_groups": groups,
        "link_total": SimpleLazyObject(lambda: sum(len(links) for _, _, links in groups)),
        "link_form": form,
        "link_kind_help": KIND_HELP,
        "query": query,
        "candidates": candidates,
    }


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def claim_detail(request, pk):
    stamp = live.stamp(request)
    region = live.polled(request, "summary", "link-list", "comment-list")
    if region and live.unchanged(request, stamp):
        return live.nothing_new()
    claims = Claim.objects.for_detail()
    # The review block (_includes/assignment.html) names the assignee: read with the claim.
    claim = get_object_or_404(claims if region else with_scope(claims.with_chain()).select_related("assignee"), pk=pk)
    if region == "comment-list":
        return render(request, "_includes/comments.html#comment-list", {**comment_context(claim), "live_stamp": stamp})
    if region:
        context = links_context(claim) if region == "link-list" else {"claim": claim}
        return render(request, f"claims/detail.html#{region}", {**context, "live_stamp": stamp})
    return claim_page(request, claim, query=search_words(request.GET, "q"))


def claim_page(request, claim, *, form=None, query="", status=200):
    """The whole claim page; also what a link form sent without JavaScript comes back to."""
    review = claim_review(claim, base_url=request.build_absolute_uri("/"))
    context = {
        **links_context(claim, form=form, query=query),
        **comment_context(claim, CommentForm()),
        **provenance_context(claim),
        "history": history.entries(claim),
        "live_stamp": live.stamp(request),
        "review_script": as_script(review) if review else None,
        "corroboration": claim.corroboration(),
    }
    return render(request, "claims/detail.html", context, status=status)


def links_section(request, claim, *, form=None, query="", status=200, **shown_once):
    """The claim page's links section after an htmx change, with notices shown once."""
    context = {**links_context(claim, form=form, query=query), "live_stamp": live.stamp(request), **shown_once}
    context["fresh"] = bool(shown_once)  # a notice shown once: not kept for the next request
    return render(request, "claims/detail.html#links", context, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.change_claim", raise_exception=True)
@vary_on_headers("HX-Request", "HX-Target")
def claim_edit(request, pk):
    claim = get_object_or_404(Claim.objects.for_detail(), pk=pk)
    saved, status, context = edit_versioned(request, claim, ClaimEditForm)
    if saved:
        if request.htmx:
            context = {"claim": claim, "just_saved": True, "live_stamp": live.stamp(request)}
            return render(request, "claims/detail.html#summary", context)
        messages.success(request, "Claim saved.")
        return see_other(claim)
    context["form"].fields["statement"].widget.attrs["data-autofocus"] = ""
    template = "claims/edit.html#edit-form" if request.htmx else "claims/edit.html"
    return render(request, template, {"claim": claim, **context}, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.change_claim", raise_exception=True)
def claim_place(request, pk):
    """Select a claim's passage again in its article's text (after a change of the text lost it)."""
    claim = get_object_or_404(Claim.objects.for_detail(), pk=pk)
    saved, status, context = edit_versioned(request, claim, ClaimQuoteForm)
    if saved:
        messages.success(request, "The claim's quote is placed in the text again.")
        return see_other(claim)
    article = claim.article
    context["segments"] = article.highlighted([c for c in article.claims.all() if c.pk != claim.pk])
    return render(request, "claims/place.html", {"claim": claim, "article": article, **context}, status=status)


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def claim_link_candidates(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    query = search_words(request.GET, "q")
    if not request.htmx:
        return redirect(f"{claim.get_absolute_url()}?{urlencode({'q': query})}#link-a-claim", permanent=False)
    candidates = claim.link_candidates(query, limit=CANDIDATE_LIMIT)
    context = {"claim": claim, "candidates": candidates, "query": query, "link_form": LinkForm(claim=claim)}
    return render(request, "claims/detail.html#candidates", context)


@require_POST
@permission_required("factcheck.add_claimlink", raise_exception=True)
def claim_link_create(request, pk):
    claim = get_object_or_404(Claim.objects.for_detail().select_related("assignee"), pk=pk)
    query = search_words(request.POST, "q")
    respond = links_section if request.htmx else claim_page
    if request.POST.get("action") == "search":
        # The Search button (or Enter in the search box): show candidates, keep what was typed.
        kept = {"kind": request.POST.get("kind"), "reason": request.POST.get("reason", "")}
        return respond(request, claim, form=LinkForm(claim=claim, initial=kept), query=query)
    form = LinkForm(request.POST, claim=claim)
    try:
        link = form.save(by=request.user) if form.is_valid() else None
    except LinkExists:
        # A colleague made the same link a moment ago: theirs stands, and nobody sees an error page.
        return _link_notice(request, claim, "A colleague has just made this same link; it is shown above.")
    if link is None:
        return respond(request, claim, form=form, query=query, status=422)
    if not request.htmx:
        messages.success(request, "Link added.")
        return see_other(claim)
    return links_section(request, claim, new_link_id=link.pk)


def _link_notice(request, claim, notice):
    if not request.htmx:
        messages.info(request, notice)
        return see_other(claim)
    return links_section(request, claim, notice=notice)
