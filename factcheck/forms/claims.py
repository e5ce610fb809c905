import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from ..models import Claim, Source
from ..models.claims import NOT_CHECKABLE_HAS_NO_RATING, PUBLISHED_KEEPS_A_VERDICT
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


# What kind of claim it is, its hedge, and when it was made: on the new-claim, edit and admin forms.
KIND_AND_DATE = ["kind", "hedge", "claimed_on", "claimed_on_precision", "claimed_until", "claimed_on_basis"]
KIND_AND_DATE_LABELS = {
    "kind": "Kind of claim",
    "hedge": "Hedge",
    "claimed_on": "Claimed on",
    "claimed_on_precision": "Date precision",
    "claimed_until": "Last day of the range",
    "claimed_on_basis": "Date from",
}
KIND_AND_DATE_HELP = {
    "kind": "A factual statement can be checked; an opinion, a prediction, a counterfactual or a label cannot.",
    "hedge": "The quote's own hedge, kept word for word: “reportedly”, “presumably”, “many believed”.",
    "claimed_on": "When it was said. For a month or a year, any day in it will do: its first day is stored.",
    "claimed_on_precision": "How precisely the text dates it.",
    "claimed_until": "Only for “Between two dates”: the last day.",
    "claimed_on_basis": "The words of the text that give the date, e.g. “on Tuesday”, “last May”.",
}
KIND_AND_DATE_WIDGETS = {
    "claimed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    "claimed_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
}
VERDICT_HELP = (
    "“Not checkable”: for an opinion, a prediction, a counterfactual or a label, which no evidence can prove "
    "true or false. It is settled: it no longer waits for review."
)
NOT_CHECKABLE_FACT = (
    "“Not checkable” is only for a claim that is not a factual statement: give this factual statement a "
    "verdict, or change its kind (an opinion, a prediction, a counterfactual, a label)."
)
RANGE_WITHOUT_START = "A range of dates needs its first day here."
RANGE_WITHOUT_END = "A range of dates needs its last day: give it, or choose another precision."
RANGE_BACKWARDS = "The last day of the range comes before its first day."
END_WITHOUT_RANGE = "Only a range of dates has a last day: choose “Between two dates”, or clear this date."
PRECISION_WITHOUT_DATE = "Give the date: any day in that month or year will do."


class KindAndDateFields:
    """What kind of claim it is, its hedge, and the date it was made with its precision, checked beside
    each field, so that the database's rules (a range has its end, facts are checkable) never fail a save.
    A month or a year is stored as its first day. A field left out of the data altogether (an older form,
    a script) keeps the claim's value; a browser always sends them all."""

    def keep_omitted(self):
        if not self.is_bound:
            return
        names = [name for name in KIND_AND_DATE if name in self.fields]
        omitted = [
            name
            for name in names
            if self.fields[name].widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name))
        ]
        if not omitted:
            return
        self.data = self.data.copy()
        for name in omitted:
            value = getattr(self.instance, name)
            self.data[self.add_prefix(name)] = "" if value is None else str(value)

    def validate_constraints(self):
        # The rules on these fields are checked by check_kind_and_date, with their messages beside the fields:
        # not asked of the database again (a query each).
        exclude = self._get_validation_exclusions() | set(KIND_AND_DATE)
        try:
            self.instance.validate_constraints(exclude=exclude)
        except ValidationError as error:
            self._update_errors(error)

    def clean_hedge(self):
        return " ".join(self.cleaned_data["hedge"].split())

    def clean_claimed_on_basis(self):
        return " ".join(self.cleaned_data["claimed_on_basis"].split())

    def check_kind_and_date(self, cleaned):
        def value(name):
            # A field of this form that failed its own check: nothing more to say about it.
            if name in self.fields:
                return cleaned.get(name, ...)
            return getattr(self.instance, name)

        def refuse(name, message):
            self.add_error(name if name in self.fields else None, message)

        kind, verdict = value("kind"), value("verdict")
        if verdict == Claim.Verdict.NOT_CHECKABLE and kind == Claim.Kind.FACT:
            refuse("verdict", NOT_CHECKABLE_FACT)
        elif verdict == Claim.Verdict.NOT_CHECKABLE and self.instance.published_at:
            refuse("verdict", f"{NOT_CHECKABLE_HAS_NO_RATING} Unpublish the review first.")
        precision, start, end = value("claimed_on_precision"), value("claimed_on"), value("claimed_until")
        if ... in (precision, start, end):
            return
        if precision == Claim.DatePrecision.RANGE:
            if start is None:
                refuse("claimed_on", RANGE_WITHOUT_START)
            if end is None:
                refuse("claimed_until", RANGE_WITHOUT_END)
            elif start is not None and end < start:
                refuse("claimed_until", RANGE_BACKWARDS)
            return
        if end is not None:
            refuse("claimed_until", END_WITHOUT_RANGE)
        if start is None and precision != Claim.DatePrecision.DAY:
            refuse("claimed_on", PRECISION_WITHOUT_DATE)
        elif start is not None and "claimed_on" in self.fields:
            if precision == Claim.DatePrecision.MONTH:
                cleaned["claimed_on"] = start.replace(day=1)
            elif precision == Claim.DatePrecision.YEAR:
                cleaned["claimed_on"] = start.replace(month=1, day=1)


class ClaimForm(KindAndDateFields, QuoteFields):
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
        fields = ["quote", "quote_start", "statement", *KIND_AND_DATE]
        labels = {"quote": "Exact quote", "quote_start": "Quote starts at character", **KIND_AND_DATE_LABELS}
        help_texts = {
            "quote": "Select a passage in the article, or paste it here exactly as the article has it.",
            "statement": "The claim in neutral words.",
            **KIND_AND_DATE_HELP,
        }
        widgets = {
            "quote": forms.Textarea(attrs={"rows": 3}),
            "quote_start": forms.HiddenInput,
            "statement": forms.Textarea(attrs={"rows": 2}),
            **KIND_AND_DATE_WIDGETS,
        }

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.article = article
        self.keep_omitted()
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
        self.check_kind_and_date(cleaned)
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
                **{name: data[name] for name in KIND_AND_DATE},
                speaker=self.speaker,
                created_by=by,
            )


class ClaimEditForm(KindAndDateFields, VersionedForm):
    class Meta:
        model = Claim
        fields = ["statement", *KIND_AND_DATE, "verdict", "verdict_note"]
        labels = KIND_AND_DATE_LABELS
        help_texts = {**KIND_AND_DATE_HELP, "verdict": VERDICT_HELP}
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "verdict_note": forms.Textarea(attrs={"rows": 2}),
            **KIND_AND_DATE_WIDGETS,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.keep_omitted()

    def clean_statement(self):
        return self.cleaned_data["statement"].strip()

    def clean(self):
        cleaned = super().clean()
        self.check_kind_and_date(cleaned)
        return cleaned


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


class ClaimAdminForm(KindAndDateFields, QuoteFields, VersionedForm):
    """The admin's claim form: a new or changed quote is placed by the same rule as in the pages;
    an unchanged one that no longer stands (a restore after the text changed) is found again or
    orphaned, never refused."""

    class Meta:
        model = Claim
        fields = ["article", "quote", "quote_start", "statement", "speaker", *KIND_AND_DATE, "verdict", "verdict_note"]
        labels = KIND_AND_DATE_LABELS
        help_texts = {**KIND_AND_DATE_HELP, "verdict": VERDICT_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.keep_omitted()

    def clean(self):
        cleaned = super().clean()
        self.check_kind_and_date(cleaned)
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
