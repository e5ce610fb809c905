import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# Every key starts so, so that a key pasted where it should not be (a chat, a commit) is recognisable.
KEY_START = "fc_"
# How stale `last_used_at` may get: a script calling many times a second writes it once a minute, not each time.
USE_RECORDED_EVERY = timedelta(minutes=1)


def digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def for_key(self, key):
        """The active token of an active user with this key, with its user, or None."""
        if not key.startswith(KEY_START) or len(key) > 100:
            return None
        found = self.active().select_related("user").filter(key_hash=digest(key), user__is_active=True)
        return found.first()


class ApiToken(models.Model):
    """A key a user makes for scripts: it acts as that user, with that user's permissions.
    Only its SHA-256 is stored; the key itself is shown once, when made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. the script that uses it.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The key's first characters, so a user can tell their tokens apart.
    prefix = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="api_token_name_not_empty")]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name):
        """The one way a token is made (the tokens page, `manage.py api_token`): returns (token, key), the key
        to show once, never stored. A name missing or too long raises ValidationError on "name"."""
        key = KEY_START + secrets.token_urlsafe(32)
        token = cls(user=user, name=" ".join(name.split()), key_hash=digest(key), prefix=key[:10])
        token.full_clean(exclude=["user", "key_hash", "prefix"], validate_constraints=False)
        token.save()
        return token, key

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def revoke(self):
        """Revoke this token from now on (again: no change)."""
        ApiToken.objects.filter(pk=self.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())

    def record_use(self):
        """Note that the token was just used: one UPDATE at most once a minute, none in between."""
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= USE_RECORDED_EVERY:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
