from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from ..models import ReviewStatus
from .versioning import STALE_FORM


def reviewers(also=None):
    """The colleagues a review may be handed to: those who may edit (the Editors group and superusers), active;
    `also` (the present assignee, a user id) is kept even if they no longer may."""
    may_edit = Q(groups__name="Editors") | Q(is_superuser=True)
    if also:
        may_edit |= Q(pk=also)
    return get_user_model().objects.filter(may_edit, is_active=True).distinct().order_by("username")


def name_of(user):
    return user.get_full_name() or user.get_username()


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        full = user.get_full_name()
        return f"{full} ({user.get_username()})" if full else user.get_username()


def statuses_for(item):
    """The board's columns a claim or a link may go to: links are never published."""
    if item._meta.model_name == "claimlink":
        return [(value, label) for value, label in ReviewStatus.choices if value != ReviewStatus.PUBLISHED]
    return list(ReviewStatus.choices)


class _SeenVersion(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": STALE_FORM, "invalid": STALE_FORM, "min_value": STALE_FORM},
    )


class MoveForm(_SeenVersion):
    """Move a claim or a link to another column of the board, over the version seen."""

    status = forms.ChoiceField(label="Move to", error_messages={"invalid_choice": "Choose one of the board's columns."})

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["status"].choices = statuses_for(item)
        if item._meta.model_name == "claimlink":
            self.fields["status"].error_messages["invalid_choice"] = (
                "A link is not published: only a claim's review is. Choose another column."
            )


class AssignmentForm(_SeenVersion):
    """Hand a claim's or a link's review to a colleague (or nobody) by a date; `save` goes through `assign`."""

    assignee = ReviewerChoiceField(
        queryset=None,
        required=False,
        empty_label="Nobody",
        label="Assigned to",
        help_text="Colleagues who may edit. Nobody: the review waits for someone to take it.",
    )
    due_on = forms.DateField(
        label="Due",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="When the review should be done; empty for no date.",
    )

    def __init__(self, *args, item, **kwargs):
        kwargs.setdefault("initial", {"assignee": item.assignee_id, "due_on": item.due_on, "version": item.version})
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["assignee"].queryset = reviewers(also=item.assignee_id)

    def save(self, *, by):
        """Assign over the version seen: EditConflict when a colleague changed it meanwhile."""
        data = self.cleaned_data
        self.item.assign(data["assignee"], due_on=data["due_on"], by=by, seen_version=data["version"])
