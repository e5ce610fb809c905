from contextlib import nullcontext

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .workflow import Notification, short


class CommentQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("author").order_by("created_at", "pk")


class Comment(models.Model):
    """Discussion on a claim or on a link, so a contested contradiction can be argued first."""

    claim = models.ForeignKey(
        "factcheck.Claim", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    link = models.ForeignKey(
        "factcheck.ClaimLink", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
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

    @classmethod
    def post(cls, target, body, *, by):
        """The one way a comment is posted on a claim or a link (pages, API). An empty or overlong
        comment raises ValidationError on "body"."""
        on = "link" if target._meta.model_name == "claimlink" else "claim"
        comment = cls(author=by, body=body.strip(), **{on: target})
        # The claim or link is at hand: only the text is checked, without a query.
        comment.clean_fields(exclude=["claim", "link", "author"])
        comment._history_user = by
        told = [pk for pk in target.owners() if by is None or pk != by.pk]
        # The comment and its notifications together; a comment nobody is told of needs no transaction.
        with transaction.atomic() if told else nullcontext():
            comment.save()
            noun = target._meta.verbose_name
            Notification.send(
                told,
                Notification.Verb.COMMENTED,
                about=target,
                by=by,
                says=f"commented on your {noun} “{short(target, 60)}”: “{short(comment.body, 120)}”",
            )
        return comment
