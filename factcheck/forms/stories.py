from django import forms
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower

from ..models import Event, Story, Tag
from ..models.stories import tag_names
from .versioning import STALE_FORM, VersionedForm

TAG_LENGTH = Tag._meta.get_field("name").max_length
MOST_TAGS = 20


class ConstraintsAtFieldsMixin:
    """The model's constraints checked as the form is, each message shown at the field it is about (Django puts
    a constraint's message above the form, and skips one naming a field the form leaves out, such as the story)."""

    constraint_fields = {}

    def validate_constraints(self):
        exclude = self._get_validation_exclusions() - {"story"}
        for constraint in self._meta.model._meta.constraints:
            try:
                constraint.validate(type(self.instance), self.instance, exclude=exclude)
            except ValidationError as error:
                field = self.constraint_fields.get(constraint.name)
                self.add_error(field if field in self.fields else None, error.messages)


class StoryForm(ConstraintsAtFieldsMixin, VersionedForm):
    constraint_fields = {"story_title_unique": "title", "story_title_not_empty": "title"}

    class Meta:
        model = Story
        fields = ["title", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class EventForm(ConstraintsAtFieldsMixin, VersionedForm):
    constraint_fields = {
        "event_name_unique_in_story": "name",
        "event_name_not_empty": "name",
        "event_ends_after_it_starts": "ends_on",
    }

    class Meta:
        model = Event
        fields = ["name", "starts_on", "ends_on", "description"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"starts_on": "The day it began, if known."}

    def __init__(self, *args, story=None, **kwargs):
        super().__init__(*args, **kwargs)
        if story is not None:
            self.instance.story = story


class ScopeForm(forms.Form):
    """A claim's event (among the events of its article's stories) and its tags, over the version the editor
    opened."""

    event = forms.ModelChoiceField(
        queryset=Event.objects.none(),
        required=False,
        empty_label="No event",
        help_text="The moment of the story the claim is about.",
    )
    tags = forms.CharField(
        required=False,
        max_length=1000,
        help_text="Separated by commas, e.g. “Russia, military loyalty”. A new name makes a new tag.",
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": STALE_FORM, "invalid": STALE_FORM, "min_value": STALE_FORM},
    )

    def __init__(self, *args, claim, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim
        self.fields["event"].queryset = events
        # Grouped by story: "Venezuela coup plots, 2018-19 — 30 April uprising".
        self.fields["event"].label_from_instance = lambda event: f"{event.story.title} — {event}"
        self.initial.setdefault("event", claim.event_id)
        self.initial.setdefault("tags", ", ".join(tag.name for tag in claim.tags.order_by(Lower("name"), "pk")))
        self.initial.setdefault("version", claim.version)

    def clean_tags(self):
        names = tag_names(self.cleaned_data["tags"])
        if len(names) > MOST_TAGS:
            raise ValidationError(f"At most {MOST_TAGS} tags on a claim.")
        too_long = [name for name in names if len(name) > TAG_LENGTH]
        if too_long:
            raise ValidationError(f"A tag is at most {TAG_LENGTH} characters: “{too_long[0][:TAG_LENGTH]}…”.")
        return names
