import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.paginator import Paginator
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from .forms import ArticleForm, ClaimEditForm, ClaimForm, CommentForm, LinkForm, SourceForm, speaker_label
from .models import Article, Claim, ClaimLink, Comment, EditConflict, Source, history_entries, team_activity

PAGE_SIZE = 20
CANDIDATE_LIMIT = 10


@require_GET
@login_not_required
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


POLL_SENTINEL = "@@shown@@"


def _rendered_region(request, template, context):
    """A live region's HTML and the digest it carries, so its next poll can say what it shows."""
    html = render_to_string(template, {**context, "shown": POLL_SENTINEL}, request=request)
    digest = hashlib.sha256(html.encode()).hexdigest()[:16]
    return html.replace(POLL_SENTINEL, digest), digest


def _region(request, template, context):
    """The answer to an htmx poll of one live region of a page: that region's partial,
    or 204 (nothing to swap) when the browser already shows exactly this."""
    html, digest = _rendered_region(request, template, context)
    if request.GET.get("shown") == digest:
        return HttpResponse(status=204)
    return HttpResponse(html)


def _add_digests(request, context, **regions):
    """For a full page: the digest of each live region (keyword: context name, value: partial),
    so that polls answer 204 until something really changes."""
    for name, template in regions.items():
        context[name] = _rendered_region(request, template, context)[1]


def _polled(request, *regions):
    """The live region an htmx poll asks for, if it is one of this page's."""
    if request.htmx and not request.htmx.boosted and request.htmx.target in regions:
        return request.htmx.target
    return None


def _edit_versioned(request, obj, form_class):
    """Edit `obj` without losing anyone's work: the save goes through only if nobody saved
    since this editor opened the form. Returns (saved, status, context): on a stale version,
    status 409 and a context holding both versions and a form with this editor's text."""
    form = form_class(request.POST or None, instance=obj)
    if request.method != "POST":
        return False, 200, {"form": form}
    if not form.is_valid():
        return False, 422, {"form": form}
    try:
        form.instance.save_over(form.cleaned_data["version"])
    except EditConflict as error:
        current = error.current
        last_change = current.history.select_related("history_user").first()
        conflict = {
            # Rows written in bulk or before history was kept have no record: "a colleague".
            "by": last_change.history_user if last_change else None,
            "rows": form.changed_fields(current),
        }
        data = request.POST.copy()
        data["version"] = current.version
        return False, 409, {"form": form_class(data, instance=current), "conflict": conflict}
    return True, 200, {"form": form}


def _as_id(value):
    """A row id from user input, or None for anything else ("²", 5000 digits, "abc")."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def _selected_id(request, name):
    return _as_id(request.GET.get(name, ""))


def _search(data, name):
    """Words to search for. A NUL character can never match and PostgreSQL refuses it in text."""
    return data.get(name, "").replace("\x00", "").strip()


def _see_other(to):
    """After a change, send the browser to the page to see (303, so it GETs it)."""
    response = redirect(to)
    response.status_code = 303
    return response


@require_GET
def home(request):
    return render(
        request,
        "home.html",
        {
            "article_count": Article.objects.count(),
            "claim_count": Claim.objects.count(),
            "source_count": Source.objects.count(),
            "contradiction_count": ClaimLink.objects.contradictions().count(),
            "newest_claims": Claim.objects.for_list().order_by("-created_at", "-pk")[:6],
            "newest_links": ClaimLink.objects.for_list()[:6],
            "open_contradictions": ClaimLink.objects.contradictions().open().for_list()[:6],
            "activity": team_activity(),
        },
    )


# Articles


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def article_list(request):
    query = _search(request.GET, "q")
    outlet_id = _selected_id(request, "outlet")
    articles = Article.objects.for_list()
    if query:
        articles = articles.filter(Q(title__icontains=query) | Q(author__icontains=query) | Q(body__icontains=query))
    if outlet_id:
        articles = articles.filter(outlet_id=outlet_id)
    context = {
        "page": _page(request, articles),
        "query": query,
        "outlet_id": outlet_id,
        "outlets": Source.objects.filter(kind=Source.Kind.OUTLET).only("pk", "name"),
    }
    template = "articles/list.html#results" if request.htmx and not request.htmx.boosted else "articles/list.html"
    return render(request, template, context)


def _article_context(article, form):
    claims = list(article.claims.all())
    for number, claim in enumerate(claims, start=1):
        claim.number = number
    return {"article": article, "claims": claims, "segments": article.highlighted(claims), "form": form}


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def article_detail(request, pk):
    article = get_object_or_404(Article.objects.for_detail(), pk=pk)
    context = _article_context(article, ClaimForm(article=article))
    if region := _polled(request, "article-text", "claim-list"):
        return _region(request, f"articles/detail.html#{region}", context)
    context["history"] = history_entries(article)
    _add_digests(
        request,
        context,
        shown_text="articles/detail.html#article-text",
        shown_claims="articles/detail.html#claim-list",
    )
    return render(request, "articles/detail.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.change_article", raise_exception=True)
def article_edit(request, pk):
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=pk)
    saved, status, context = _edit_versioned(request, article, ArticleForm)
    if saved:
        messages.success(request, "Article saved.")
        return _see_other(article)
    return render(request, "articles/edit.html", {"article": article, **context}, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.delete_article", raise_exception=True)
def article_delete(request, pk):
    article = get_object_or_404(Article.objects.select_related("outlet").defer("body"), pk=pk)
    claims = Claim.objects.filter(article=article)
    links = ClaimLink.objects.filter(Q(from_claim__article=article) | Q(to_claim__article=article))
    if request.method == "POST":
        with transaction.atomic():
            article.delete()
        messages.success(request, f"Article “{article.title}” deleted with its claims and their links.")
        return _see_other("article_list")
    context = {
        "article": article,
        "claim_count": claims.count(),
        "link_count": links.count(),
        "comment_count": Comment.objects.filter(Q(claim__article=article) | Q(link__in=links)).count(),
        "claims": claims.select_related("speaker")[:50],
    }
    return render(request, "articles/delete.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.add_claim", raise_exception=True)
def claim_create(request, pk):
    article = get_object_or_404(Article.objects.for_detail(), pk=pk)
    if request.method == "GET":
        return render(request, "articles/claim_new.html", {"article": article, "form": ClaimForm(article=article)})
    form = ClaimForm(request.POST, article=article)
    if form.is_valid() and form.speaker.pk is None and not request.user.has_perm("factcheck.add_source"):
        form.add_error("speaker_name", "You may not add new sources: pick a known one.")
    if not form.is_valid():
        if request.htmx:
            return render(request, "articles/detail.html#claim-form", {"article": article, "form": form}, status=422)
        return render(request, "articles/claim_new.html", {"article": article, "form": form}, status=422)
    claim = form.save(by=request.user)
    if not request.htmx:
        messages.success(request, "Claim added.")
        return _see_other(f"{article.get_absolute_url()}#claim-{claim.pk}")
    article = Article.objects.for_detail().get(pk=pk)
    context = _article_context(article, ClaimForm(article=article))
    _add_digests(
        request,
        context,
        shown_text="articles/detail.html#article-text",
        shown_claims="articles/detail.html#claim-list",
    )
    context["new_claim_id"] = claim.pk
    # The form asked to swap itself; on success the whole workspace (text and list) is new.
    response = render(request, "articles/detail.html#workspace", context)
    return reswap(retarget(response, "#workspace"), "outerHTML")


# Claims


def _claim_links_context(claim, form=None, query=""):
    groups = {"contradicts": [], "supports": [], "supported_by": [], "repeats": []}
    for link in ClaimLink.objects.involving(claim).for_list():
        if link.kind == ClaimLink.Kind.SUPPORTS:
            groups["supports" if link.from_claim_id == claim.pk else "supported_by"].append(link)
        else:
            groups[link.kind].append(link)
        link.other_claim = link.other(claim)
    form = form or LinkForm(claim=claim)
    selected = form.data.get("to_claim", "") if form.is_bound else ""
    selected = _as_id(selected)
    candidates = claim.link_candidates(query, also=selected)[:CANDIDATE_LIMIT] if query or selected else []
    return {
        "claim": claim,
        "link_groups": [
            ("contradicts", "Contradicts", groups["contradicts"]),
            ("supports", "Supports", groups["supports"]),
            ("supported_by", "Supported by", groups["supported_by"]),
            ("repeats", "Repeats", groups["repeats"]),
        ],
        "link_total": sum(len(links) for links in groups.values()),
        "link_form": form,
        "query": query,
        "candidates": candidates,
    }


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def claim_detail(request, pk):
    claim = get_object_or_404(Claim.objects.for_detail(), pk=pk)
    if region := _polled(request, "summary", "link-list", "comment-list"):
        if region == "comment-list":
            context = {"comments": claim.comments.for_list(), "comment_target": claim}
            return _region(request, "comments.html#comment-list", context)
        context = _claim_links_context(claim) if region == "link-list" else {"claim": claim}
        return _region(request, f"claims/detail.html#{region}", context)
    return _claim_page(request, claim, query=_search(request.GET, "q"))


def _claim_page(request, claim, *, form=None, query="", status=200):
    """The whole claim page; also what a link form sent without JavaScript comes back to."""
    context = _claim_links_context(claim, form=form, query=query)
    context["comments"] = list(claim.comments.for_list())
    context["comment_form"] = CommentForm()
    context["comment_target"] = claim
    context["comment_url"] = _comment_url(claim)
    context["history"] = history_entries(claim)
    _add_digests(
        request,
        context,
        shown_summary="claims/detail.html#summary",
        shown_links="claims/detail.html#link-list",
        shown_comments="comments.html#comment-list",
    )
    return render(request, "claims/detail.html", context, status=status)


def _links_section(request, claim, *, form=None, query="", status=200, **shown_once):
    """The claim page's links section after an htmx change. Its live list carries the digest
    of the plain list (without `shown_once`: focus marks, notices), so the next poll has
    nothing to swap unless a colleague changed something."""
    context = _claim_links_context(claim, form=form, query=query)
    _add_digests(request, context, shown_links="claims/detail.html#link-list")
    return render(request, "claims/detail.html#links", {**context, **shown_once}, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.change_claim", raise_exception=True)
@vary_on_headers("HX-Request", "HX-Target")
def claim_edit(request, pk):
    claim = get_object_or_404(Claim.objects.for_detail(), pk=pk)
    saved, status, context = _edit_versioned(request, claim, ClaimEditForm)
    if saved:
        if request.htmx:
            shown = _rendered_region(request, "claims/detail.html#summary", {"claim": claim})[1]
            context = {"claim": claim, "just_saved": True, "shown": shown}
            return render(request, "claims/detail.html#summary", context)
        messages.success(request, "Claim saved.")
        return _see_other(claim)
    context["form"].fields["statement"].widget.attrs["data-autofocus"] = ""
    template = "claims/edit.html#edit-form" if request.htmx else "claims/edit.html"
    return render(request, template, {"claim": claim, **context}, status=status)


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def claim_link_candidates(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    query = _search(request.GET, "q")
    if not request.htmx:
        return redirect(f"{claim.get_absolute_url()}?{urlencode({'q': query})}#link-a-claim", permanent=False)
    candidates = claim.link_candidates(query)[:CANDIDATE_LIMIT] if query else []
    return render(
        request,
        "claims/detail.html#candidates",
        {"claim": claim, "candidates": candidates, "query": query, "link_form": LinkForm(claim=claim)},
    )


@require_POST
@permission_required("factcheck.add_claimlink", raise_exception=True)
def claim_link_create(request, pk):
    claim = get_object_or_404(Claim.objects.for_detail(), pk=pk)
    query = _search(request.POST, "q")
    respond = _links_section if request.htmx else _claim_page
    if request.POST.get("action") == "search":
        # The Search button (or Enter in the search box): show candidates, keep what was typed.
        kept = {"kind": request.POST.get("kind"), "reason": request.POST.get("reason", "")}
        return respond(request, claim, form=LinkForm(claim=claim, initial=kept), query=query)
    form = LinkForm(request.POST, claim=claim)
    if not form.is_valid():
        return respond(request, claim, form=form, query=query, status=422)
    link = form.link
    link.created_by = request.user
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        # A colleague made the same link a moment ago: theirs stands, and nobody sees an error page.
        notice = "A colleague has just made this same link; it is shown above."
        if not request.htmx:
            messages.info(request, notice)
            return _see_other(claim)
        return _links_section(request, claim, notice=notice)
    if not request.htmx:
        messages.success(request, "Link added.")
        return _see_other(claim)
    return _links_section(request, claim, new_link_id=link.pk)


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.delete_claimlink", raise_exception=True)
def link_delete(request, pk):
    link = get_object_or_404(ClaimLink.objects.for_list(), pk=pk)
    claim_id = request.POST.get("claim") or request.GET.get("claim")
    claim = link.to_claim if str(link.to_claim_id) == claim_id else link.from_claim
    if request.method == "GET":
        return render(request, "claims/link_delete.html", {"link": link, "claim": claim})
    link.delete()
    if not request.htmx:
        messages.success(request, "Link removed.")
        return _see_other(claim)
    return _links_section(request, Claim.objects.for_detail().get(pk=claim.pk), removed=True)


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def link_detail(request, pk):
    link = get_object_or_404(ClaimLink.objects.for_list(), pk=pk)
    comments = list(link.comments.for_list())
    if _polled(request, "comment-list"):
        return _region(request, "comments.html#comment-list", {"comments": comments, "comment_target": link})
    context = {
        "link": link,
        "comments": comments,
        "comment_form": CommentForm(),
        "comment_target": link,
        "comment_url": _comment_url(link),
        "history": history_entries(link),
    }
    _add_digests(request, context, shown_comments="comments.html#comment-list")
    return render(request, "links/detail.html", context)


def _comment_url(target):
    name = "claim_comment_create" if isinstance(target, Claim) else "link_comment_create"
    return reverse(name, args=[target.pk])


def _comment(request, target, **on):
    """Post a comment on a claim or a link (`on` names which); htmx gets the fresh discussion."""
    form = CommentForm(request.POST)
    if form.is_valid():
        Comment.objects.create(author=request.user, body=form.cleaned_data["body"], **on)
        if not request.htmx:
            messages.success(request, "Comment posted.")
            return _see_other(f"{target.get_absolute_url()}#discussion")
        form = CommentForm()
    context = {
        "comments": list(target.comments.for_list()),
        "comment_form": form,
        "comment_target": target,
        "comment_url": _comment_url(target),
    }
    _add_digests(request, context, shown_comments="comments.html#comment-list")
    template = "comments.html" if request.htmx else "comment_error.html"
    return render(request, template, context, status=422 if form.errors else 200)


@require_POST
@permission_required("factcheck.add_comment", raise_exception=True)
def claim_comment_create(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    return _comment(request, claim, claim=claim)


@require_POST
@permission_required("factcheck.add_comment", raise_exception=True)
def link_comment_create(request, pk):
    link = get_object_or_404(ClaimLink, pk=pk)
    return _comment(request, link, link=link)


# Sources


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def source_list(request):
    query = _search(request.GET, "q")
    kind = request.GET.get("kind", "")
    sources = Source.objects.for_list()
    if query:
        sources = sources.filter(Q(name__icontains=query) | Q(description__icontains=query))
    if kind in Source.Kind.values:
        sources = sources.filter(kind=kind)
    context = {"page": _page(request, sources), "query": query, "kind": kind, "kinds": Source.Kind.choices}
    template = "sources/list.html#results" if request.htmx and not request.htmx.boosted else "sources/list.html"
    return render(request, template, context)


@require_GET
def source_detail(request, pk):
    source = get_object_or_404(Source.objects.for_detail(), pk=pk)
    claims = list(Claim.objects.filter(speaker=source).for_list().order_by("article__published_on", "pk"))
    contradicted_by = {claim.pk: [] for claim in claims}
    contradictions = ClaimLink.objects.contradictions().filter(
        Q(from_claim__speaker=source) | Q(to_claim__speaker=source)
    )
    for link in contradictions.for_list():
        for claim, other in ((link.from_claim, link.to_claim), (link.to_claim, link.from_claim)):
            if claim.pk in contradicted_by:
                contradicted_by[claim.pk].append((link, other))
    for claim in claims:
        claim.contradicted_by = contradicted_by[claim.pk]
    context = {"source": source, "claims": claims, "history": history_entries(source)}
    return render(request, "sources/detail.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.change_source", raise_exception=True)
def source_edit(request, pk):
    source = get_object_or_404(Source.objects.select_related("affiliation"), pk=pk)
    saved, status, context = _edit_versioned(request, source, SourceForm)
    if saved:
        messages.success(request, "Source saved.")
        return _see_other(source)
    return render(request, "sources/edit.html", {"source": source, **context}, status=status)


@require_GET
def source_options(request):
    """Type-ahead for the speaker field: the known sources whose name matches."""
    query = _search(request.GET, "speaker_name")
    sources = Source.objects.filter(name__icontains=query).only("name", "kind")[:15] if query else []
    return render(request, "sources/options.html", {"labels": [speaker_label(source) for source in sources]})


# Contradictions


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def contradiction_list(request):
    source_id = _selected_id(request, "source")
    article_id = _selected_id(request, "article")
    links = ClaimLink.objects.contradictions().for_list()
    if source_id:
        links = links.filter(Q(from_claim__speaker_id=source_id) | Q(to_claim__speaker_id=source_id))
    if article_id:
        links = links.filter(Q(from_claim__article_id=article_id) | Q(to_claim__article_id=article_id))
    context = {
        "page": _page(request, links),
        "source_id": source_id,
        "article_id": article_id,
        "sources": Source.objects.only("pk", "name", "kind"),
        "articles": Article.objects.only("pk", "title"),
    }
    if request.htmx and not request.htmx.boosted:
        # The filters and the live refresh both ask for the results alone.
        return _region(request, "contradictions.html#results", context)
    _add_digests(request, context, shown_results="contradictions.html#results")
    return render(request, "contradictions.html", context)
