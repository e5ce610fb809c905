from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .claims import Claim
from .comments import Comment
from .counting import count_of
from .versioning import Versioned
from .workflow import Reviewable, ReviewStatus


class LinkExists(Exception):
    """A colleague made the same link at the same instant; theirs stands."""

    def __init__(self, link):
        super().__init__(f"{link} already exists")
        self.link = link


class ClaimLinkQuerySet(models.QuerySet):
    def for_list(self):
        return (
            self.select_related(
                "from_claim__speaker",
                "from_claim__article__outlet",
                "to_claim__speaker",
                "to_claim__article__outlet",
                "created_by",
                "status_by",
            )
            .defer("from_claim__article__body", "to_claim__article__body")
            # A correlated subquery, counted only for the rows shown, not a GROUP BY over the join.
            .annotate(comment_count=count_of(Comment, "link"))
            .order_by("-created_at", "-pk")
        )

    def in_order(self, pks):
        """These links, in the order of `pks`."""
        pks = list(pks)
        found = self.in_bulk(pks)
        return [found[pk] for pk in pks if pk in found]

    def involving(self, claim):
        return self.filter(Q(from_claim=claim) | Q(to_claim=claim))

    def either_end_in(self, claims):
        """Links with a claim of `claims` (a queryset of claim ids) at either end. Two index lookups joined,
        where an OR across both ends would read every link."""
        either_end = (
            ClaimLink.objects.filter(from_claim__in=claims)
            .order_by()
            .values("pk")
            .union(ClaimLink.objects.filter(to_claim__in=claims).order_by().values("pk"))
        )
        return self.filter(pk__in=either_end)

    def involving_source(self, source):
        """Links with `source` at either end, however it took part: as a claim's speaker or co-speaker, as the
        outlet of its article, as a hop of its chain (it relayed the claim), or through a source affiliated
        with it, at any depth (the Russian government: Sergey Lavrov, and whoever is affiliated with him).
        A fixed number of index lookups joined, whatever the number of links or affiliates."""
        from .articles import Article
        from .chains import CoSpeaker, Relay

        sources = source_and_affiliates(source)
        claims = (
            Claim.objects.filter(speaker__in=sources)
            .order_by()
            .values("pk")
            .union(
                Claim.objects.filter(article__in=Article.objects.filter(outlet__in=sources).values("pk"))
                .order_by()
                .values("pk"),
                CoSpeaker.objects.filter(source__in=sources).order_by().values("claim"),
                Relay.objects.filter(source__in=sources).order_by().values("claim"),
            )
        )
        return self.either_end_in(claims)

    def in_article(self, article):
        """Links with a claim of `article` (an Article or its id) at either end."""
        return self.either_end_in(Claim.objects.filter(article=article).order_by().values("pk"))

    def in_story(self, story):
        """Links between two claims of `story` (a Story or its id): both ends in its articles, as
        `Story.links()` counts them, so the story page and this filter agree."""
        claims = Claim.objects.filter(article__story_memberships__story=story).order_by().values("pk")
        return self.filter(from_claim__in=claims, to_claim__in=claims)

    def in_event(self, event):
        """Links with a claim about `event` (an Event or its id) at either end: the other side of a dispute
        about an event is often not marked with it."""
        return self.either_end_in(Claim.objects.filter(event=event).order_by().values("pk"))

    def with_chains(self):
        """With both claims' attribution chains (`claim.chain_line()`), as `Claim.objects.with_chain()` reads
        them, in four more queries whatever the chains' lengths."""
        from .chains import CoSpeaker, Relay

        lookups = []
        for end in ("from_claim", "to_claim"):
            lookups += [
                Prefetch(f"{end}__relays", Relay.objects.in_order().defer("article__body")),
                Prefetch(f"{end}__co_speaker_rows", CoSpeaker.objects.select_related("source").order_by("pk")),
            ]
        return self.prefetch_related(*lookups)

    def grouped_for(self, claim):
        """These links of `claim`, grouped as its page shows them: (key, label, links), each link
        knowing the claim at its other end. Directed kinds read both ways (supports / supported by,
        relays / relayed by); every kind has its group, empty ones included."""
        groups = {key: [] for key in LINK_GROUPS}
        for link in self:
            key = link.kind
            if link.kind in ClaimLink.DIRECTED_KINDS and link.from_claim_id != claim.pk:
                key = {LinkKind.SUPPORTS: "supported_by", LinkKind.RELAYS: "relayed_by"}[link.kind]
            groups[key].append(link)
            link.other_claim = link.other(claim)
        return [(key, LINK_GROUPS[key], links) for key, links in groups.items()]

    def contradictions(self):
        return self.filter(kind=ClaimLink.Kind.CONTRADICTS)

    def disagreements(self):
        """Contradictions and the weaker disagreements: in tension, competing explanations."""
        return self.filter(kind__in=ClaimLink.DISAGREEMENT_KINDS)

    def standing(self):
        """Links not rejected: what the pages count and list unless asked for rejected ones too."""
        return self.exclude(status=LinkStatus.REJECTED)

    def open(self):
        """Links not yet settled: proposed, neither confirmed nor rejected."""
        return self.filter(status=LinkStatus.PROPOSED)

    def self_contradictions(self, within=None):
        """Contradictions (not rejected) whose two claims are in one article (`within="article"`) or from one
        source (`"source"`: the same speaker, or an original speaker, co-speakers included, in common); without
        `within`, either."""
        from .chains import CoSpeaker

        rows = CoSpeaker.objects.filter
        in_one_article = Q(from_claim__article=F("to_claim__article"))
        shared = rows(claim=OuterRef(OuterRef("to_claim"))).values("source")
        from_one_source = (
            Q(from_claim__speaker=F("to_claim__speaker"))
            | Exists(rows(claim=OuterRef("to_claim"), source=OuterRef("from_claim__speaker")))
            | Exists(rows(claim=OuterRef("from_claim"), source=OuterRef("to_claim__speaker")))
            | Exists(rows(claim=OuterRef("from_claim"), source__in=shared))
        )
        condition = {"article": in_one_article, "source": from_one_source}.get(within, in_one_article | from_one_source)
        return self.contradictions().exclude(status=LinkStatus.REJECTED).filter(condition)


def source_and_affiliates(source):
    """The ids of `source` (a Source or its id) and of every source affiliated with it, down the whole tree
    (a ministry's spokesman, the government's ministry), as a subquery: one recursive index walk in the
    database, not a list read first. UNION, not UNION ALL, ends a loop of affiliations."""
    from .sources import Source

    quote = connection.ops.quote_name
    table, pk = quote(Source._meta.db_table), quote(Source._meta.pk.column)
    affiliation = quote(Source._meta.get_field("affiliation").column)
    sql = (
        f"WITH RECURSIVE tree(id) AS (SELECT {pk} FROM {table} WHERE {pk} = %s "
        f"UNION SELECT s.{pk} FROM {table} s JOIN tree ON s.{affiliation} = tree.id) SELECT id FROM tree"
    )
    return RawSQL(sql, (getattr(source, "pk", source),))


class LinkKind(models.TextChoices):
    CONTRADICTS = "contradicts", "Contradicts"
    IN_TENSION = "in_tension", "Is in tension with"
    COMPETING = "competing", "Offers a competing explanation to"
    SUPPORTS = "supports", "Supports"
    REPEATS = "repeats", "Repeats"
    RELAYS = "relays", "Relays"


# The claim page's groups, seen from the claim on the page, in the order shown.
LINK_GROUPS = {
    "contradicts": "Contradicts",
    "in_tension": "In tension with",
    "competing": "Competing explanations",
    "supports": "Supports",
    "supported_by": "Supported by",
    "relays": "Relays",
    "relayed_by": "Relayed by",
    "repeats": "Repeats",
}

# What a disagreement without its reason is told.
REASON_NEEDED = {
    LinkKind.CONTRADICTS: "Say why these claims contradict each other.",
    LinkKind.IN_TENSION: "Say why these claims are in tension.",
    LinkKind.COMPETING: "Say how these explanations compete.",
}


class LinkStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class ClaimLink(Reviewable, Versioned):
    Kind = LinkKind
    Status = LinkStatus

    # Either way round means the same: stored with the lower claim id first.
    SYMMETRIC_KINDS = (LinkKind.CONTRADICTS, LinkKind.IN_TENSION, LinkKind.COMPETING, LinkKind.REPEATS)
    # "from supports to", "from relays to": told again through another outlet.
    DIRECTED_KINDS = (LinkKind.SUPPORTS, LinkKind.RELAYS)
    # Links that say two claims disagree, each needing its reason.
    DISAGREEMENT_KINDS = (LinkKind.CONTRADICTS, LinkKind.IN_TENSION, LinkKind.COMPETING)

    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_from")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_to")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField(blank=True, help_text="Why these claims are linked; required for a contradiction.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="linked by",
    )
    status = models.CharField(max_length=20, choices=LinkStatus.choices, default=LinkStatus.PROPOSED)
    status_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="settled by",
    )
    status_at = models.DateTimeField("settled at", null=True, blank=True)
    status_reason = models.TextField("why", blank=True, help_text="Why the link was confirmed or rejected.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ClaimLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_claim=F("to_claim")),
                name="link_not_to_itself",
                violation_error_message="A claim cannot be linked to itself.",
            ),
            models.UniqueConstraint(
                fields=["from_claim", "to_claim", "kind"],
                name="link_unique_per_pair_and_kind",
                violation_error_message="These claims are already linked this way.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["supports", "relays"]) | Q(from_claim__lte=F("to_claim")),
                name="link_symmetric_kinds_in_canonical_order",
            ),
            models.CheckConstraint(condition=Q(kind__in=LinkKind.values), name="link_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind__in=["contradicts", "in_tension", "competing"]) | ~Q(reason=""),
                name="link_disagreement_has_reason",
            ),
            models.CheckConstraint(condition=Q(status__in=LinkStatus.values), name="link_status_valid"),
            models.CheckConstraint(
                condition=Q(status=LinkStatus.PROPOSED) | Q(status_at__isnull=False),
                name="link_settled_says_when",
            ),
            models.CheckConstraint(
                condition=~Q(status=LinkStatus.REJECTED) | ~Q(status_reason=""),
                name="link_rejection_says_why",
                violation_error_message="Say why the link is rejected.",
            ),
            models.CheckConstraint(
                condition=Q(review_status__in=ReviewStatus.values) & ~Q(review_status=ReviewStatus.PUBLISHED),
                name="link_review_status_valid",
                violation_error_message="A link is not published: only a claim's review is.",
            ),
        ]
        indexes = [
            # The newest links (home page), and the newest of one kind (contradictions), read in order.
            models.Index(fields=["created_at", "id"], name="link_newest"),
            models.Index(fields=["kind", "created_at", "id"], name="link_kind_newest"),
            models.Index(fields=["assignee", "review_status", "id"], name="link_assignee_status"),
        ]

    def __str__(self):
        return f"#{self.from_claim_id} {self.kind} #{self.to_claim_id}"

    def get_absolute_url(self):
        return reverse("link_detail", args=[self.pk])

    def clean(self):
        self.reason = self.reason.strip()
        if (
            self.kind in self.SYMMETRIC_KINDS
            and self.from_claim_id
            and self.to_claim_id
            and self.from_claim_id > self.to_claim_id
        ):
            self.from_claim, self.to_claim = self.to_claim, self.from_claim
        if self.kind in self.DISAGREEMENT_KINDS and not self.reason:
            raise ValidationError({"reason": REASON_NEEDED[self.kind]})

    def validate_constraints(self, exclude=None):
        # A link still proposed, never settled, keeps the settlement rules by construction: not asking the
        # database about them saves three round trips on every link made.
        if self.status == LinkStatus.PROPOSED and self.status_at is None and not self.status_reason:
            exclude = {*(exclude or ()), "status", "status_at", "status_reason"}
        # Likewise a review status of the board's link columns (move() refuses "published" with its message).
        if self.review_status in ReviewStatus.values and self.review_status != ReviewStatus.PUBLISHED:
            exclude = {*(exclude or ()), "review_status"}
        super().validate_constraints(exclude=exclude)

    def settle(self, status, *, by=None, reason="", seen_version):
        """Confirm or reject this link (or propose it again), saying who, when and why: a rejection needs its
        reason. Versioned: a colleague's change since `seen_version` raises EditConflict."""
        reason = reason.strip()
        if status not in LinkStatus.values:
            raise ValidationError({"status": "Confirm it, reject it or propose it again."})
        if status == LinkStatus.REJECTED and not reason:
            raise ValidationError({"status_reason": "Say why the link is rejected."})
        self.status, self.status_reason = status, reason
        self.status_by, self.status_at = (None, None) if status == LinkStatus.PROPOSED else (by, timezone.now())
        self._history_user = by
        self.save_over(seen_version)

    def change(self, *, kind, reason, by=None, seen_version):
        """Change this link's kind or reason, keeping its discussion; versioned like every edit. A symmetric kind
        is stored in canonical order; the same link already there raises ValidationError. A new kind is a new
        statement about the two claims: a settled link is proposed again (its history keeps the verdict)."""
        if kind != self.kind and self.status != LinkStatus.PROPOSED:
            self.status, self.status_by, self.status_at, self.status_reason = LinkStatus.PROPOSED, None, None, ""
        self.kind, self.reason = kind, reason
        self.full_clean(exclude=["from_claim", "to_claim", "created_by", "status_by"])
        self._history_user = by
        self.save_over(seen_version)

    @property
    def ends(self):
        return (self.from_claim, self.to_claim)

    def other(self, claim):
        return self.to_claim if self.from_claim_id == claim.pk else self.from_claim
