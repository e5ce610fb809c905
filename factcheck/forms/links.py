from django import forms

from ..models import Claim, ClaimLink


class LinkForm(forms.Form):
    """Link the claim on the page to another one; `save` makes it through `Claim.link`."""

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
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return None
