from django import forms

from ..models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text="What the token is for, e.g. the script that uses it.",
        error_messages={"required": "Name the token, e.g. after the script that will use it."},
    )
