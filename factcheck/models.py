from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import SHA256, Coalesce, Length
from django.urls import reverse
from simple_history.models import HistoricalRecords


class EditConflict(Exception):
    """Saving over a version newer than the one the editor saw."""

    def __init__(self, current):
        super().__init__(f"{current} changed since it was opened")
        self.current = current


class Versioned(models.Model):
    """An object several editors may change: each save must name the version it started from."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save_over(self, seen_version):
        """Save these changes if nobody saved since `seen_version`; else raise EditConflict
        carrying the current state. The row is locked from the check to the write."""
        with transaction.atomic():
            current = type(self).objects.select_for_update().get(pk=self.pk)
            if current.version != seen_version:
                raise EditConflict(current)
            self.version = current.version + 1
            self.save()


class SourceQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("affiliation").annotate(claim_count=Count("claims")).order_by("name", "pk")

    def for_detail(self):
        return self.select_related("affiliation", "created_by")


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
        on_delete=models.SET_NULL,
        related_name="affiliates",
        help_text="Who this source speaks through or belongs to, e.g. the outlet relaying an anonymous source.",
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


class ArticleQuerySet(models.QuerySet):
    def for_list(self):
        return (
            self.select_related("outlet")
            .annotate(claim_count=Count("claims"))
            .defer("body")
            .order_by("-published_on", "-created_at", "-pk")
        )

    def for_detail(self):
        return self.select_related("outlet", "added_by").prefetch_related(
            Prefetch("claims", queryset=Claim.objects.for_article().order_by("quote_start", "pk"))
        )


class Article(Versioned):
    title = models.CharField(max_length=300)
    outlet = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="articles")
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField("URL", max_length=500, blank=True)
    published_on = models.DateField("published", null=True, blank=True)
    body = models.TextField(help_text="The full text, kept exactly as imported.")
    # Computed by the database, so the same text can never be stored twice,
    # whichever way it arrives (importer, admin, pages).
    content_hash = models.GeneratedField(
        expression=SHA256("body"),
        output_field=models.CharField(max_length=64),
        db_persist=True,
        unique=True,
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["content_hash"])

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="article_unique_url_when_given",
                violation_error_message="An article with this URL is already recorded.",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("article_detail", args=[self.pk])

    def highlighted(self, claims):
        """Split the body into segments for display: each with the claim it belongs to
        (the innermost, where quotes overlap) and the claims whose quote ends there."""
        bounds = sorted({0, len(self.body)} | {c.quote_start for c in claims} | {c.quote_end for c in claims})
        segments = []
        for start, end in zip(bounds, bounds[1:], strict=False):
            covering = [c for c in claims if c.quote_start <= start and c.quote_end >= end]
            innermost = max(covering, key=lambda c: (c.quote_start, -c.quote_end), default=None)
            ending = [c for c in claims if c.quote_end == end]
            segments.append({"text": self.body[start:end], "claim": innermost, "ending": ending})
        return segments


class ClaimQuerySet(models.QuerySet):
    def for_article(self):
        return self.select_related("speaker").annotate(
            link_count=Count("links_from", distinct=True) + Count("links_to", distinct=True)
        )

    def for_list(self):
        return self.select_related("speaker", "article", "article__outlet").defer("article__body")

    def for_detail(self):
        return self.select_related("speaker", "article", "article__outlet", "created_by")


class Verdict(models.TextChoices):
    UNREVIEWED = "unreviewed", "Unreviewed"
    ACCURATE = "accurate", "Accurate"
    MOSTLY_ACCURATE = "mostly_accurate", "Mostly accurate"
    MISLEADING = "misleading", "Misleading"
    FALSE = "false", "False"
    UNPROVEN = "unproven", "Unproven"


class Claim(Versioned):
    Verdict = Verdict

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    quote = models.TextField(help_text="The exact passage of the article that carries the claim.")
    quote_start = models.PositiveIntegerField(
        blank=True, help_text="Character offset of the quote in the body; found from the quote when left empty."
    )
    quote_end = models.PositiveIntegerField(blank=True)
    statement = models.TextField(help_text="The claim in neutral words.")
    speaker = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="claims",
        help_text="Who is reported as saying it (may differ from the outlet).",
    )
    claimed_on = models.DateField("claimed on", null=True, blank=True)
    verdict = models.CharField(max_length=20, choices=Verdict.choices, default=Verdict.UNREVIEWED)
    verdict_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["article", "quote_start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(verdict__in=Verdict.values), name="claim_verdict_valid"),
            models.CheckConstraint(
                condition=Q(quote_end=F("quote_start") + Length("quote")) & ~Q(quote=""),
                name="claim_quote_matches_offsets",
            ),
            models.CheckConstraint(condition=~Q(statement=""), name="claim_statement_not_empty"),
        ]

    def __str__(self):
        return self.statement if len(self.statement) <= 80 else self.statement[:79] + "…"

    def get_absolute_url(self):
        return reverse("claim_detail", args=[self.pk])

    def clean(self):
        if not self.article_id or not self.quote:
            return
        body = self.article.body
        if self.quote_start is None:
            occurrences = body.count(self.quote)
            if occurrences == 0:
                raise ValidationError({"quote": "This passage does not appear in the article."})
            if occurrences > 1:
                raise ValidationError(
                    {
                        "quote": f"This passage appears {occurrences} times in the article: select the one you mean "
                        "in the text, or quote a longer passage."
                    }
                )
            self.quote_start = body.index(self.quote)
        self.quote_end = self.quote_start + len(self.quote)
        if body[self.quote_start : self.quote_end] != self.quote:
            raise ValidationError({"quote": "The quote must be copied exactly from the article at the given offsets."})

    def in_paragraph(self):
        """The quote's paragraph, as (text before, quote, text after)."""
        body = self.article.body
        start = body.rfind("\n", 0, self.quote_start) + 1
        end = body.find("\n", self.quote_end)
        end = len(body) if end == -1 else end
        return body[start : self.quote_start], self.quote, body[self.quote_end : end]

    def link_candidates(self, query, *, also=None):
        """Other claims matching a search (plus the one chosen, `also`), leaving out
        this one and those already linked to it."""
        matching = Q(pk=also) if also else Q(pk__in=[])
        if query:
            matching |= (
                Q(statement__icontains=query)
                | Q(quote__icontains=query)
                | Q(speaker__name__icontains=query)
                | Q(article__title__icontains=query)
            )
        return (
            Claim.objects.for_list()
            .filter(matching)
            .exclude(pk=self.pk)
            .exclude(pk__in=ClaimLink.objects.filter(from_claim=self).values("to_claim"))
            .exclude(pk__in=ClaimLink.objects.filter(to_claim=self).values("from_claim"))
            .order_by("-created_at", "-pk")
        )

    def link(self, other, kind, *, by=None, reason=""):
        """Link this claim to another; symmetric kinds are stored in one canonical order."""
        link = ClaimLink(from_claim=self, to_claim=other, kind=kind, reason=reason, created_by=by)
        link.full_clean()
        link.save()
        return link


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
            .annotate(
                comment_count=Coalesce(
                    Subquery(
                        Comment.objects.filter(link=OuterRef("pk"))
                        .order_by()
                        .values("link")
                        .annotate(count=Count("pk"))
                        .values("count")
                    ),
                    0,
                )
            )
            .order_by("-created_at", "-pk")
        )

    def involving(self, claim):
        return self.filter(Q(from_claim=claim) | Q(to_claim=claim))

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


class CommentQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("author").order_by("created_at", "pk")


class Comment(models.Model):
    """Discussion on a claim or on a link, so a contested contradiction can be argued first."""

    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    link = models.ForeignKey(ClaimLink, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField("comment", max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(claim__isnull=False, link__isnull=True) | Q(claim__isnull=True, link__isnull=False),
                name="comment_on_a_claim_or_a_link",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="comment_not_empty"),
        ]

    def __str__(self):
        return self.body if len(self.body) <= 60 else self.body[:59] + "…"


HIDDEN_IN_HISTORY = {"version", "created_at", "updated_at", "content_hash"}


def history_entries(obj, limit=20):
    """The newest changes to one object, each with who, when and which fields changed how,
    in the words a page shows (verdict labels, source names), at a fixed number of queries."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries, related = [], defaultdict(set)
    for record, older in zip(records[:limit], records[1:] + [None], strict=False):
        changes = []
        if older is not None and record.history_type == "~":
            for change in record.diff_against(older, excluded_fields=HIDDEN_IN_HISTORY & _field_names(obj)).changes:
                field = obj._meta.get_field(change.field)
                if field.is_relation:
                    related[field.related_model].update(v for v in (change.old, change.new) if v is not None)
                changes.append((field, change.old, change.new))
        entries.append({"record": record, "changes": changes})
    names = {model: dict(model._default_manager.filter(pk__in=pks).in_bulk()) for model, pks in related.items()}

    def shown(field, value):
        if value in (None, ""):
            return ""
        if field.is_relation:
            found = names[field.related_model].get(value)
            return str(found) if found else f"#{value} (deleted)"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return value

    for entry in entries:
        entry["changes"] = [
            {"field": field.verbose_name, "old": shown(field, old), "new": shown(field, new)}
            for field, old, new in entry["changes"]
        ]
    return entries


def _field_names(obj):
    return {field.name for field in obj._meta.concrete_fields}


def team_activity(limit=15):
    """The newest changes across articles, claims, sources, links and comments, newest first."""
    feeds = [
        (Claim.history.select_related("history_user"), "claim", lambda r: r.statement),
        (ClaimLink.history.select_related("history_user"), "link", lambda r: f"{r.get_kind_display().lower()} link"),
        (Article.history.select_related("history_user").defer("body"), "article", lambda r: r.title),
        (Source.history.select_related("history_user"), "source", lambda r: r.name),
        (Comment.history.select_related("history_user"), "comment", lambda r: r.body),
    ]
    activity = []
    for queryset, kind, label in feeds:
        for record in queryset.order_by("-history_date", "-history_id")[:limit]:
            activity.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "action": {"+": "added", "~": "changed", "-": "deleted"}[record.history_type],
                    "kind": kind,
                    "label": label(record),
                    "url": _activity_url(kind, record),
                }
            )
    activity.sort(key=lambda entry: entry["when"], reverse=True)
    return activity[:limit]


def _activity_url(kind, record):
    if record.history_type == "-":
        return None
    if kind == "comment":
        return (
            reverse("claim_detail", args=[record.claim_id])
            if record.claim_id
            else reverse("link_detail", args=[record.link_id])
        )
    names = {"claim": "claim_detail", "link": "link_detail", "article": "article_detail", "source": "source_detail"}
    return reverse(names[kind], args=[record.id])
