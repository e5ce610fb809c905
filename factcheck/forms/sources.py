from django import forms

from ..models import Source
from .versioning import VersionedForm


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
