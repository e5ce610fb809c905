"""Who disputes whom in a story, read from its claims and their links: the graph, the camps and their sides,
the source-by-source matrix, each speaker's timeline, and an article's dispute summary.

Pure reading: a story's analysis costs two queries (its claims, its links), whatever its size; the rest is
worked out in Python from those rows."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from .links import ClaimLink, LinkKind, LinkStatus

# Links that put two claims on the same side: one backs, repeats or passes on the other.
ALLIED_KINDS = (LinkKind.SUPPORTS, LinkKind.REPEATS, LinkKind.RELAYS)

# A directed link seen from the claim it points at.
READ_BACKWARDS = {LinkKind.SUPPORTS: "Supported by", LinkKind.RELAYS: "Relayed by"}

# A camp's colour on the graph and in its legend, in the order of the camps (largest first). Each reads
# against white and against the dark text of a label; claims in no camp are grey.
CAMP_COLOURS = ["#1f6fb2", "#c0392b", "#2e8540", "#8e44ad", "#b7791f", "#00838f", "#ad1457", "#5d4037"]
NO_CAMP_COLOUR = "#8a8f98"

# How many speakers name a camp or a side.
NAMING_SPEAKERS = 2


def label_of(claim):
    """A claim's short name on the graph: its speaker and its number in its article."""
    return f"{claim.speaker.name} · {claim.article_id}.{claim.number}"


def date_of(claim):
    """When a claim stands on a timeline: the day it was made, else the day its article came out, else None."""
    return claim.claimed_on or claim.article.published_on


def named_by(speakers):
    """'Maduro, Cabello and 3 others' from (source, claim count) pairs, most claims first."""
    names = [source.name for source, _ in speakers[:NAMING_SPEAKERS]]
    others = len(speakers) - len(names)
    if others:
        return f"{', '.join(names)} and {others} other{'s' if others > 1 else ''}"
    return " and ".join(names)


def speakers_of(claims):
    """The speakers of these claims, (source, how many of the claims), most claims first, then by name."""
    counts = Counter(claim.speaker_id for claim in claims)
    sources = {claim.speaker_id: claim.speaker for claim in claims}
    return sorted(
        ((sources[pk], count) for pk, count in counts.items()), key=lambda pair: (-pair[1], pair[0].name, pair[0].pk)
    )


@dataclass(eq=False)
class Camp:
    """Claims joined by standing supports, repeats and relays links: one position, told by its speakers."""

    number: int
    claims: list
    speakers: list = field(default_factory=list)
    colour: str = NO_CAMP_COLOUR
    # (other camp, how many standing disagreements between the two), most first.
    opposes: list = field(default_factory=list)
    side: int | None = None

    @property
    def name(self):
        return named_by(self.speakers)

    @property
    def anchor(self):
        return f"camp-{self.number}"


@dataclass(eq=False)
class Side:
    """Camps on one side of a dispute: each disagrees with a camp of the other side, none with its own."""

    camps: list

    @property
    def claims(self):
        return [claim for camp in self.camps for claim in camp.claims]

    @property
    def speakers(self):
        return speakers_of(self.claims)

    @property
    def name(self):
        return named_by(self.speakers)


@dataclass(eq=False)
class Quarrel:
    """Camps that disagree, directly or through one another, split in two sides; `count`: the disagreements."""

    sides: list
    count: int
    # Disagreements between camps that the split puts on one side (three camps each against the other two).
    within_sides: int = 0


@dataclass(eq=False)
class Cell:
    count: int
    url: str = ""
    title: str = ""


@dataclass(eq=False)
class Matrix:
    """Who disputes whom: `sources` both the rows and the columns, `rows` a list of (source, outlets, cells)."""

    sources: list
    rows: list
    total: int


class Dispute:
    """The dispute of one story, read once: its claims (`claims`, in the story's order) and links (`links`)."""

    def __init__(self, story):
        self.story = story
        self.claims = list(
            story.claims()
            .select_related("speaker", "article__outlet", "event")
            .defer("article__body")
            .order_by("article__published_on", "article_id", "number", "pk")
        )
        self.by_pk = {claim.pk: claim for claim in self.claims}
        links = story.links().only("pk", "from_claim", "to_claim", "kind", "status", "reason", "created_at")
        # Both ends among the claims read: a claim added or deleted between the two queries leaves its links out.
        self.links = [
            link for link in links.order_by("pk") if link.from_claim_id in self.by_pk and link.to_claim_id in self.by_pk
        ]
        for claim in self.claims:
            claim.story_links = []
        for link in self.links:
            # Both ends are read already: no query per link.
            link.from_claim, link.to_claim = self.by_pk[link.from_claim_id], self.by_pk[link.to_claim_id]
            link.from_claim.story_links.append((link, link.to_claim, link.get_kind_display()))
            link.to_claim.story_links.append(
                (link, link.from_claim, READ_BACKWARDS.get(link.kind, link.get_kind_display()))
            )
        self.camps, self.unaligned = self._camps()
        self.quarrels = self._quarrels()

    @property
    def disagreements(self):
        """The standing (not rejected) disagreements between the story's claims."""
        return [
            link
            for link in self.links
            if link.kind in ClaimLink.DISAGREEMENT_KINDS and link.status != LinkStatus.REJECTED
        ]

    def _camps(self):
        parent = {claim.pk: claim.pk for claim in self.claims}

        def root(pk):
            while parent[pk] != pk:
                parent[pk] = parent[parent[pk]]
                pk = parent[pk]
            return pk

        for link in self.links:
            if link.kind in ALLIED_KINDS and link.status != LinkStatus.REJECTED:
                parent[root(link.from_claim_id)] = root(link.to_claim_id)
        # A speaker's claims stand together too, unless that would put a disagreement inside one camp (a speaker
        # who contradicts themself keeps the two positions apart).
        against = defaultdict(set)
        for link in self.disagreements:
            against[link.from_claim_id].add(link.to_claim_id)
            against[link.to_claim_id].add(link.from_claim_id)
        first_of_speaker = {}
        for claim in self.claims:
            first = first_of_speaker.setdefault(claim.speaker_id, claim.pk)
            a, b = root(first), root(claim.pk)
            if a != b and not self._disagree(a, b, root, against):
                parent[b] = a
        groups = defaultdict(list)
        for claim in self.claims:
            groups[root(claim.pk)].append(claim)
        opposed = Counter()
        for link in self.disagreements:
            a, b = root(link.from_claim_id), root(link.to_claim_id)
            if a != b:
                opposed[frozenset((a, b))] += 1
        disputing = {pk for pair in opposed for pk in pair}
        # A lone claim that disputes nobody stands in no camp.
        kept = [claims for key, claims in groups.items() if len(claims) > 1 or key in disputing]
        kept.sort(key=lambda claims: (-len(claims), min(claim.pk for claim in claims)))
        camps, camp_of = [], {}
        for number, claims in enumerate(kept, start=1):
            colour = CAMP_COLOURS[number - 1] if number <= len(CAMP_COLOURS) else NO_CAMP_COLOUR
            camp = Camp(number=number, claims=claims, speakers=speakers_of(claims), colour=colour)
            camps.append(camp)
            camp_of[root(claims[0].pk)] = camp
            for claim in claims:
                claim.camp = camp
        unaligned = [claim for claim in self.claims if not hasattr(claim, "camp")]
        for claim in unaligned:
            claim.camp = None
        for pair, count in opposed.items():
            a, b = (camp_of[pk] for pk in pair)
            a.opposes.append((b, count))
            b.opposes.append((a, count))
        for camp in camps:
            camp.opposes.sort(key=lambda pair: (-pair[1], pair[0].number))
        return camps, unaligned

    def _disagree(self, a, b, root, against):
        """Whether a standing disagreement joins a claim of group `a` to one of group `b`."""
        for claim in self.claims:
            if root(claim.pk) == a and any(root(other) == b for other in against[claim.pk]):
                return True
        return False

    def _quarrels(self):
        """Camps that disagree, grouped by who they disagree with, each group split in two sides: a camp on one
        side, the camps it disputes on the other, and so on (the first camp met decides, biggest first)."""
        quarrels = []
        for start in self.camps:
            if start.side is not None or not start.opposes:
                continue
            start.side, met, queue = 0, [start], [start]
            while queue:
                camp = queue.pop(0)
                for other, _ in camp.opposes:
                    if other.side is None:
                        other.side = 1 - camp.side
                        met.append(other)
                        queue.append(other)
            count = within = 0
            for camp in met:
                for other, n in camp.opposes:
                    if camp.number < other.number:
                        count += n
                        within += n if camp.side == other.side else 0
            met.sort(key=lambda camp: camp.number)
            sides = [Side([camp for camp in met if camp.side == side]) for side in (0, 1)]
            quarrels.append(Quarrel(sides=sides, count=count, within_sides=within))
        quarrels.sort(key=lambda quarrel: -quarrel.count)
        return quarrels

    def graph(self):
        """The story's claims and links as graph data: every claim a node, every link between two of them an
        edge (rejected ones too, marked so), with ids, labels and kinds."""
        nodes = [
            {
                "id": f"claim-{claim.pk}",
                "claim": claim.pk,
                "label": label_of(claim),
                "statement": claim.statement,
                "speaker": claim.speaker.name,
                "speaker_id": claim.speaker_id,
                "article": claim.article.title,
                "verdict": claim.verdict,
                "camp": claim.camp.number if claim.camp else None,
                "colour": claim.camp.colour if claim.camp else NO_CAMP_COLOUR,
                "url": claim.get_absolute_url(),
            }
            for claim in self.claims
        ]
        edges = [
            {
                "id": f"link-{link.pk}",
                "link": link.pk,
                "source": f"claim-{link.from_claim_id}",
                "target": f"claim-{link.to_claim_id}",
                "kind": link.kind,
                "label": link.get_kind_display(),
                "status": link.status,
                "directed": link.kind in ClaimLink.DIRECTED_KINDS,
                "url": link.get_absolute_url(),
            }
            for link in self.links
        ]
        camps = [{"camp": camp.number, "name": camp.name, "colour": camp.colour} for camp in self.camps]
        return {"story": self.story.pk, "nodes": nodes, "edges": edges, "camps": camps}

    def matrix(self):
        """Speakers on either side of the standing disagreements, and how often each disputes each other."""
        counts, outlets, totals = Counter(), defaultdict(set), Counter()
        for link in self.disagreements:
            a, b = link.from_claim, link.to_claim
            counts[(a.speaker_id, b.speaker_id)] += 1
            if a.speaker_id != b.speaker_id:
                counts[(b.speaker_id, a.speaker_id)] += 1
            totals[a.speaker_id] += 1
            totals[b.speaker_id] += 1
            for claim in (a, b):
                if claim.article.outlet:
                    outlets[claim.speaker_id].add(claim.article.outlet.name)
        speakers = {claim.speaker_id: claim.speaker for claim in self.claims}
        sources = sorted((speakers[pk] for pk in totals), key=lambda s: (-totals[s.pk], s.name, s.pk))
        base = reverse("contradiction_list")
        rows = []
        for row in sources:
            cells = []
            for column in sources:
                count = counts[(row.pk, column.pk)]
                if not count:
                    cells.append(Cell(0))
                    continue
                # Every kind of disagreement, as counted here (the page shows only contradictions unless asked).
                query = urlencode({"story": self.story.pk, "source": row.pk, "kind": "all"})
                whom = "itself" if row.pk == column.pk else f"{column.name}{self._in(outlets[column.pk])}"
                title = f"{row.name}{self._in(outlets[row.pk])} disputes {whom}: {count} time{'s' * (count > 1)}"
                cells.append(Cell(count, f"{base}?{query}", title))
            rows.append((row, sorted(outlets[row.pk]), cells))
        return Matrix(sources=sources, rows=rows, total=len(self.disagreements))

    @staticmethod
    def _in(outlets):
        return f" (in {', '.join(sorted(outlets))})" if outlets else ""

    def timeline(self):
        """Each speaker's claims in the order they were made (dated by the claim, else by its article; undated
        last), speakers by their first dated claim. A list of (source, [(date, claim)])."""
        by_speaker = defaultdict(list)
        for claim in self.claims:
            by_speaker[claim.speaker_id].append(claim)
        far = (1, 0)

        def when(claim):
            day = date_of(claim)
            return (0, day.toordinal()) if day else far

        lines = []
        for claims in by_speaker.values():
            claims.sort(key=lambda claim: (when(claim), claim.pk))
            lines.append((claims[0].speaker, [(date_of(claim), claim) for claim in claims]))
        lines.sort(key=lambda line: (when(line[1][0][1]), line[0].name, line[0].pk))
        return lines

    def events(self):
        """The story's events in order (one more query), each with `story_claims`, the claims about it."""
        events = list(self.story.events.all())
        for event in events:
            event.story_claims = [claim for claim in self.claims if claim.event_id == event.pk]
        return events

    def dates(self):
        """The first and last day of the story's claims (by `date_of`), or (None, None)."""
        days = sorted(day for day in map(date_of, self.claims) if day)
        return (days[0], days[-1]) if days else (None, None)


@dataclass(eq=False)
class ArticleDisputes:
    """An article's claims that others dispute, each with (link, other claim) pairs, and who disputes them."""

    claims: list
    by_whom: list

    def __bool__(self):
        return bool(self.claims)


def article_disputes(article):
    """The standing disagreements that involve a claim of `article`, in one query: its claims so disputed, each
    with `disputed_by` [(link, other claim)], and the other claims' speakers with how often, most first."""
    links = (
        ClaimLink.objects.disagreements()
        .standing()
        .filter(Q(from_claim__article=article) | Q(to_claim__article=article))
        .select_related("from_claim__speaker", "to_claim__speaker", "from_claim__article", "to_claim__article")
        .defer("from_claim__article__body", "to_claim__article__body")
        .order_by("pk")
    )
    claims = {}
    whom = []
    for link in links:
        for claim, other in ((link.from_claim, link.to_claim), (link.to_claim, link.from_claim)):
            if claim.article_id == article.pk:
                claim = claims.setdefault(claim.pk, claim)
                if not hasattr(claim, "disputed_by"):
                    claim.disputed_by = []
                claim.disputed_by.append((link, other))
                whom.append(other)
    ordered = sorted(claims.values(), key=lambda claim: (claim.number, claim.pk))
    return ArticleDisputes(claims=ordered, by_whom=speakers_of(whom))


__all__ = ["Camp", "Dispute", "Side", "Quarrel", "Matrix", "ArticleDisputes", "article_disputes"]
