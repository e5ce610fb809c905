"""Finding things: the claim list with its filters, and one search over claims, articles and sources."""

from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from .. import search
from ..models import Article, Claim, ClaimLink, Source
from .pickers import Picker
from .reading import lazy_page, search_words, selected_id, wants_results

# "Waiting for a verdict": the claims a fact-checker still has to settle (not an opinion marked not checkable).
WAITING = "waiting"

STATES = {
    "unlinked": "Not linked yet",
    "contradicted": "Contradicted",
    "orphaned": "Lost its place in the text",
}


def _in_state(claims, state):
    links_from = ClaimLink.objects.filter(from_claim=OuterRef("pk"))
    links_to = ClaimLink.objects.filter(to_claim=OuterRef("pk"))
    if state == "unlinked":
        return claims.filter(~Exists(links_from), ~Exists(links_to))
    if state == "contradicted":
        return claims.filter(Exists(links_from.contradictions()) | Exists(links_to.contradictions()))
    if state == "orphaned":
        return claims.orphaned()
    return claims


def _marked(claims, words):
    """These claims as a list, each with its statement and an excerpt of its quote, the words marked."""
    claims = list(claims)
    for claim in claims:
        claim.marked_statement = search.marked(claim.statement, words)
        claim.marked_quote = search.excerpt(claim.quote, words)
    return claims


def filtered_claims(request):
    """The claims the list shows for the request's search and filters, in its order (all pages of
    them: the page and its export read the same), and the filters as read."""
    query = search_words(request.GET, "q")
    verdict = request.GET.get("verdict", "")
    kind = request.GET.get("kind", "")
    state = request.GET.get("state", "")
    pickers = {
        "speaker": Picker("source", "speaker", "Speaker", "Any speaker", selected_id(request, "speaker")),
        "outlet": Picker("outlet", "outlet", "Outlet", "Any outlet", selected_id(request, "outlet")),
        "article": Picker("article", "article", "Article", "Any article", selected_id(request, "article")),
    }
    claims = Claim.objects.for_list()
    for field, lookup in (("speaker", "speaker"), ("outlet", "article__outlet"), ("article", "article")):
        if pickers[field].selected:
            claims = claims.filter(**{lookup: pickers[field].selected})
    if verdict == WAITING:
        claims = claims.filter(verdict__in=Claim.WAITING_VERDICTS)
    elif verdict in Claim.Verdict.values:
        claims = claims.filter(verdict=verdict)
    if kind in Claim.Kind.values:
        claims = claims.filter(kind=kind)
    claims = _in_state(claims, state)
    claims = claims.search(query) if query else claims.order_by("-created_at", "-pk")
    filters = {"query": query, "verdict": verdict, "kind": kind, "state": state, "pickers": pickers.values()}
    return claims, filters


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def claim_list(request):
    claims, filters = filtered_claims(request)
    words = search.words_of(filters["query"])

    context = {
        # The chains of the page's claims: two queries for the page, none per claim.
        "page": lazy_page(request, claims.with_chain(), lambda page: _marked(page, words)),
        "cap": search.CAP,
        "verdicts": [(WAITING, "Waiting for a verdict"), *Claim.Verdict.choices],
        "kinds": Claim.Kind.choices,
        "states": STATES.items(),
        **filters,
    }
    template = "claims/list.html#results" if wants_results(request) else "claims/list.html"
    return render(request, template, context)


SHOWN = {"claims": 10, "articles": 5, "sources": 10}


def _found(query, words):
    """What /search/ shows for a query: the best claims, articles and sources, their words marked."""
    claims = Claim.objects.for_list().search(query)
    articles = Article.objects.select_related("outlet").search(query)
    found = {
        "claims": list(claims[: SHOWN["claims"]]),
        "articles": list(articles[: SHOWN["articles"]]),
        "sources": list(search.containing(Source.objects.all(), ["name", "description"], query)[: SHOWN["sources"]]),
    }
    # Counted only when there are more than shown.
    for name, rows in (("claim_count", claims), ("article_count", articles)):
        shown = found[name.replace("_count", "s")]
        found[name] = rows.count() if len(shown) == SHOWN[name.replace("_count", "s")] else len(shown)
    _marked(found["claims"], words)
    for article in found["articles"]:
        article.marked_title = search.marked(article.title, words)
        article.excerpt = search.excerpt(article.body, words)
    for source in found["sources"]:
        source.marked_name = search.marked(source.name, words)
    return found


@require_GET
def search_page(request):
    query = search_words(request.GET, "q")
    words = search.words_of(query)
    context = {"query": query, "words": words, "cap": search.CAP}
    if words:
        context["found"] = SimpleLazyObject(lambda: _found(query, words))
    return render(request, "search.html", context)
