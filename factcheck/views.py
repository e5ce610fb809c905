from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from .forms import ClaimEditForm, ClaimForm, LinkForm, speaker_label
from .models import Article, Claim, ClaimLink, Source

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


def _selected_id(request, name):
    value = request.GET.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


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
        },
    )


# Articles


@require_GET
def article_list(request):
    query = request.GET.get("q", "").strip()
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
def article_detail(request, pk):
    article = get_object_or_404(Article.objects.for_detail(), pk=pk)
    return render(request, "articles/detail.html", _article_context(article, ClaimForm(article=article)))


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
    selected = int(selected) if selected.isdigit() else None
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
def claim_detail(request, pk):
    claim = get_object_or_404(Claim.objects.for_detail(), pk=pk)
    context = _claim_links_context(claim, query=request.GET.get("q", "").strip())
    return render(request, "claims/detail.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.change_claim", raise_exception=True)
def claim_edit(request, pk):
    claim = get_object_or_404(Claim.objects.for_detail(), pk=pk)
    form = ClaimEditForm(request.POST or None, instance=claim)
    if request.method == "POST" and form.is_valid():
        form.save()
        if request.htmx:
            return render(request, "claims/detail.html#summary", {"claim": claim, "just_saved": True})
        messages.success(request, "Claim saved.")
        return _see_other(claim)
    status = 422 if request.method == "POST" else 200
    form.fields["statement"].widget.attrs["data-autofocus"] = ""
    template = "claims/edit.html#edit-form" if request.htmx else "claims/edit.html"
    return render(request, template, {"claim": claim, "form": form}, status=status)


@require_GET
def claim_link_candidates(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    query = request.GET.get("q", "").strip()
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
    query = request.POST.get("q", "").strip()
    template = "claims/detail.html#links" if request.htmx else "claims/detail.html"
    if request.POST.get("action") == "search":
        # The Search button (or Enter in the search box): show candidates, keep what was typed.
        kept = {"kind": request.POST.get("kind"), "reason": request.POST.get("reason", "")}
        context = _claim_links_context(claim, form=LinkForm(claim=claim, initial=kept), query=query)
        return render(request, template, context)
    form = LinkForm(request.POST, claim=claim)
    if not form.is_valid():
        return render(request, template, _claim_links_context(claim, form=form, query=query), status=422)
    link = form.link
    link.created_by = request.user
    link.save()
    if not request.htmx:
        messages.success(request, "Link added.")
        return _see_other(claim)
    context = _claim_links_context(claim)
    context["new_link_id"] = link.pk
    response = render(request, "claims/detail.html#links", context)
    return trigger_client_event(response, "links-changed")


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
    context = _claim_links_context(Claim.objects.for_detail().get(pk=claim.pk))
    context["removed"] = True
    response = render(request, "claims/detail.html#links", context)
    return trigger_client_event(response, "links-changed")


# Sources


@require_GET
def source_list(request):
    query = request.GET.get("q", "").strip()
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
    return render(request, "sources/detail.html", {"source": source, "claims": claims})


@require_GET
def source_options(request):
    """Type-ahead for the speaker field: the known sources whose name matches."""
    query = request.GET.get("speaker_name", "").strip()
    sources = Source.objects.filter(name__icontains=query).only("name", "kind")[:15] if query else []
    return render(request, "sources/options.html", {"labels": [speaker_label(source) for source in sources]})


# Contradictions


@require_GET
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
    template = "contradictions.html#results" if request.htmx and not request.htmx.boosted else "contradictions.html"
    return render(request, template, context)
