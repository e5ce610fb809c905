from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from .. import history
from ..forms import SourceForm, speaker_label
from ..models import Claim, ClaimLink, Source
from .editing import edit_versioned, see_other
from .reading import lazy_page, search_words, wants_results


def filtered_sources(request):
    """The sources the list shows for the request's search and kind, in its order, and the filters as read."""
    query = search_words(request.GET, "q")
    kind = request.GET.get("kind", "")
    sources = Source.objects.for_list()
    if query:
        sources = sources.search(query)
    if kind in Source.Kind.values:
        sources = sources.filter(kind=kind)
    return sources, {"query": query, "kind": kind}


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def source_list(request):
    sources, filters = filtered_sources(request)
    context = {"page": lazy_page(request, sources), "kinds": Source.Kind.choices, **filters}
    template = "sources/list.html#results" if wants_results(request) else "sources/list.html"
    return render(request, template, context)


@require_GET
def source_detail(request, pk):
    source = get_object_or_404(Source.objects.for_detail(), pk=pk)
    claims = Claim.objects.filter(speaker=source).for_list().order_by("article__published_on", "pk")
    page = lazy_page(request, claims, lambda claims: claims.with_contradictions())
    context = {
        "source": source,
        "page": page,
        "history": history.entries(source),
        "disagreement_counts": lambda: disagreement_counts(source),
    }
    return render(request, "sources/detail.html", context)


def disagreement_counts(source):
    """How many contradictions, and disagreements of every kind, the contradictions page lists for `source`
    (standing ones, with the source on either side, however it took part): one query."""
    links = ClaimLink.objects.disagreements().standing().involving_source(source).order_by()
    contradictions = Count("pk", filter=Q(kind=ClaimLink.Kind.CONTRADICTS))
    return links.aggregate(contradictions=contradictions, disagreements=Count("pk"))


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.change_source", raise_exception=True)
def source_edit(request, pk):
    source = get_object_or_404(Source.objects.select_related("affiliation"), pk=pk)
    saved, status, context = edit_versioned(request, source, SourceForm)
    if saved:
        messages.success(request, "Source saved.")
        return see_other(source)
    return render(request, "sources/edit.html", {"source": source, **context}, status=status)


@require_GET
def source_options(request):
    """Type-ahead for the speaker field: the known sources whose name matches."""
    query = search_words(request.GET, "speaker_name")
    sources = Source.objects.search(query).only("name", "kind")[:15] if query else []
    return render(request, "sources/options.html", {"labels": [speaker_label(source) for source in sources]})
