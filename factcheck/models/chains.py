from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class RelayManner(models.TextChoices):
    VERBATIM = "verbatim", "quoted verbatim"
    PARAPHRASE = "paraphrase", "paraphrased"
    SUMMARY = "summary", "summarised"
    BROADENED = "broadened", "broadened"
    NARROWED = "narrowed", "narrowed"
    ESCALATED = "escalated", "escalated"
    UNKNOWN = "unknown", "passed on (how is unknown)"


# Hops that changed the words must say how (the reason); verbatim and unknown need not.
CHANGED_MANNERS = (
    RelayManner.PARAPHRASE,
    RelayManner.SUMMARY,
    RelayManner.BROADENED,
    RelayManner.NARROWED,
    RelayManner.ESCALATED,
)


class RelayQuerySet(models.QuerySet):
    def in_order(self):
        return self.select_related("source", "article").order_by("position")


class Relay(models.Model):
    """One hop of a claim's attribution chain: a source that passed the claim on, between its original speaker(s)
    and the article it is recorded in (the article's outlet ends the chain; it is not a hop)."""

    Manner = RelayManner

    claim = models.ForeignKey("factcheck.Claim", on_delete=models.CASCADE, related_name="relays")
    position = models.PositiveSmallIntegerField(help_text="1 for the first hop after the original speaker(s).")
    source = models.ForeignKey("factcheck.Source", on_delete=models.PROTECT, related_name="relays")
    manner = models.CharField(max_length=20, choices=RelayManner.choices, default=RelayManner.UNKNOWN)
    reason = models.TextField(blank=True, help_text="How this hop changed the claim, in the texts' words.")
    url = models.URLField("URL", max_length=500, blank=True, help_text="The intermediate report, when known.")
    article = models.ForeignKey(
        "factcheck.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="relayed_in",
        help_text="The intermediate report, when it is an article recorded here.",
    )
    history = HistoricalRecords()

    objects = RelayQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "position"],
                name="relay_one_hop_per_position",
                violation_error_message="Two hops of this chain are at the same place.",
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="relay_position_from_one"),
            models.CheckConstraint(condition=Q(manner__in=RelayManner.values), name="relay_manner_valid"),
            models.CheckConstraint(
                condition=~Q(manner__in=CHANGED_MANNERS) | ~Q(reason=""),
                name="relay_changed_hop_says_how",
                violation_error_message="Say how this hop changed the claim.",
            ),
        ]

    def __str__(self):
        return f"{self.source} ({self.get_manner_display()})"


class CoSpeaker(models.Model):
    """Another original speaker of a claim, beside its speaker ("Simon and Alejandro")."""

    claim = models.ForeignKey("factcheck.Claim", on_delete=models.CASCADE, related_name="co_speaker_rows")
    source = models.ForeignKey("factcheck.Source", on_delete=models.PROTECT, related_name="co_speaker_rows")
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source"],
                name="co_speaker_once_per_claim",
                violation_error_message="This source is already one of the claim's speakers.",
            )
        ]

    def __str__(self):
        return str(self.source)
