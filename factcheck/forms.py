import re

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.urls import reverse

from .models import Article, Claim, ClaimLink, Comment, Source

SPEAKER_LABEL = re.compile(r"^(?P<name>.+) \((?P<kind>[^()]+)\)$")


def speaker_label(source):
    """How a source is offered in the speaker type-ahead: unique across kinds."""
    return f"{source.name} ({source.get_kind_display()})"


class ClaimForm(forms.ModelForm):
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
        self.fields["quote_start"].required = False
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

    def clean_quote(self):
        # Keep the passage exactly; only a selection's stray outer whitespace goes.
        return self.cleaned_data["quote"].strip()

    def clean_statement(self):
        return self.cleaned_data["statement"].strip()

    def clean(self):
        cleaned = super().clean()
        name = " ".join(cleaned.get("speaker_name", "").split())
        if name:
            self.speaker = self._known_speaker(name)
            if self.speaker is None:
                kind = cleaned.get("new_speaker_kind") or Source.Kind.PERSON
                self.speaker = Source(name=name, kind=kind)
        # A selection's offsets that no longer match (the quote was edited by
        # hand) fall back to finding the quote in the text.
        start = cleaned.get("quote_start")
        quote = cleaned.get("quote", "")
        if start is not None and self.instance.article.body[start : start + len(quote)] != quote:
            cleaned["quote_start"] = None
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

    @transaction.atomic
    def save(self, *, by):
        if self.speaker.pk is None:
            # get_or_create: a colleague may have added the same new speaker a moment ago.
            self.speaker, _ = Source.objects.get_or_create(
                name=self.speaker.name, kind=self.speaker.kind, defaults={"created_by": by}
            )
        claim = super().save(commit=False)
        claim.speaker = self.speaker
        claim.created_by = by
        claim.save()
        return claim


STALE_FORM = "This form lacks the version you started from: reload the page and make your change again."


class VersionedForm(forms.ModelForm):
    """An edit form that carries the version the editor started from."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": STALE_FORM, "invalid": STALE_FORM, "min_value": STALE_FORM},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)

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


def _shown(obj, field):
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    value = getattr(obj, field.name)
    return "" if value is None else str(value)


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


class ArticleForm(VersionedForm):
    class Meta:
        model = Article
        fields = ["title", "outlet", "author", "url", "published_on"]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].queryset = Source.objects.filter(kind=Source.Kind.OUTLET)


class SourceForm(VersionedForm):
    class Meta:
        model = Source
        fields = ["name", "kind", "affiliation", "description", "url", "reliability_note"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "reliability_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affiliation"].queryset = Source.objects.exclude(pk=self.instance.pk)


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        labels = {"body": "Your comment"}
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class LinkForm(forms.Form):
    """Link the claim on the page to another one."""

    to_claim = forms.IntegerField(
        label="Claim to link",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the claim to link: search for it above."},
    )
    kind = forms.ChoiceField(label="This claim", choices=ClaimLink.Kind.choices, initial=ClaimLink.Kind.CONTRADICTS)
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Why they are linked. Required for a contradiction.",
    )

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim

    def clean(self):
        cleaned = super().clean()
        other_id = cleaned.get("to_claim")
        kind = cleaned.get("kind")
        if other_id is None or kind is None:
            return cleaned
        other = Claim.objects.filter(pk=other_id).first()
        if other is None:
            self.add_error("to_claim", "That claim does not exist (any more). Search again.")
            return cleaned
        link = ClaimLink(from_claim=self.claim, to_claim=other, kind=kind, reason=cleaned.get("reason", ""))
        try:
            link.full_clean()
        except forms.ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        self.link = link
        return cleaned


class BoundedUsernameMixin:
    """Django's login forms limit the username's length in the browser only; an overlong one
    must fail as a form error, before the login throttle tries to record it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class LoginForm(BoundedUsernameMixin, AuthenticationForm):
    pass


class AdminLoginForm(BoundedUsernameMixin, AdminAuthenticationForm):
    pass
