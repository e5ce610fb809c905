from django import forms
from django.db import models

from ..text import canonical


class CanonicalTextFormField(forms.CharField):
    """A textarea's text with the browser's CRLF line breaks made LF, before anything else."""

    def to_python(self, value):
        return super().to_python(canonical(value) if isinstance(value, str) else value)


class CanonicalTextField(models.TextField):
    """Text stored with LF line breaks whichever path it takes (forms, admin, importer, API, code),
    and not otherwise changed: a form does not strip it."""

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str) and "\r" in value:
            value = canonical(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CanonicalTextFormField, "strip": False, **kwargs})
