from django import forms

from ..models import CONFLICT_MESSAGE, EditConflict

STALE_FORM = "This form lacks the version you started from: reload the page and make your change again."


class VersionedForm(forms.ModelForm):
    """An edit form that carries the version the editor started from: the pages and the admin
    both edit through one of these, and both save through the model's `save_over`."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": STALE_FORM, "invalid": STALE_FORM, "min_value": STALE_FORM},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["version"].required = False
        else:
            # The version stored now, not the instance's: a revert edits an old record.
            self.initial["version"] = self.instance.current_version() or self.instance.version

    def changed_fields(self, current):
        """The fields where what this editor typed differs from `current`, for the merge view."""
        rows = []
        for name in self.Meta.fields:
            field = self.instance._meta.get_field(name)
            mine, theirs = getattr(self.instance, name), getattr(current, name)
            if mine != theirs:
                rows.append(
                    {
                        "label": field.verbose_name,
                        "mine": _shown(self.instance, field),
                        "theirs": _shown(current, field),
                    }
                )
        return rows


class CheckedInFormMixin:
    """For a form saved inside a request-long transaction (the admin's): the version is checked,
    and the row locked, as the form is validated, so the error shows in the form itself."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and "version" in cleaned:
            try:
                self.instance.check_version(cleaned["version"])
            except EditConflict:
                raise forms.ValidationError(CONFLICT_MESSAGE, code="stale") from None
        return cleaned


def _shown(obj, field):
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    value = getattr(obj, field.name)
    return "" if value is None else str(value)
