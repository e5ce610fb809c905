from django.conf import settings
from django.db import models
from django.db.models import Q


class FetchStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be fetched"
    FETCHING = "fetching", "Fetching the page"
    EXTRACTING = "extracting", "Finding the article in the page"
    READY = "ready", "Ready to check"
    FAILED = "failed", "Failed"
    SAVED = "saved", "Saved as an article"


class ArticleFetchQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(requested_by=user)


class ArticleFetch(models.Model):
    """A web page an editor asked for, fetched in the background: its HTML kept as the snapshot of
    what was read, the article's text and metadata as extracted, for the editor to check before saving."""

    Status = FetchStatus

    url = models.URLField("URL", max_length=2000)
    status = models.CharField(max_length=20, choices=FetchStatus.choices, default=FetchStatus.QUEUED)
    error = models.TextField(blank=True, help_text="Why the fetch failed, in words an editor understands.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task_id = models.CharField(max_length=64, blank=True)
    # What was fetched: the address after redirects, the type the server gave, the page as received.
    final_url = models.URLField("final URL", max_length=2000, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    snapshot = models.TextField(blank=True, help_text="The fetched HTML, as received.")
    # What the extraction found, the editor's starting point.
    title = models.CharField(max_length=300, blank=True)
    author = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    site_name = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    # The article saved from it; its snapshot stays here.
    article = models.ForeignKey(
        "factcheck.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="fetches"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleFetchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "fetched page"
        constraints = [
            models.CheckConstraint(condition=Q(status__in=FetchStatus.values), name="fetch_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=FetchStatus.FAILED) | ~Q(error=""), name="fetch_failure_says_why"
            ),
        ]

    def __str__(self):
        return self.url
