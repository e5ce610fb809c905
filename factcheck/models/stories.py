"""Stories gather articles and their claims; events scope a story's claims in time; tags label claims."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from .articles import Article
from .counting import count_of
from .versioning import Versioned


class StoryQuerySet(models.QuerySet):
    def for_list(self):
        return self.annotate(article_count=count_of("factcheck.StoryArticle", "story")).order_by("title", "pk")

    def for_detail(self):
        return self.select_related("created_by")


class Story(Versioned):
    """A running story ("Venezuela coup plots, 2018-19"): the articles that report it, and so their claims.
    An article may belong to several stories."""

    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="What the story is about, in a sentence or two.")
    articles = models.ManyToManyField(Article, through="StoryArticle", blank=True, related_name="stories")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("title"), name="story_title_unique", violation_error_message="A story with this title exists."
            ),
            models.CheckConstraint(condition=~Q(title=""), name="story_title_not_empty"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("story_detail", args=[self.pk])

    def claims(self):
        """The claims of the story's articles."""
        from .claims import Claim

        return Claim.objects.filter(article__in=self.story_articles.values("article"))

    def links(self):
        """The links between two claims of the story (both ends in it)."""
        from .links import ClaimLink

        claims = self.claims().values("pk")
        return ClaimLink.objects.filter(from_claim__in=claims, to_claim__in=claims)

    def add_article(self, article, *, by=None):
        """Put `article` in the story (its claims with it); an article already in stays as it is. Returns the
        membership and whether it is new."""
        membership = StoryArticle(story=self, article=article, added_by=by)
        membership._history_user = by
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError:
            # In already (a colleague added it at the same instant), or the article or story was just deleted.
            existing = StoryArticle.objects.filter(story=self, article=article).first()
            if existing is None:
                raise ValidationError("A colleague has just deleted this article or story.") from None
            return existing, False
        return membership, True

    def remove_article(self, article, *, by=None):
        """Take `article` out of the story. Its claims scoped to one of the story's events lose that event: an
        event scopes only the claims of its story's articles. Returns whether the article was in the story."""
        from .claims import Claim

        with transaction.atomic():
            memberships = list(StoryArticle.objects.select_for_update().filter(story=self, article=article))
            for membership in memberships:
                membership._history_user = by
                membership.delete()
            for claim in Claim.objects.filter(article=article, event__story=self):
                claim.event = None
                claim._history_user = by
                claim.save_over(claim.version)
        return bool(memberships)

    @cached_property
    def dispute(self):
        """Who disputes whom in the story (factcheck.models.disputes.Dispute): its claims and links read once, in
        two queries, and kept with this instance for the graph, the camps, the matrix and the timeline."""
        from .disputes import Dispute

        return Dispute(self)

    def graph(self):
        return self.dispute.graph()

    def camps(self):
        return self.dispute.camps

    def source_matrix(self):
        return self.dispute.matrix()

    def timeline(self):
        return self.dispute.timeline()


class StoryArticle(models.Model):
    """An article in a story."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="story_articles")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="story_memberships")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["story", "article"]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "article"],
                name="story_article_once",
                violation_error_message="This article is in the story already.",
            ),
        ]
        indexes = [models.Index(fields=["article", "story"], name="story_article_by_article")]

    def __str__(self):
        return f"{self.article} in {self.story}"


class Event(Versioned):
    """A moment inside a story ("30 April uprising"): scopes the claims made about it, in time."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="events")
    name = models.CharField(max_length=200)
    starts_on = models.DateField("from", null=True, blank=True)
    ends_on = models.DateField("until", null=True, blank=True, help_text="Empty for an event of one day.")
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["story", F("starts_on").asc(nulls_last=True), "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                "story",
                Lower("name"),
                name="event_name_unique_in_story",
                violation_error_message="This story has an event of this name.",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="event_name_not_empty"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | (Q(starts_on__isnull=False) & Q(ends_on__gte=F("starts_on"))),
                name="event_ends_after_it_starts",
                violation_error_message="An event ends on or after the day it starts.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("story_detail", args=[self.story_id]) + f"#event-{self.pk}"


class Tag(models.Model):
    """A label on claims ("sanctions", "Russia"), shared by every story."""

    name = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="tag_name_unique", violation_error_message="This tag exists."),
            models.CheckConstraint(condition=~Q(name=""), name="tag_name_not_empty"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.name = " ".join(self.name.split())
        if not self.name:
            raise ValidationError({"name": "Give the tag a name."})

    @classmethod
    def named(cls, name):
        """The tag of this name, whatever its case ("russia" is "Russia"), made if there is none."""
        name = " ".join(name.split())
        tag = cls.objects.filter(name__iexact=name).first()
        if tag is not None:
            return tag
        tag = cls(name=name)
        tag.full_clean()
        try:
            with transaction.atomic():
                tag.save()
        except IntegrityError:
            # A colleague made it at the same instant.
            tag = cls.objects.filter(name__iexact=name).first()
            if tag is None:
                raise ValidationError({"tags": f"The tag “{name}” could not be made; try again."}) from None
        return tag


def tag_names(text):
    """The tags typed as a comma-separated list: spaces tidied, empty ones and repeats (in any case) dropped."""
    names = {}
    for typed in text.split(","):
        name = " ".join(typed.split())
        if name:
            names.setdefault(name.lower(), name)
    return list(names.values())


def set_scope(claim, event, names, *, by=None, seen_version):
    """The one writer of a claim's scope: its event (one of the events of its article's stories, or None) and its
    tags (by name, made when missing, reused whatever their case). Saved over `seen_version` (EditConflict if a
    colleague saved the claim since), the claim and its tags together or not at all."""
    if (
        event is not None
        and not Event.objects.filter(pk=event.pk, story__story_articles__article=claim.article_id).exists()
    ):
        raise ValidationError({"event": "Choose an event of a story this claim's article is in."})
    with transaction.atomic():
        claim.event = event
        claim._history_user = by
        claim.save_over(seen_version)
        tags = [Tag.named(name) for name in names]
        for row in ClaimTag.objects.filter(claim=claim).exclude(tag__in=tags):
            row._history_user = by
            row.delete()
        have = set(ClaimTag.objects.filter(claim=claim).values_list("tag_id", flat=True))
        for tag in tags:
            if tag.pk not in have:
                row = ClaimTag(claim=claim, tag=tag)
                row._history_user = by
                row.save()
                have.add(tag.pk)
    return tags


def with_scope(claims):
    """Claims with their event (and its story's id) and their tags, in one more query whatever their number."""
    return claims.select_related("event").prefetch_related(
        models.Prefetch("tags", Tag.objects.order_by(Lower("name"), "pk"))
    )


class ClaimTag(models.Model):
    """A tag on a claim."""

    claim = models.ForeignKey("factcheck.Claim", on_delete=models.CASCADE, related_name="claim_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="claim_tags")
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "tag"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "tag"], name="claim_tag_once", violation_error_message="The claim has this tag."
            ),
        ]
        indexes = [models.Index(fields=["tag", "claim"], name="claim_tag_by_tag")]

    def __str__(self):
        return f"{self.tag} on #{self.claim_id}"
