from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from .. import history, live
from ..forms import ArticleForm, ClaimForm
from ..models import Article, Claim, ClaimLink, Comment, Source
from ..models.disputes import article_disputes
from .editing import edit_versioned, see_other
from .reading import lazy_page, search_words, selected_id, wants_results


def filtered_articles(request):
    """The articles the list shows for the request's search and outlet, in its order, and the filters as read."""
    query = search_words(request.GET, "q")
    outlet_id = selected_id(request, "outlet")
    articles = Article.objects.for_list()
    if query:
        articles = articles.search(query)
    if outlet_id:
        articles = articles.filter(outlet_id=outlet_id)
    return articles, {"query": query, "outlet_id": outlet_id}


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def article_list(request):
    articles, filters = filtered_articles(request)
    context = {
        "page": lazy_page(request, articles),
        **filters,
        "outlets": Source.objects.filter(kind=Source.Kind.OUTLET).only("pk", "name"),
    }
    template = "articles/list.html#results" if wants_results(request) else "articles/list.html"
    return render(request, template, context)


def workspace_context(article, form, stamp):
    """The article's text with its claims highlighted and numbered (each its own number, kept when a claim is
    added before it), their list, and the claim form.
    Lazy: read only if the page's regions are rendered, not when they are kept (live.cached_region)."""
    claims = SimpleLazyObject(lambda: list(Claim.objects.filter(article=article).for_article()))
    return {
        "article": article,
        "claims": claims,
        "orphaned": SimpleLazyObject(lambda: [claim for claim in claims if claim.is_orphaned]),
        "segments": SimpleLazyObject(lambda: article.highlighted(list(claims))),
        "form": form,
        "live_stamp": stamp,
    }


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def article_detail(request, pk):
    stamp = live.stamp(request)
    region = live.polled(request, "article-text", "claim-list")
    if region and live.unchanged(request, stamp):
        return live.nothing_new()
    article = get_object_or_404(Article.objects.for_detail(), pk=pk)
    context = workspace_context(article, ClaimForm(article=article), stamp)
    if region:
        return render(request, f"articles/detail.html#{region}", context)
    context["history"] = history.entries(article)
    context["disputes"] = article_disputes(article)
    context["stories"] = list(article.stories.order_by("title", "pk").only("pk", "title"))
    return render(request, "articles/detail.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.change_article", raise_exception=True)
def article_edit(request, pk):
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=pk)
    saved, status, context = edit_versioned(request, article, ArticleForm)
    if saved:
        messages.success(request, "Article saved.")
        return see_other(article)
    return render(request, "articles/edit.html", {"article": article, **context}, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.delete_article", raise_exception=True)
def article_delete(request, pk):
    article = get_object_or_404(Article.objects.select_related("outlet").defer("body"), pk=pk)
    if request.method == "POST":
        history.delete(article, by=request.user)
        messages.success(request, f"Article “{article.title}” deleted with its claims and their links.")
        return see_other("article_list")
    claims = Claim.objects.filter(article=article)
    links = ClaimLink.objects.filter(Q(from_claim__article=article) | Q(to_claim__article=article))
    context = {
        "article": article,
        "claim_count": claims.count(),
        "link_count": links.count(),
        "comment_count": Comment.objects.filter(Q(claim__article=article) | Q(link__in=links)).count(),
        "claims": claims.select_related("speaker")[:50],
    }
    return render(request, "articles/delete.html", context)
