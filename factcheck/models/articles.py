import hashlib

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.db.models.functions import SHA256
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .. import search
from ..anchoring import Reanchoring
from ..text import canonical
from .counting import count_of
from .sources import Source
from .text_fields import CanonicalTextField
from .versioning import Versioned


class ArticleExists(Exception):
    """The text, or the URL, is already recorded as `article`."""

    def __init__(self, article, what):
        super().__init__(f"{what} already recorded as article {article.pk}")
        self.article = article
        self.what = what  # "text" or "URL"


class ArticleQuerySet(models.QuerySet):
    def for_list(self):
        return (
            self.select_related("outlet")
            # Counted for the rows shown only, not grouped over every claim of every article.
            .annotate(claim_count=count_of("factcheck.Claim", "article"))
            .defer("body")
            .order_by("-published_on", "-created_at", "-pk")
        )

    def search(self, text):
        """Articles whose title, author or text match `text` (web-search syntax), best first."""
        return search.matching(self, "article", text)

    def sharing_text_with(self, text, *, at_least=0.5, limit=3):
        """The articles `text` may republish: those holding at least `at_least` of its text (its paragraphs,
        counted in characters), most shared first, at most `limit`, each with its `shared` fraction.

        Cheap with any number of articles: the three longest paragraphs of `text` (long ones are the
        distinctive ones; a dateline or "Read more" is not) give a phrase of ten words each, looked up
        in the full-text index in one query (an index lookup, not a read of every text). Only the few
        articles found are read, and in each the paragraphs of `text` that it holds are measured."""
        paragraphs = [p for p in dict.fromkeys(" ".join(line.split()) for line in text.splitlines()) if p]
        total = sum(map(len, paragraphs))
        long_ones = sorted((p for p in paragraphs if len(search.WORD.findall(p)) >= 8), key=len, reverse=True)[:3]
        if not long_ones:
            return []
        phrases = []
        for paragraph in long_ones:
            words = search.WORD.findall(paragraph)
            middle = len(words) // 2
            phrases.append('"' + " ".join(words[max(0, middle - 5) : middle + 5]) + '"')
        found = (
            self.search(" OR ".join(phrases))
            .select_related("outlet")
            .only("pk", "title", "body", "published_on", "outlet__name")[:10]
        )
        shared = []
        for article in found:
            held = "\n".join(" ".join(line.split()) for line in article.body.splitlines())
            article.shared = sum(len(p) for p in paragraphs if p in held) / total
            if article.shared >= at_least:
                shared.append(article)
        return sorted(shared, key=lambda article: -article.shared)[:limit]

    def for_detail(self):
        return self.select_related("outlet", "added_by")


class Article(Versioned):
    title = models.CharField(max_length=300)
    outlet = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="articles")
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField("URL", max_length=500, blank=True)
    published_on = models.DateField("published", null=True, blank=True)
    body = CanonicalTextField("text", help_text="The full text, kept exactly as imported.")
    # Computed by the database, so the same text can never be stored twice,
    # whichever way it arrives (importer, admin, pages).
    content_hash = models.GeneratedField(
        expression=SHA256("body"),
        output_field=models.CharField(max_length=64),
        db_persist=True,
        unique=True,
    )
    republished_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="republications",
        help_text="The article this one republishes, most of its text shared.",
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
            models.CheckConstraint(condition=~Q(body__contains="\r"), name="article_body_line_breaks_lf"),
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
            models.CheckConstraint(
                condition=~Q(republished_from=F("pk")),
                name="article_not_republished_from_itself",
                violation_error_message="An article cannot be a republication of itself.",
            ),
        ]
        indexes = [models.Index(fields=["published_on", "created_at", "id"], name="article_list_order")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("article_detail", args=[self.pk])

    @classmethod
    def add(cls, *, by=None, **fields):
        """The one way a new article is recorded (the new-article page, the API, the importer): the text
        with canonical line breaks; a rule broken raises ValidationError; the same text or URL already
        recorded, by anyone, even a colleague at the same instant, raises ArticleExists carrying theirs."""
        article = cls(added_by=by, **fields)
        article.body = canonical(article.body)
        article.full_clean(exclude=["content_hash"], validate_unique=False, validate_constraints=False)
        article._history_user = by
        try:
            with transaction.atomic():
                article.save()
        except IntegrityError:
            existing = article.recorded_twin()
            if existing is None:
                article.validate_constraints(exclude=["content_hash"])
                raise
            raise ArticleExists(*existing) from None
        return article

    def recorded_twin(self):
        """(article, "text" or "URL") already recorded with this article's text or URL, or None."""
        digest = hashlib.sha256(canonical(self.body).encode()).hexdigest()
        same_text = Article.objects.exclude(pk=self.pk).filter(content_hash=digest).first()
        if same_text:
            return same_text, "text"
        same_url = Article.objects.exclude(pk=self.pk).filter(url=self.url).first() if self.url else None
        return (same_url, "URL") if same_url else None

    def reanchoring(self, old_body):
        """Each claim of this article, with where its quote will stand once the text
        changes from `old_body` to this article's body."""
        moves = Reanchoring(old_body, self.body)
        return [
            (claim, moves.place(claim.quote, claim.quote_start, prefix=claim.quote_prefix, suffix=claim.quote_suffix))
            for claim in self.claims.select_related("speaker").order_by("quote_start", "pk")
        ]

    def reanchor_claims(self, old_body):
        """After the text changed from `old_body`: every claim kept where its quote still stands,
        else found again by quote and context, else orphaned. Returns the claims that changed."""
        changed = []
        for claim, placement in self.reanchoring(old_body):
            claim.article = self
            if claim.anchor_at(placement.start):
                claim.save()
                changed.append(claim)
        return changed

    def after_save_over(self, previous):
        if previous is not None and previous.body != self.body:
            self.reanchor_claims(previous.body)

    def highlighted(self, claims):
        """Split the body into segments for display: each with the claim it belongs to
        (the innermost, where quotes overlap) and the claims whose quote ends there.
        Linear in the text and the claims (overlaps are few)."""
        placed = sorted((c for c in claims if c.quote_start is not None), key=lambda c: (c.quote_start, c.pk))
        ends = {}
        for claim in placed:
            ends.setdefault(claim.quote_end, []).append(claim)
        bounds = sorted({0, len(self.body)} | {c.quote_start for c in placed} | set(ends))
        segments, active, next_claim = [], [], 0
        for start, end in zip(bounds, bounds[1:], strict=False):
            while next_claim < len(placed) and placed[next_claim].quote_start == start:
                active.append(placed[next_claim])
                next_claim += 1
            if any(c.quote_end <= start for c in active):
                active = [c for c in active if c.quote_end > start]
            innermost = max(active, key=lambda c: (c.quote_start, -c.quote_end), default=None)
            segments.append({"text": self.body[start:end], "claim": innermost, "ending": ends.get(end, [])})
        return segments
