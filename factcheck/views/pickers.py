"""Type-ahead pickers: a filter's choice among thousands of sources or articles, found by typing
instead of scrolled to in a list of them all."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ..models import Article, Source
from .reading import as_id, search_words

OPTION_LIMIT = 20


def _sources(kind=None):
    sources = Source.objects.only("pk", "name", "kind")
    return sources.filter(kind=kind) if kind else sources


def _by_name(sources, words):
    return sources.search(words, names_only=True)


def _source_label(source):
    return f"{source.name} ({source.get_kind_display()})"


def _article_label(article):
    return article.title if len(article.title) <= 80 else article.title[:79] + "…"


# what -> (rows to choose from, how to find them by typed words, a row's label)
PICKERS = {
    "source": (_sources, _by_name, _source_label),
    "outlet": (lambda: _sources(Source.Kind.OUTLET), _by_name, lambda source: source.name),
    "article": (
        lambda: Article.objects.only("pk", "title"),
        lambda rows, words: rows.filter(title__icontains=words).order_by("-published_on", "-pk"),
        _article_label,
    ),
}


class Picker:
    """What a picker shows: its field, the choice made (if it still exists) and what was found."""

    def __init__(self, what, name, label, any_label, selected_id=None):
        rows, _, self.label_of = PICKERS[what]
        self.what, self.name, self.label, self.any_label = what, name, label, any_label
        self.selected = rows().filter(pk=selected_id).first() if selected_id else None
        self.found = []

    @property
    def url(self):
        return reverse(f"pick_{self.what}")

    @property
    def selected_label(self):
        return self.label_of(self.selected) if self.selected else ""

    def find(self, words):
        rows, search, label_of = PICKERS[self.what]
        found = search(rows(), words)[:OPTION_LIMIT] if words else []
        self.found = [(row.pk, label_of(row)) for row in found if not self.selected or row.pk != self.selected.pk]
        return self


@require_GET
def picker_options(request, what):
    """The options of a picker's list for the words typed in its search box."""
    name = request.GET.get("name", what)
    picker = Picker(what, name, "", request.GET.get("any", "Any"), as_id(request.GET.get(name, "")))
    # A picker among several in one form (a chain's hops) names its search box after its list.
    words = search_words(request.GET, "find") or search_words(request.GET, f"{name}-find")
    return render(request, "_includes/picker.html#options", {"picker": picker.find(words)})
