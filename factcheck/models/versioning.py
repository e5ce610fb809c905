from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

CONFLICT_MESSAGE = "Someone saved this while you were editing it. Open it again to see their changes, then make yours."


class EditConflict(Exception):
    """Saving over a version newer than the one the editor saw."""

    def __init__(self, current):
        super().__init__(f"{current} changed since it was opened")
        self.current = current


class Versioned(models.Model):
    """An object several editors may change: each save must name the version it started from.
    The pages, the admin and any later API all save through `save_over`."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def current_version(self):
        """The version stored now, or None for an object that is new or was deleted."""
        return type(self)._default_manager.filter(pk=self.pk).values_list("version", flat=True).first()

    def check_version(self, seen_version):
        """Lock this object's row (to the end of the transaction) and raise EditConflict, carrying
        the current state, if someone saved since `seen_version`. Returns the current state, or
        None for an object that was deleted (saving it restores it). The one version check."""
        current = type(self)._default_manager.select_for_update().filter(pk=self.pk).first()
        if current is not None and current.version != seen_version:
            raise EditConflict(current)
        return current

    def save_over(self, seen_version):
        """Save these changes if nobody saved since `seen_version`, else raise EditConflict. The row
        is locked from the check to the write, and uniqueness is checked inside that lock: a
        colleague's save of the same name at the same instant becomes a ValidationError, never a
        server error. Returns the state it replaced (None when restoring a deleted object)."""
        with transaction.atomic():
            current = self.check_version(seen_version)
            if current is not None:
                self.version = current.version + 1
            self.save_checked()
            self.after_save_over(current)
        return current

    def after_save_over(self, previous):
        """Hook for what must follow a change in the same transaction (re-anchoring quotes)."""

    def save_checked(self, **kwargs):
        """Save; a uniqueness rule broken by a colleague's concurrent write becomes the rule's message."""
        try:
            with transaction.atomic():
                self.save(**kwargs)
        except IntegrityError as error:
            try:
                self.validate_constraints()
            except ValidationError as broken:
                raise broken from error
            raise ValidationError(
                "This clashes with a change a colleague has just saved. Reload and try again."
            ) from error
