import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, Length
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .. import search
from ..anchoring import CONTEXT, context_around, find
from ..text import canonical
from .articles import Article
from .sources import Source
from .text_fields import CanonicalTextField
from .versioning import EditConflict, Versioned


class ClaimQuerySet(models.QuerySet):
    def for_article(self):
        return (
            self.select_related("speaker")
            .annotate(link_count=Count("links_from", distinct=True) + Count("links_to", distinct=True))
            .order_by(F("quote_start").asc(nulls_last=True), "pk")
        )

    def for_list(self):
        return self.select_related("speaker", "article", "article__outlet").defer("article__body")

    def for_detail(self):
        return self.select_related("speaker", "article", "article__outlet", "created_by", "published_by")

    def for_review(self):
        """With all its ClaimReview reads (factcheck.claimreview), in a fixed number of queries: speaker,
        article and outlet, when its verdict was given, and the articles of the claims repeating it."""
        from .links import ClaimLink

        repeats = ClaimLink.objects.filter(kind=ClaimLink.Kind.REPEATS).order_by("pk")
        return (
            self.select_related("speaker", "article__outlet")
            .defer("article__body")
            .annotate(verdict_given_at=verdict_given_at())
            .prefetch_related(
                Prefetch(
                    "links_from",
                    repeats.select_related("to_claim__article__outlet").defer("to_claim__article__body"),
                    to_attr="repeats_from",
                ),
                Prefetch(
                    "links_to",
                    repeats.select_related("from_claim__article__outlet").defer("from_claim__article__body"),
                    to_attr="repeats_to",
                ),
            )
        )

    def published(self):
        return self.filter(published_at__isnull=False)

    def with_contradictions(self):
        """These claims as a list, each with `contradicted_by`: (link, other claim) for every
        contradiction it takes part in."""
        from .links import ClaimLink

        claims = {claim.pk: claim for claim in self}
        for claim in claims.values():
            claim.contradicted_by = []
        # The ids read above, not the query again (a page of a long, sorted list would be sorted twice).
        pks = list(claims)
        links = ClaimLink.objects.contradictions().filter(Q(from_claim__in=pks) | Q(to_claim__in=pks))
        for link in links.for_list():
            for claim, other in ((link.from_claim, link.to_claim), (link.to_claim, link.from_claim)):
                if claim.pk in claims:
                    claims[claim.pk].contradicted_by.append((link, other))
        return list(claims.values())

    def orphaned(self):
        return self.filter(quote_start__isnull=True)

    def search(self, text, *, prefix=False, by_names=False, within_filters=True):
        """Claims whose statement or quote match `text` (web-search syntax), best first, each with
        its `rank`. `prefix`: the last word may be unfinished, as in a search-as-you-type box.
        `by_names`: also the claims of a speaker, or in an article, whose name or title holds the text.
        `within_filters=False`: the newest matches of all claims, then this queryset's filters."""
        also = None
        if by_names and text.strip():
            # Read first, a handful of ids: as subqueries, PostgreSQL would test them on every claim. An id
            # no row has keeps the query asked when nothing matches, so the queries a page makes are fixed.
            speakers = list(Source.objects.search(text.strip(), names_only=True).values_list("pk", flat=True)[:50])
            articles = list(Article.objects.filter(title__icontains=text.strip()).values_list("pk", flat=True)[:50])
            also = Q(speaker__in=speakers or [0]) | Q(article__in=articles or [0])
        return search.matching(self, "claim", text, prefix=prefix, also=also, within_filters=within_filters)


def verdict_given_at():
    """When each claim got the verdict it has: its first history record with that verdict since the
    last one with another (None for a claim without history)."""
    records = Claim.history.model.objects
    other_since = (
        records.filter(id=OuterRef(OuterRef("pk")))
        .exclude(verdict=OuterRef(OuterRef("verdict")))
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    dawn = Value(datetime.datetime(1, 1, 2, tzinfo=datetime.UTC), output_field=models.DateTimeField())
    since = Coalesce(Subquery(other_since), dawn)
    return Subquery(
        records.filter(id=OuterRef("pk"), verdict=OuterRef("verdict"), history_date__gt=since)
        .order_by("history_date")
        .values("history_date")[:1]
    )


PUBLISHED_KEEPS_A_VERDICT = "A published claim keeps a verdict: unpublish it before clearing its verdict."


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
    quote = CanonicalTextField(help_text="The exact passage of the article that carries the claim.")
    # Where the quote stands in the article's text; empty when a change of the text lost it
    # (the claim is "orphaned" until an editor selects its passage again).
    quote_start = models.PositiveIntegerField(null=True, blank=True)
    quote_end = models.GeneratedField(
        expression=F("quote_start") + Length("quote"),
        output_field=models.PositiveIntegerField(null=True, blank=True),
        db_persist=True,
    )
    # A little of the text around the quote, to find it again when the text changes.
    quote_prefix = models.CharField(max_length=CONTEXT, blank=True, editable=False)
    quote_suffix = models.CharField(max_length=CONTEXT, blank=True, editable=False)
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
    # Set when an editor publishes the review: the claim's public page then carries its ClaimReview.
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["quote_end"])

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["article", "quote_start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(verdict__in=Verdict.values), name="claim_verdict_valid"),
            models.CheckConstraint(condition=~Q(quote=""), name="claim_quote_not_empty"),
            models.CheckConstraint(condition=~Q(quote__contains="\r"), name="claim_quote_line_breaks_lf"),
            models.CheckConstraint(condition=~Q(statement=""), name="claim_statement_not_empty"),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(verdict=Verdict.UNREVIEWED),
                name="claim_published_with_a_verdict",
                violation_error_message=PUBLISHED_KEEPS_A_VERDICT,
            ),
        ]
        indexes = [
            # The home page counts orphaned claims: a few rows in a small index, not a scan of them all.
            models.Index(fields=["id"], condition=Q(quote_start__isnull=True), name="claim_orphaned"),
            # The newest claims (home page, claim list), of all or of one verdict.
            models.Index(fields=["created_at", "id"], name="claim_newest"),
            models.Index(fields=["verdict", "created_at", "id"], name="claim_verdict_newest"),
            # A speaker's or an article's claim ids from the index alone (PostgreSQL; SQLite's indexes hold the id).
            models.Index(fields=["speaker", "id"], name="claim_speaker_ids"),
            models.Index(fields=["article", "id"], name="claim_article_ids"),
        ]

    def __str__(self):
        return self.statement if len(self.statement) <= 80 else self.statement[:79] + "…"

    def get_absolute_url(self):
        return reverse("claim_detail", args=[self.pk])

    @property
    def is_published(self):
        return self.published_at is not None

    def publish(self, *, by, seen_version):
        """Publish this claim's review on its public page (factcheck.claimreview), if nobody changed the
        claim since `seen_version` (else EditConflict). An unreviewed claim raises ValidationError."""
        self._check_publishing(seen_version, publish=True)
        self.published_at, self.published_by = timezone.now(), by
        self._save_publication(seen_version, by)

    def unpublish(self, *, by, seen_version):
        """Take this claim's review off its public page, if nobody changed the claim since `seen_version`."""
        self._check_publishing(seen_version, publish=False)
        self.published_at = self.published_by = None
        self._save_publication(seen_version, by)

    def _save_publication(self, seen_version, by):
        self._history_user = by
        with transaction.atomic():
            # Deleted by a colleague meanwhile: save_over would bring it back, published or not.
            if self.check_version(seen_version) is None:
                raise Claim.DoesNotExist("A colleague has just deleted this claim.")
            self.save_over(seen_version)

    def _check_publishing(self, seen_version, *, publish):
        if self.version != seen_version:
            # This claim, read before, is newer than what the editor saw: saving it again would be blind.
            raise EditConflict(self)
        if publish and self.verdict == Verdict.UNREVIEWED:
            raise ValidationError("An unreviewed claim has nothing to publish: give it a verdict first.")
        if publish and self.is_published:
            raise ValidationError("This review is already published.")
        if not publish and not self.is_published:
            raise ValidationError("This review is not published.")

    @property
    def is_orphaned(self):
        return self.quote_start is None

    def place_quote(self, quote, start=None):
        """The one rule for anchoring a claim on a passage of its article: the passage as typed,
        pasted or selected (line breaks made canonical, outer whitespace dropped), at `start` when
        the text has it there, else at its only occurrence. Raises ValidationError on "quote"."""
        quote = canonical(quote).strip()
        body = self.article.body
        if not quote:
            raise ValidationError({"quote": "Select or paste the passage of the article that carries the claim."})
        if start is None or body[start : start + len(quote)] != quote:
            occurrences = body.count(quote)
            if occurrences == 0:
                raise ValidationError({"quote": "This passage does not appear in the article."})
            if occurrences > 1:
                raise ValidationError(
                    {
                        "quote": f"This passage appears {occurrences} times in the article: select the one you mean "
                        "in the text, or quote a longer passage."
                    }
                )
            start = body.index(quote)
        self.quote = quote
        self.anchor_at(start)

    def anchor_at(self, start):
        """Anchor the quote at `start` in the article's text (None: orphaned), with its context.
        Returns whether anything changed."""
        before = (self.quote_start, self.quote_prefix, self.quote_suffix)
        self.quote_start = start
        if start is not None:
            self.quote_prefix, self.quote_suffix = context_around(self.article.body, start, start + len(self.quote))
        return (self.quote_start, self.quote_prefix, self.quote_suffix) != before

    def find_again(self):
        """Re-anchor an orphaned claim if its quote is back in the text (after a revert, say)."""
        return self.anchor_at(
            find(self.article.body, self.quote, prefix=self.quote_prefix, suffix=self.quote_suffix, near=None)
        )

    def anchor_problem(self):
        """What is wrong with this claim's anchor, in words, or None when its quote stands at its offsets."""
        if self.quote_start is None:
            return "orphaned: its quote is no longer in the article's text"
        if self.article.body[self.quote_start : self.quote_start + len(self.quote)] != self.quote:
            return f"its quote is not at characters {self.quote_start}-{self.quote_start + len(self.quote)}"
        return None

    def in_paragraph(self):
        """The quote's paragraph, as (text before, quote, text after)."""
        if self.quote_start is None:
            return "", self.quote, ""
        body = self.article.body
        end = self.quote_start + len(self.quote)
        start = body.rfind("\n", 0, self.quote_start) + 1
        stop = body.find("\n", end)
        stop = len(body) if stop == -1 else stop
        return body[start : self.quote_start], self.quote, body[end:stop]

    def link_candidates(self, query, *, also=None, limit=10):
        """Up to `limit` other claims matching a search as typed, best first (plus the one chosen,
        `also`), leaving out this one and those already linked to it."""
        from .links import ClaimLink

        others = (
            Claim.objects.for_list()
            .exclude(pk=self.pk)
            .exclude(pk__in=ClaimLink.objects.filter(from_claim=self).values("to_claim"))
            .exclude(pk__in=ClaimLink.objects.filter(to_claim=self).values("from_claim"))
        )
        found = list(others.search(query, prefix=True, by_names=True, within_filters=False)[:limit]) if query else []
        if also and all(claim.pk != also for claim in found):
            found[:0] = others.filter(pk=also)
        return found

    def link(self, other, kind, *, by=None, reason=""):
        """The one way a link is made (pages, admin, seed, API): symmetric kinds are stored in
        one canonical order; a broken rule raises ValidationError; the same link made by a
        colleague at the same instant raises LinkExists carrying theirs."""
        from .links import ClaimLink, LinkExists

        link = ClaimLink(from_claim=self, to_claim=other, kind=kind, reason=reason, created_by=by)
        link.full_clean()
        link._history_user = by
        try:
            with transaction.atomic():
                link.save()
        except IntegrityError as error:
            existing = ClaimLink.objects.filter(
                from_claim=link.from_claim, to_claim=link.to_claim, kind=link.kind
            ).first()
            if existing is None:
                raise
            raise LinkExists(existing) from error
        return link

    @classmethod
    def create_in(cls, article_id, **fields):
        """Add a claim (its fields validated by the caller's form) to an article, the article locked
        meanwhile, so that a colleague deleting it cannot leave the claim without its article:
        then Article.DoesNotExist. The quote is placed on the article's text as it is now."""
        quote, start = fields.pop("quote"), fields.pop("quote_start", None)
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=article_id)
            claim = cls(article=article, **fields)
            claim.place_quote(quote, start)
            claim.save()
        return claim
