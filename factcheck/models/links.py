from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .claims import Claim
from .comments import Comment
from .counting import count_of


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

    def grouped_for(self, claim):
        """These links of `claim`, grouped as its page shows them: (key, label, links), each link
        knowing the claim at its other end."""
        groups = {"contradicts": [], "supports": [], "supported_by": [], "repeats": []}
        for link in self:
            if link.kind == LinkKind.SUPPORTS:
                groups["supports" if link.from_claim_id == claim.pk else "supported_by"].append(link)
            else:
                groups[link.kind].append(link)
            link.other_claim = link.other(claim)
        labels = {"contradicts": "Contradicts", "supports": "Supports", "supported_by": "Supported by"}
        return [(key, labels.get(key, "Repeats"), links) for key, links in groups.items()]

    def contradictions(self):
        return self.filter(kind=ClaimLink.Kind.CONTRADICTS)

    def open(self):
        """Links not yet settled: at least one of the two claims still awaits a verdict."""
        return self.filter(
            Q(from_claim__verdict=Claim.Verdict.UNREVIEWED) | Q(to_claim__verdict=Claim.Verdict.UNREVIEWED)
        )


class LinkKind(models.TextChoices):
    CONTRADICTS = "contradicts", "Contradicts"
    SUPPORTS = "supports", "Supports"
    REPEATS = "repeats", "Repeats"


class ClaimLink(models.Model):
    Kind = LinkKind

    SYMMETRIC_KINDS = (LinkKind.CONTRADICTS, LinkKind.REPEATS)

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
    created_at = models.DateTimeField(auto_now_add=True)
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
                condition=Q(kind="supports") | Q(from_claim__lte=F("to_claim")),
                name="link_symmetric_kinds_in_canonical_order",
            ),
            models.CheckConstraint(condition=Q(kind__in=LinkKind.values), name="link_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind="contradicts") | ~Q(reason=""), name="link_contradiction_has_reason"
            ),
        ]
        indexes = [
            # The newest links (home page), and the newest of one kind (contradictions), read in order.
            models.Index(fields=["created_at", "id"], name="link_newest"),
            models.Index(fields=["kind", "created_at", "id"], name="link_kind_newest"),
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
        if self.kind == self.Kind.CONTRADICTS and not self.reason:
            raise ValidationError({"reason": "Say why these claims contradict each other."})

    @property
    def ends(self):
        return (self.from_claim, self.to_claim)

    def other(self, claim):
        return self.to_claim if self.from_claim_id == claim.pk else self.from_claim
