from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .counting import count_of
from .versioning import Versioned


class SourceQuerySet(models.QuerySet):
    def for_list(self):
        return (
            self.select_related("affiliation")
            .annotate(claim_count=count_of("factcheck.Claim", "speaker"))
            .order_by("name", "pk")
        )

    def for_detail(self):
        return self.select_related("affiliation", "created_by")

    def search(self, text, *, names_only=False):
        """Sources whose name (or description) holds `text`, those whose name starts with it first.
        On PostgreSQL a trigram index serves the name; there are thousands of sources, not millions."""
        found = Q(name__icontains=text) if names_only else Q(name__icontains=text) | Q(description__icontains=text)
        return (
            self.filter(found)
            .alias(starts=Case(When(name__istartswith=text, then=Value(0)), default=Value(1)))
            .order_by("starts", "name", "pk")
        )


class SourceKind(models.TextChoices):
    OUTLET = "outlet", "Outlet"
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"
    GOVERNMENT = "government", "Government body"
    ANONYMOUS = "anonymous", "Anonymous source"


class Source(Versioned):
    Kind = SourceKind

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    affiliation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        # Deleting a source others name as their affiliation is refused: clearing theirs
        # would change them silently, without a history record.
        on_delete=models.PROTECT,
        related_name="affiliates",
        help_text="What this source belongs to or works for: a politician's party, a reporter's outlet. Who passed "
        "a claim on goes in the claim's chain, not here.",
    )
    description = models.TextField(blank=True)
    url = models.URLField("URL", max_length=500, blank=True)
    reliability_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "kind"],
                name="source_unique_name_per_kind",
                violation_error_message="A source of this kind with this name already exists.",
            ),
            models.CheckConstraint(condition=Q(kind__in=SourceKind.values), name="source_kind_valid"),
            models.CheckConstraint(condition=~Q(name=""), name="source_name_not_empty"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("source_detail", args=[self.pk])

    def clean(self):
        if self.pk and self.affiliation_id == self.pk:
            raise ValidationError({"affiliation": "A source cannot be affiliated with itself."})
