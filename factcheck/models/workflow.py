"""The team's review workflow: a review status, an assignee and a due date on claims and links, and the
notifications that tell colleagues what changed on their work (in the app, and by e-mail)."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, mailers
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

logger = logging.getLogger(__name__)


class ReviewStatus(models.TextChoices):
    TO_CHECK = "to_check", "To check"
    IN_REVIEW = "in_review", "In review"
    REVIEWED = "reviewed", "Reviewed"
    # A claim whose review is on its public page (Claim.publish); links are never published.
    PUBLISHED = "published", "Published"


class Reviewable(models.Model):
    """Where a claim or a link is in the team's review, who has it, and by when. Changed through `assign()`
    and `move()`, versioned like every edit, each telling whoever it concerns."""

    ReviewStatus = ReviewStatus

    review_status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.TO_CHECK)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_%(class)ss",
        help_text="Who reviews it.",
    )
    due_on = models.DateField("due", null=True, blank=True, help_text="When the review should be done.")

    class Meta:
        abstract = True

    def owners(self):
        """Whose work this is, as user ids: who made it and who has it now (no query)."""
        return [pk for pk in (self.created_by_id, self.assignee_id) if pk is not None]

    def noun(self):
        return self._meta.verbose_name

    def assign(self, assignee, *, due_on=None, by=None, seen_version):
        """Hand the review to `assignee` (None: nobody) by `due_on`; the new assignee is told."""
        before = self.assignee_id
        self.assignee, self.due_on = assignee, due_on
        self._history_user = by
        with transaction.atomic():
            self.save_over(seen_version)
            if assignee is not None and assignee.pk != before:
                due = f", due {due_on.day} {due_on:%B %Y}" if due_on else ""
                Notification.send(
                    [assignee.pk],
                    Notification.Verb.ASSIGNED,
                    about=self,
                    by=by,
                    says=f"assigned you the {self.noun()} “{short(self)}”{due}",
                )

    def move(self, status, *, by=None, seen_version):
        """Move the review to another column of the board (versioned: EditConflict if a colleague moved it)."""
        if status not in ReviewStatus.values:
            raise ValidationError({"review_status": "Choose one of the board's columns."})
        if status == ReviewStatus.PUBLISHED:
            raise ValidationError({"review_status": f"A {self.noun()} is not published: only a claim's review is."})
        self.review_status = status
        self._history_user = by
        self.save_over(seen_version)


class NotificationQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("actor", "claim", "link").order_by("-created_at", "-pk")

    def unread(self):
        return self.filter(read_at__isnull=True)


class NotificationVerb(models.TextChoices):
    ASSIGNED = "assigned", "assigned you"
    LINKED = "linked", "linked"
    COMMENTED = "commented", "commented on"
    VERDICT = "verdict", "changed the verdict of"


class Notification(models.Model):
    """Something a colleague did to your work: you were assigned, or someone linked, commented on or changed the
    verdict of your claim (or link)."""

    Verb = NotificationVerb

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=20, choices=NotificationVerb.choices)
    claim = models.ForeignKey(
        "factcheck.Claim", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    link = models.ForeignKey(
        "factcheck.ClaimLink", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(verb__in=NotificationVerb.values), name="notification_verb_valid"),
            models.CheckConstraint(
                condition=Q(claim__isnull=False) | Q(link__isnull=False), name="notification_about_something"
            ),
        ]
        indexes = [
            # The header's unread count: a few rows of one user in a small index.
            models.Index(fields=["recipient", "id"], condition=Q(read_at__isnull=True), name="notification_unread"),
            models.Index(fields=["recipient", "created_at", "id"], name="notification_newest"),
        ]

    def __str__(self):
        return self.message

    def get_absolute_url(self):
        return (self.link or self.claim).get_absolute_url()

    @classmethod
    def send(cls, recipients, verb, *, about, by=None, says):
        """Tell `recipients` (user ids; never the one who did it, each once) that `by` `says` ("linked your claim …")
        about `about`, a claim or a link: a notification in the app, and an e-mail to those with an address once
        the change is committed. Nobody to tell costs no query."""
        on = {"link": about} if about._meta.model_name == "claimlink" else {"claim": about}
        who = (by.get_full_name() or by.get_username()) if by is not None else "Someone"
        message = f"{who} {says}"[:500]
        ids = [pk for pk in dict.fromkeys(recipients) if pk is not None and (by is None or pk != by.pk)]
        if not ids:
            return []
        made = cls.objects.bulk_create(cls(recipient_id=pk, actor=by, verb=verb, message=message, **on) for pk in ids)
        transaction.on_commit(lambda: cls.email_each([n.pk for n in made]))
        return made

    @classmethod
    def email_each(cls, pks):
        """These notifications by e-mail, through Django's mail settings; a recipient without an address gets none."""
        site = settings.FACTCHECK_SITE_URL.rstrip("/")
        messages = []
        for notification in (
            cls.objects.filter(pk__in=pks).exclude(recipient__email="").select_related("recipient", "claim", "link")
        ):
            url = f"\n\n{site}{notification.get_absolute_url()}" if site else ""
            subject = f"[factcheck] {notification.message}"
            messages.append(
                EmailMessage(
                    subject if len(subject) <= 150 else subject[:149] + "…",
                    f"{notification.message}{url}\n",
                    None,
                    [notification.recipient.email],
                )
            )
        if messages:
            # The change is saved whatever the mail server says: a failure is logged, never shown as an error.
            try:
                mailers.default.send_messages(messages)
            except OSError:
                logger.exception("Could not e-mail %d notification(s)", len(messages))

    @classmethod
    def mark_read(cls, user, pks=None):
        """Mark `user`'s unread notifications (those of `pks`, or all) read; returns how many."""
        rows = cls.objects.filter(recipient=user).unread()
        if pks is not None:
            rows = rows.filter(pk__in=pks)
        return rows.update(read_at=timezone.now())


def acting_user(obj):
    """Who is making this change: the user its history record names, or the request's (as simple_history finds
    it, for the pages and the admin that save without naming one)."""
    user = getattr(obj, "_history_user", None)
    if user is None:
        request = getattr(HistoricalRecords.context, "request", None)
        user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def short(about, limit=80):
    text = str(about)
    return text if len(text) <= limit else text[: limit - 1] + "…"
