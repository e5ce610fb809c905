import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, OuterRef, Prefetch, Q, StringAgg, Subquery, Value
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
from .workflow import Notification, Reviewable, ReviewStatus, acting_user, short


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

    def for_export(self):
        """With what an export adds to a claim's row, in the same query: its event, assignee and `tag_names`
        (separated by TAG_SEPARATOR, in no order: SQLite orders no aggregate)."""
        from .stories import ClaimTag

        names = (
            ClaimTag.objects.filter(claim=OuterRef("pk"))
            .order_by()
            .values("claim")
            .annotate(names=StringAgg("tag__name", Value(TAG_SEPARATOR)))
            .values("names")
        )
        return self.select_related("event", "assignee").annotate(tag_names=Subquery(names))

    def with_chain(self):
        """With their attribution chains (`claim.chain()`, `speakers()`, `chain_line()`) in two more queries,
        whatever the chains' lengths. The outlet that ends a chain comes with `for_list()` or `for_detail()`."""
        from .chains import CoSpeaker, Relay

        return self.prefetch_related(
            Prefetch("relays", Relay.objects.in_order().defer("article__body")),
            Prefetch("co_speaker_rows", CoSpeaker.objects.select_related("source").order_by("pk")),
        )

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


# Between the tag names of one claim read in one column (a character no name holds).
TAG_SEPARATOR = "\x1f"


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
NOT_CHECKABLE_HAS_NO_RATING = (
    "A claim that is not checkable has no rating to publish: a published review rates a factual statement."
)


class Verdict(models.TextChoices):
    UNREVIEWED = "unreviewed", "Unreviewed"
    ACCURATE = "accurate", "Accurate"
    MOSTLY_ACCURATE = "mostly_accurate", "Mostly accurate"
    MISLEADING = "misleading", "Misleading"
    FALSE = "false", "False"
    UNPROVEN = "unproven", "Unproven"
    # An opinion, a prediction, a label: nothing to check it against. Settled, not waiting for review.
    NOT_CHECKABLE = "not_checkable", "Not checkable"


# The verdicts that still wait for a fact-checker.
WAITING_VERDICTS = (Verdict.UNREVIEWED,)

# The change reason of a claim's history record written by `set_chain`, before the new chain's line.
CHAIN_CHANGED = "attribution chain: "


class ClaimKind(models.TextChoices):
    FACT = "fact", "Factual statement"
    OPINION = "opinion", "Opinion or judgement"
    PREDICTION = "prediction", "Prediction"
    COUNTERFACTUAL = "counterfactual", "Counterfactual"
    LABEL = "label", "Label or framing"


class DatePrecision(models.TextChoices):
    DAY = "day", "On that day"
    MONTH = "month", "In that month"
    YEAR = "year", "In that year"
    RANGE = "range", "Between two dates"


class Claim(Reviewable, Versioned):
    Verdict = Verdict
    Kind = ClaimKind
    DatePrecision = DatePrecision
    WAITING_VERDICTS = WAITING_VERDICTS

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    # The claim's number in its article, given once when it is made: a claim added earlier in the text
    # takes the next number and renumbers nobody (colleagues' "claim 4" stays claim 4).
    number = models.PositiveIntegerField(editable=False)
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
    co_speakers = models.ManyToManyField(
        Source,
        through="CoSpeaker",
        blank=True,
        related_name="co_claims",
        help_text="Others reported as saying it too, beside the speaker (e.g. two anonymous sources).",
    )
    kind = models.CharField(max_length=20, choices=ClaimKind.choices, default=ClaimKind.FACT)
    hedge = models.CharField(
        max_length=100,
        blank=True,
        help_text='The hedge the quote puts on it, kept: "reportedly", "presumably", "many believed".',
    )
    claimed_on = models.DateField("claimed on", null=True, blank=True)
    claimed_on_precision = models.CharField(
        "date precision", max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    claimed_until = models.DateField(
        "claimed until", null=True, blank=True, help_text="The end of the range, when the date is a range."
    )
    claimed_on_basis = models.CharField(
        "date from", max_length=500, blank=True, help_text="The words of the text that give the date."
    )
    event = models.ForeignKey(
        "factcheck.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims",
        help_text="The event of one of the article's stories that the claim is about.",
    )
    tags = models.ManyToManyField("factcheck.Tag", through="factcheck.ClaimTag", blank=True, related_name="claims")
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
            models.CheckConstraint(condition=Q(kind__in=ClaimKind.values), name="claim_kind_valid"),
            models.CheckConstraint(
                condition=Q(claimed_on_precision__in=DatePrecision.values), name="claim_date_precision_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(claimed_on_precision=DatePrecision.RANGE)
                    & Q(claimed_on__isnull=False)
                    & Q(claimed_until__isnull=False)
                    & Q(claimed_until__gte=F("claimed_on"))
                )
                | (~Q(claimed_on_precision=DatePrecision.RANGE) & Q(claimed_until__isnull=True)),
                name="claim_range_has_its_end",
                violation_error_message="A range of dates needs its first and last day, the last not before the first.",
            ),
            models.CheckConstraint(
                condition=~Q(verdict=Verdict.NOT_CHECKABLE) | ~Q(kind=ClaimKind.FACT),
                name="claim_facts_are_checkable",
                violation_error_message="A factual statement can be checked: give it a verdict, or change its kind.",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(verdict=Verdict.UNREVIEWED),
                name="claim_published_with_a_verdict",
                violation_error_message=PUBLISHED_KEEPS_A_VERDICT,
            ),
            models.UniqueConstraint(
                fields=["article", "number"],
                name="claim_number_unique_in_article",
                violation_error_message="Another claim of this article has this number.",
            ),
            models.CheckConstraint(
                condition=Q(review_status__in=ReviewStatus.values), name="claim_review_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(review_status=ReviewStatus.PUBLISHED) & Q(published_at__isnull=False))
                | (~Q(review_status=ReviewStatus.PUBLISHED) & Q(published_at__isnull=True)),
                name="claim_published_on_the_board",
                violation_error_message="A claim is in the published column when, and only when, its review is "
                "published.",
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
            # A story's board and a colleague's work, column by column.
            models.Index(fields=["assignee", "review_status", "id"], name="claim_assignee_status"),
            models.Index(fields=["event", "id"], name="claim_event_ids"),
        ]

    def __str__(self):
        return self.statement if len(self.statement) <= 80 else self.statement[:79] + "…"

    def get_absolute_url(self):
        return reverse("claim_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        # Every way a claim is made (pages, admin, importer, API, seed) comes through here: the number is the
        # article's next one. Claims are added with their article's row locked (create_in), so two colleagues
        # adding at once wait for each other; the unique constraint catches any other path.
        if self.number is None and self.article_id is not None:
            last = Claim.objects.filter(article_id=self.article_id).aggregate(last=models.Max("number"))["last"]
            self.number = (last or 0) + 1
        super().save(*args, **kwargs)

    def validate_constraints(self, exclude=None):
        # What holds by construction is not asked of the database (three round trips each): the number is given
        # once, by save(); a review status that agrees with the publication, as publish() and move() keep it.
        exclude = {*(exclude or ()), "number"}
        if self.review_status in ReviewStatus.values and (self.review_status == ReviewStatus.PUBLISHED) == (
            self.published_at is not None
        ):
            exclude.add("review_status")
        super().validate_constraints(exclude=exclude)

    def after_save_over(self, previous):
        if previous is not None and previous.verdict != self.verdict:
            Notification.send(
                self.owners(),
                Notification.Verb.VERDICT,
                about=self,
                by=acting_user(self),
                says=f"changed the verdict of your claim “{short(self)}”: {previous.get_verdict_display()} → "
                f"{self.get_verdict_display()}",
            )

    def move(self, status, *, by=None, seen_version):
        """Move the claim on its story's board; into "published" publishes its review, out of it unpublishes."""
        if status == ReviewStatus.PUBLISHED and not self.is_published:
            return self.publish(by=by, seen_version=seen_version)
        if self.is_published and status != ReviewStatus.PUBLISHED:
            # Unpublished and moved on together, or neither.
            with transaction.atomic():
                self.unpublish(by=by, seen_version=seen_version)
                if status != ReviewStatus.REVIEWED:
                    super().move(status, by=by, seen_version=self.version)
            return None
        return super().move(status, by=by, seen_version=seen_version)

    @property
    def is_published(self):
        return self.published_at is not None

    def publish(self, *, by, seen_version):
        """Publish this claim's review on its public page (factcheck.claimreview), if nobody changed the
        claim since `seen_version` (else EditConflict). An unreviewed claim raises ValidationError."""
        self._check_publishing(seen_version, publish=True)
        self.published_at, self.published_by = timezone.now(), by
        self.review_status = ReviewStatus.PUBLISHED
        self._save_publication(seen_version, by)

    def unpublish(self, *, by, seen_version):
        """Take this claim's review off its public page, if nobody changed the claim since `seen_version`."""
        self._check_publishing(seen_version, publish=False)
        self.published_at = self.published_by = None
        self.review_status = ReviewStatus.REVIEWED
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
        if publish and self.verdict == Verdict.NOT_CHECKABLE:
            raise ValidationError(NOT_CHECKABLE_HAS_NO_RATING)
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

    def chain(self):
        """The hops of this claim's attribution chain, in order from its original speaker(s) to its article
        (read with the claim when it comes from `Claim.objects.with_chain()`)."""
        if "relays" in getattr(self, "_prefetched_objects_cache", {}):
            return list(self.relays.all())
        return list(self.relays.in_order())

    def speakers(self):
        """The original speaker(s): the speaker, then the co-speakers in the order they were added."""
        rows = self.co_speaker_rows.all()
        if "co_speaker_rows" not in getattr(self, "_prefetched_objects_cache", {}):
            rows = rows.select_related("source")
        return [self.speaker, *(row.source for row in rows)]

    def chain_line(self, hops=None, speakers=None):
        """The chain as one readable line: "Alejandro (anonymous) → The Daily Beast → GPA"."""

        def named(source):
            return f"{source.name} (anonymous)" if source.kind == Source.Kind.ANONYMOUS else source.name

        hops = self.chain() if hops is None else hops
        speakers = speakers or self.speakers()
        steps = [" and ".join(named(source) for source in speakers)]
        steps += [named(hop.source) for hop in hops]
        outlet = self.article.outlet
        last = hops[-1].source_id if hops else None
        if outlet is not None and outlet.pk != last and not (not hops and outlet.pk in {s.pk for s in speakers}):
            steps.append(named(outlet))
        return " → ".join(steps)

    def set_chain(self, co_speakers, hops, *, by=None, seen_version):
        """The one way a claim's provenance is written (pages, admin, seed, API): its other original speakers and
        the hops that passed it on, each a dict of source, manner, reason, url, article, in order from the
        original towards the article. Checked whole, then written as one versioned change of the claim:
        ValidationError ({"chain": [...]}) or EditConflict, and nothing written."""
        from .chains import CHANGED_MANNERS, CoSpeaker, Relay

        co_speakers = [s for s in dict.fromkeys(co_speakers) if s.pk != self.speaker_id]
        originals = {self.speaker_id, *(s.pk for s in co_speakers)}
        problems, relays = [], []
        previous = None
        for number, hop in enumerate(hops, start=1):
            source = hop.get("source")
            fields = {
                "source": source,
                "manner": hop.get("manner") or Relay.Manner.UNKNOWN,
                "reason": (hop.get("reason") or "").strip(),
                "url": (hop.get("url") or "").strip(),
                "article": hop.get("article"),
            }
            relays.append(fields)
            if source is None:
                problems.append(f"Hop {number}: say who passed the claim on.")
                continue
            if number == 1 and source.pk in originals:
                problems.append(f"Hop {number}: {source} is an original speaker; a hop is whoever passed it on next.")
            elif previous is not None and source.pk == previous.pk:
                problems.append(f"Hop {number}: {source} passes the claim on to itself (twice in a row).")
            previous = source
            if fields["manner"] in CHANGED_MANNERS and not fields["reason"]:
                problems.append(f"Hop {number}: say how {source} changed the claim ({fields['manner']}).")
                continue
            try:
                Relay(claim=self, position=number, **fields).full_clean(exclude=["claim"], validate_unique=False)
            except ValidationError as error:
                problems += [f"Hop {number}: {message}" for message in error.messages]
        if problems:
            raise ValidationError({"chain": problems})
        with transaction.atomic():
            self._history_user = by
            # The history record's reason holds the new line (at most 100 characters there).
            line = CHAIN_CHANGED + self.chain_line([Relay(**fields) for fields in relays], [self.speaker, *co_speakers])
            self._change_reason = line if len(line) <= 100 else line[:99] + "…"
            try:
                self.save_over(seen_version)
            finally:
                del self._change_reason
            stored = {relay.position: relay for relay in self.relays.all()}
            for position, fields in enumerate(relays, start=1):
                relay = stored.pop(position, None) or Relay(claim=self, position=position)
                ids = {"source_id": fields["source"].pk, "article_id": fields["article"] and fields["article"].pk}
                same = all(getattr(relay, name) == value for name, value in ids.items()) and all(
                    getattr(relay, name) == fields[name] for name in ("manner", "reason", "url")
                )
                if relay.pk is None or not same:
                    for name, value in fields.items():
                        setattr(relay, name, value)
                    relay._history_user = by
                    relay.save()
            for relay in stored.values():
                relay._history_user = by
                relay.delete()
            kept = {row.source_id: row for row in CoSpeaker.objects.filter(claim=self)}
            for source in co_speakers:
                if kept.pop(source.pk, None) is None:
                    row = CoSpeaker(claim=self, source=source)
                    row._history_user = by
                    row.save()
            for row in kept.values():
                row._history_user = by
                row.delete()
        # What was read with the claim is stale now.
        for name in ("relays", "co_speaker_rows"):
            getattr(self, "_prefetched_objects_cache", {}).pop(name, None)

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
        Notification.send(
            [*self.owners(), *other.owners()],
            Notification.Verb.LINKED,
            about=link,
            by=by,
            says=f"linked your claim: “{short(self, 60)}” {link.get_kind_display().lower()} “{short(other, 60)}”",
        )
        return link

    def corroboration(self):
        """How many independent original sources support this claim, and how many supporting claims are echoes
        of one (factcheck.models.corroboration): a Corroboration, read in three queries."""
        from .corroboration import corroboration_of

        return corroboration_of(self)

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
