from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from .. import live
from ..models import ClaimLink, Event, Source, Story
from .pickers import Picker
from .reading import lazy_page, selected_id, wants_results

# ?status=: by default a rejected link is no longer a disagreement, so it is left out (the filter finds it).
STATUS_FILTERS = {
    "": "Proposed or confirmed",
    ClaimLink.Status.PROPOSED: "Proposed (open)",
    ClaimLink.Status.CONFIRMED: "Confirmed",
    ClaimLink.Status.REJECTED: "Rejected",
    "all": "All, rejected too",
}
# ?kind=: contradictions by default, the page's first meaning; the weaker disagreements on request.
KIND_FILTERS = {
    "": "Contradictions",
    ClaimLink.Kind.IN_TENSION: "In tension",
    ClaimLink.Kind.COMPETING: "Competing explanations",
    "all": "Every disagreement",
}
# A pair's kind, as its heading says it.
KIND_NAMES = {
    ClaimLink.Kind.CONTRADICTS: "Contradiction",
    ClaimLink.Kind.IN_TENSION: "In tension",
    ClaimLink.Kind.COMPETING: "Competing explanations",
}
# ?group=: each pair on its own, newest first, or the page's pairs gathered into disputes.
GROUP_FILTERS = {"": "Each pair, newest first", "dispute": "Grouped by dispute"}
# The filters that choose a row by its id, in the order of the page's address.
CHOSEN = ("source", "article", "story", "event")
# How many names of each side a dispute's heading gives before "and N more".
HEADING_NAMES = 5


def _choice(request, name, choices):
    value = request.GET.get(name, "")
    return value if value in choices else ""


def disagreement_links(request):
    """The disagreements the request's status and kind filters ask for, then its source, article, story and
    event filters: (links, status, kind), the unknown filter values read as the defaults."""
    status, kind = _choice(request, "status", STATUS_FILTERS), _choice(request, "kind", KIND_FILTERS)
    links = ClaimLink.objects.disagreements()
    if kind != "all":
        links = links.filter(kind=kind or ClaimLink.Kind.CONTRADICTS)
    if status == "":
        links = links.standing()
    elif status != "all":
        links = links.filter(status=status)
    return filtered_links(request, links), status, kind


def filtered_links(request, links):
    """`links` narrowed to those involving the request's source (on either side, however it took part: see
    ClaimLinkQuerySet.involving_source), with a claim of its article or its event at either end, or with both
    claims in its story; newest first, without their claims (ClaimLink.objects.for_list() adds them)."""
    links = links.order_by("-created_at", "-pk")
    source, article, story, event = (selected_id(request, name) for name in CHOSEN)
    if source:
        links = links.involving_source(source)
    if article:
        links = links.in_article(article)
    if story:
        links = links.in_story(story)
    if event:
        links = links.in_event(event)
    return links


def _outlets(claim):
    return [claim.article.outlet] if claim.article.outlet else []


def _sources_of(claim):
    """Who stands behind a claim: its outlet, those who relayed it, its speakers."""
    return [*_outlets(claim), *(hop.source for hop in claim.chain()), *claim.speakers()]


def _touches(claim, source_id):
    """Whether the chosen source took part in `claim` itself or through a source directly affiliated with it
    (enough to put its side first; the filter itself follows the whole tree)."""
    return any(source_id in (source.pk, source.affiliation_id) for source in _sources_of(claim))


def _oriented(links, source_id):
    """Each link with `left` and `right`: its claims, the chosen source's side on the left."""
    for link in links:
        link.kind_name = KIND_NAMES.get(link.kind, link.get_kind_display())
        link.left, link.right = link.from_claim, link.to_claim
        if source_id and _touches(link.right, source_id) and not _touches(link.left, source_id):
            link.left, link.right = link.right, link.left
    return links


class Dispute:
    """Claims joined by disagreements, split into the two sides they take, with the page's pairs between them."""

    def __init__(self, links, sides):
        self.links, self.sides = links, sides

    @staticmethod
    def _names(claims):
        """The side's outlets, then its speakers, then those who relayed its claims, each once."""
        named = {}
        for step in (_outlets, lambda claim: claim.speakers(), lambda claim: [hop.source for hop in claim.chain()]):
            for claim in claims:
                for source in step(claim):
                    named.setdefault(source.pk, source.name)
        names = list(named.values())
        more = len(names) - HEADING_NAMES
        return ", ".join(names[:HEADING_NAMES]) + (f" and {more} more" if more > 0 else "")

    @property
    def heading(self):
        return " vs. ".join(self._names(side) for side in self.sides)


def disputes(links, source_id=None):
    """The page's pairs gathered into disputes: groups of claims connected by disagreements, each claim on one
    of two sides (the other side of a disagreement is the other side of the dispute), the chosen source's side
    first, else the side of the newest pair's left claim. Disputes in the order of their newest pair."""
    neighbours = {}
    for link in links:
        neighbours.setdefault(link.from_claim_id, []).append(link.to_claim_id)
        neighbours.setdefault(link.to_claim_id, []).append(link.from_claim_id)
    side_of, groups = {}, []
    for link in links:
        if link.left.pk in side_of:
            groups[side_of[link.left.pk][0]].append(link)
            continue
        number, todo = len(groups), [(link.left.pk, 0)]
        side_of[link.left.pk] = (number, 0)
        while todo:
            claim, side = todo.pop()
            for other in neighbours[claim]:
                if other not in side_of:
                    side_of[other] = (number, 1 - side)
                    todo.append((other, 1 - side))
        groups.append([link])
    found = []
    for pairs in groups:
        claims = {}
        for link in pairs:
            for claim in (link.left, link.right):
                claims.setdefault(claim.pk, claim)
        sides = ([], [])
        for pk, claim in claims.items():
            sides[side_of[pk][1]].append(claim)
        if (
            source_id
            and any(_touches(c, source_id) for c in sides[1])
            and not any(_touches(c, source_id) for c in sides[0])
        ):
            sides = (sides[1], sides[0])
        first = {claim.pk for claim in sides[0]}
        for link in pairs:
            # Each pair read the dispute's way round: its first side's claim on the left.
            if link.left.pk not in first and link.right.pk in first:
                link.left, link.right = link.right, link.left
        found.append(Dispute(pairs, sides))
    return found


def _events(story_id, event_id):
    """The event filter's choices: the chosen story's events (and the chosen event, wherever it is), or all."""
    events = Event.objects.select_related("story").only("pk", "name", "story__title")
    if story_id:
        events = events.filter(Q(story=story_id) | Q(pk=event_id or 0))
    return list(events.order_by("story__title", "story", "starts_on", "name", "pk"))


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def contradiction_list(request):
    stamp = live.stamp(request)
    region = live.polled(request, "results")
    if region and live.unchanged(request, stamp):
        return live.nothing_new()
    chosen = {name: selected_id(request, name) for name in CHOSEN}
    group = _choice(request, "group", GROUP_FILTERS)
    # The page's ids first, from the links alone; then those rows with both claims, speakers and articles.
    # Joined before the sorting and counting, they made PostgreSQL join every contradiction.
    links, status, kind = disagreement_links(request)

    def prepare(pks):
        return _oriented(ClaimLink.objects.for_list().with_chains().in_order(pks), chosen["source"])

    page = lazy_page(request, links.values_list("pk", flat=True), prepare)
    # The region polls for the filters and page it shows; its stamp travels apart (hx-vals).
    shown = {**chosen, "status": status, "kind": kind, "group": group, "page": request.GET.get("page", "1")}
    context = {
        "noun": "contradiction" if kind == "" else "disagreement",
        "status_filters": STATUS_FILTERS,
        "kind_filters": KIND_FILTERS,
        "group_filters": GROUP_FILTERS,
        "status": status,
        "kind": kind,
        "group": group,
        "chosen": chosen,
        "page": page,
        # Callables: a region kept from an earlier request reads nothing.
        "disputes": lambda: disputes(page.object_list, chosen["source"]),
        "involving": lambda: Source.objects.only("pk", "name").filter(pk=chosen["source"] or 0).first(),
        "poll_url": f"{reverse('contradiction_list')}?{urlencode({k: v for k, v in shown.items() if v})}",
        "live_stamp": stamp,
    }
    # The filters and the live refresh both ask for the results alone.
    if wants_results(request):
        html = render_to_string("contradictions.html#results", context, request)
        if "shown" not in request.GET:
            # A filter changed (not a poll): the event filter follows the story chosen.
            context["events"] = _events(chosen["story"], chosen["event"])
            html += render_to_string("contradictions.html#event_oob", context, request)
        return HttpResponse(html)
    context["pickers"] = [
        Picker("source", "source", "Source (either side)", "All sources", chosen["source"]),
        Picker("article", "article", "Article (either side)", "All articles", chosen["article"]),
    ]
    context["stories"] = Story.objects.only("pk", "title").order_by("title", "pk")
    context["events"] = _events(chosen["story"], chosen["event"])
    return render(request, "contradictions.html", context)
