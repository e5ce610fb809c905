import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from ..models import Claim, Source
from ..models.claims import PUBLISHED_KEEPS_A_VERDICT
from .versioning import VersionedForm

SPEAKER_LABEL = re.compile(r"^(?P<name>.+) \((?P<kind>[^()]+)\)$")


def speaker_label(source):
    """How a source is offered in the speaker type-ahead: unique across kinds."""
    return f"{source.name} ({source.get_kind_display()})"


class QuoteFields(forms.ModelForm):
    """The quote and its offset, placed on the article's text by the model's one rule."""

    def place_quote(self, cleaned):
        if "quote" not in cleaned:
            return
        try:
            self.instance.place_quote(cleaned["quote"], cleaned.get("quote_start"))
        except ValidationError as error:
            self.add_error(None if "quote" not in self.fields else "quote", error.message_dict["quote"])
            return
        cleaned["quote"], cleaned["quote_start"] = self.instance.quote, self.instance.quote_start


class ClaimForm(QuoteFields):
    """A new claim on an article: the quote, what it says, and who says it."""

    speaker_name = forms.CharField(
        label="Speaker",
        max_length=200,
        help_text="Who is reported as saying it. Pick a known source or type a new name.",
    )
    new_speaker_kind = forms.ChoiceField(
        label="If the speaker is new, they are",
        choices=Source.Kind.choices,
        initial=Source.Kind.PERSON,
        required=False,
    )

    class Meta:
        model = Claim
        fields = ["quote", "quote_start", "statement", "claimed_on"]
        labels = {"quote": "Exact quote", "quote_start": "Quote starts at character", "claimed_on": "Claimed on"}
        help_texts = {
            "quote": "Select a passage in the article, or paste it here exactly as the article has it.",
            "statement": "The claim in neutral words.",
        }
        widgets = {
            "quote": forms.Textarea(attrs={"rows": 3}),
            "quote_start": forms.HiddenInput,
            "statement": forms.Textarea(attrs={"rows": 2}),
            "claimed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.article = article
        self.fields["speaker_name"].widget.attrs.update(
            {
                "list": "speaker-options",
                "autocomplete": "off",
                "hx-get": reverse("source_options"),
                "hx-trigger": "input changed delay:200ms",
                "hx-target": "#speaker-options",
                "hx-swap": "innerHTML",
            }
        )
        if not self.is_bound and article.published_on:
            self.initial.setdefault("claimed_on", article.published_on)

    def clean_statement(self):
        return self.cleaned_data["statement"].strip()

    def clean(self):
        cleaned = super().clean()
        self.place_quote(cleaned)
        name = " ".join(cleaned.get("speaker_name", "").split())
        if name:
            self.speaker = self._known_speaker(name)
            if self.speaker is None:
                kind = cleaned.get("new_speaker_kind") or Source.Kind.PERSON
                self.speaker = Source(name=name, kind=kind)
        return cleaned

    def _known_speaker(self, name):
        match = SPEAKER_LABEL.match(name)
        if match:
            kinds = {label: value for value, label in Source.Kind.choices}
            kind = kinds.get(match["kind"])
            if kind:
                found = Source.objects.filter(name=match["name"], kind=kind).first()
                if found:
                    return found
        candidates = list(Source.objects.filter(name__iexact=name)[:2])
        if len(candidates) < 2:
            return candidates[0] if candidates else None
        # A name several kinds share: the kind chosen for a new speaker settles it.
        kind = self.cleaned_data.get("new_speaker_kind") or Source.Kind.PERSON
        return Source.objects.filter(name__iexact=name, kind=kind).first()

    def save(self, *, by):
        """Add the claim; Article.DoesNotExist when a colleague deleted the article meanwhile,
        ValidationError when its text changed and the quote no longer fits."""
        with transaction.atomic():
            if self.speaker.pk is None:
                # get_or_create: a colleague may have added the same new speaker a moment ago.
                self.speaker, _ = Source.objects.get_or_create(
                    name=self.speaker.name, kind=self.speaker.kind, defaults={"created_by": by}
                )
            data = self.cleaned_data
            return Claim.create_in(
                self.instance.article.pk,
                quote=data["quote"],
                quote_start=data["quote_start"],
                statement=data["statement"],
                claimed_on=data.get("claimed_on"),
                speaker=self.speaker,
                created_by=by,
            )


class ClaimEditForm(VersionedForm):
    class Meta:
        model = Claim
        fields = ["statement", "verdict", "verdict_note"]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "verdict_note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_statement(self):
        return self.cleaned_data["statement"].strip()


class ClaimQuoteForm(QuoteFields, VersionedForm):
    """Select a claim's passage again, after a change of its article's text orphaned it."""

    class Meta:
        model = Claim
        fields = ["quote", "quote_start"]
        labels = {"quote": "Exact quote", "quote_start": "Quote starts at character"}
        help_texts = {"quote": "Select the passage in the article's text, or paste it here exactly."}
        widgets = {"quote": forms.Textarea(attrs={"rows": 3}), "quote_start": forms.HiddenInput}

    def clean(self):
        cleaned = super().clean()
        self.place_quote(cleaned)
        return cleaned


class ClaimAdminForm(QuoteFields, VersionedForm):
    """The admin's claim form: a new or changed quote is placed by the same rule as in the pages;
    an unchanged one that no longer stands (a restore after the text changed) is found again or
    orphaned, never refused."""

    class Meta:
        model = Claim
        fields = ["article", "quote", "quote_start", "statement", "speaker", "claimed_on", "verdict", "verdict_note"]

    def clean(self):
        cleaned = super().clean()
        article = cleaned.get("article") or (self.instance.article if self.instance.article_id else None)
        if article is None:
            return cleaned
        self.instance.article = article
        if self.instance.published_at and cleaned.get("verdict") == Claim.Verdict.UNREVIEWED:
            # The database refuses it too; said here, beside the field, rather than failing the save.
            self.add_error("verdict", PUBLISHED_KEEPS_A_VERDICT)
        if self.instance.pk is None or {"quote", "quote_start", "article"} & set(self.changed_data):
            self.place_quote(cleaned)
        elif self.instance.anchor_problem():
            self.instance.find_again()
            cleaned["quote_start"] = self.instance.quote_start
        return cleaned
