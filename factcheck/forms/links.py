from django import forms

from ..models import Claim, ClaimLink
from .versioning import STALE_FORM, CheckedInFormMixin, VersionedForm

# The kinds as a fact-checker says them, finishing the sentence "This claim … the chosen claim".
KIND_PHRASES = [
    (ClaimLink.Kind.CONTRADICTS, "contradicts"),
    (ClaimLink.Kind.IN_TENSION, "is in tension with"),
    (ClaimLink.Kind.COMPETING, "offers a competing explanation to"),
    (ClaimLink.Kind.SUPPORTS, "supports"),
    (ClaimLink.Kind.REPEATS, "repeats (the same account, told independently)"),
    (ClaimLink.Kind.RELAYS, "relays (passes on, through another outlet)"),
]
KIND_HELP = (
    "Relays: this claim is the chosen one told again through another outlet. "
    "Repeats: independent outlets telling the same thing. "
    "In tension, competing explanation: weaker disagreements than a contradiction."
)
REASON_HELP = "Why they are linked. Required for a contradiction, a tension or a competing explanation."


class LinkForm(forms.Form):
    """Link the claim on the page to another one; `save` makes it through `Claim.link`."""

    to_claim = forms.IntegerField(
        label="Claim to link",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the claim to link: search for it above."},
    )
    kind = forms.ChoiceField(label="This claim", choices=KIND_PHRASES, initial=ClaimLink.Kind.CONTRADICTS)
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text=REASON_HELP
    )

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim

    def clean_to_claim(self):
        other = Claim.objects.filter(pk=self.cleaned_data["to_claim"]).first()
        if other is None:
            raise forms.ValidationError("That claim does not exist (any more). Search again.")
        return other

    def save(self, *, by):
        """The new link; the rules it breaks become this form's errors (then None).
        LinkExists when a colleague made the same link at the same instant."""
        data = self.cleaned_data
        try:
            return self.claim.link(data["to_claim"], data["kind"], by=by, reason=data.get("reason", ""))
        except forms.ValidationError as error:
            _add_errors(self, error)
        return None


class _LinkVersionForm(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": STALE_FORM, "invalid": STALE_FORM, "min_value": STALE_FORM},
    )


class LinkChangeForm(_LinkVersionForm):
    """A link's kind and reason, changed in place through `ClaimLink.change` over the version opened."""

    kind = forms.ChoiceField(label="This claim", choices=KIND_PHRASES)
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text=REASON_HELP
    )

    def __init__(self, *args, link, **kwargs):
        kwargs.setdefault("initial", {"kind": link.kind, "reason": link.reason, "version": link.version})
        super().__init__(*args, **kwargs)
        self.link = link

    def save(self, *, by):
        """True when saved; a broken rule becomes this form's errors. EditConflict when a colleague saved meanwhile."""
        data = self.cleaned_data
        try:
            self.link.change(kind=data["kind"], reason=data["reason"], by=by, seen_version=data["version"])
        except forms.ValidationError as error:
            _add_errors(self, error)
            return False
        return True

    def changed_fields(self, current):
        """What this editor typed that differs from the colleague's saved `current`, for the conflict notice."""
        phrases = dict(KIND_PHRASES)
        rows = []
        if self.cleaned_data["kind"] != current.kind:
            rows.append({"label": "kind", "mine": phrases[self.cleaned_data["kind"]], "theirs": phrases[current.kind]})
        if self.cleaned_data["reason"].strip() != current.reason:
            rows.append({"label": "reason", "mine": self.cleaned_data["reason"], "theirs": current.reason})
        return rows


class LinkSettleForm(_LinkVersionForm):
    """Confirm, reject or re-open a link (the button pressed says which), with the reason why."""

    status = forms.ChoiceField(
        choices=ClaimLink.Status.choices, error_messages={"required": "Confirm or reject the link."}
    )
    status_reason = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Required to reject the link; welcome when confirming it.",
    )

    def __init__(self, *args, link, **kwargs):
        kwargs["initial"] = {"version": link.version, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.link = link

    def save(self, *, by):
        """True when settled; a broken rule becomes this form's errors. EditConflict: a colleague saved meanwhile."""
        data = self.cleaned_data
        try:
            self.link.settle(data["status"], by=by, reason=data["status_reason"], seen_version=data["version"])
        except forms.ValidationError as error:
            _add_errors(self, error)
            return False
        return True


class LinkAdminForm(CheckedInFormMixin, VersionedForm):
    """The admin's link form: its ends, kind and reason, saved over the version opened. The status is
    settled on the link's page (who, when, why), not typed here."""

    class Meta:
        model = ClaimLink
        fields = ["from_claim", "to_claim", "kind", "reason"]


def _add_errors(form, error):
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
