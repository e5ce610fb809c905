from pathlib import Path

from django import forms
from django.conf import settings
from django.core.validators import URLValidator

from ..importing import IMPORTABLE_SUFFIXES, UnreadableArticle, article_from_bytes, title_from_text
from ..models import Article, Source
from ..models.text_fields import CanonicalTextFormField

NEED_ONE = "Paste the article's text, choose a file, or give its web address."


class WebAddressField(forms.URLField):
    default_validators = [URLValidator(schemes=["http", "https"])]
    default_error_messages = {"invalid": "Enter a web page's address, starting with http:// or https://."}


class NewArticleForm(forms.Form):
    """How an article comes in: its text pasted, a text or HTML file, or the address of its web page."""

    text = CanonicalTextFormField(
        label="Article text", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    file = forms.FileField(
        label="Text or web page file",
        required=False,
        help_text="A text (.txt) or web page (.html) file.",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.text,.html,.htm,text/plain,text/html"}),
    )
    url = WebAddressField(
        label="Page address",
        required=False,
        max_length=Article._meta.get_field("url").max_length,
        assume_scheme="https",
        help_text="The page is fetched in the background; you check what was found before it is saved.",
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        limit = settings.FACTCHECK_MAX_ARTICLE_BYTES
        if Path(upload.name).suffix.lower() not in IMPORTABLE_SUFFIXES:
            raise forms.ValidationError(f"“{upload.name}” is not a text (.txt) or web page (.html) file.")
        if upload.size > limit:
            raise forms.ValidationError(f"The file is {upload.size:,} bytes, over the {limit:,}-byte limit.")
        try:
            return article_from_bytes(upload.read(), upload.name)
        except UnreadableArticle as problem:
            raise forms.ValidationError(f"The file {problem}.") from problem

    def clean(self):
        cleaned = super().clean()
        given = [name for name in ("text", "file", "url") if cleaned.get(name) and str(cleaned.get(name)).strip()]
        if not given and not self.errors:
            raise forms.ValidationError(NEED_ONE)
        if len(given) > 1:
            raise forms.ValidationError("Give one of them only: the text, a file, or a web address.")
        return cleaned

    def article_fields(self):
        """The title and text to check, for text pasted or a file; None for a web address."""
        if self.cleaned_data.get("file"):
            title, body = self.cleaned_data["file"]
            return {"title": title, "body": body}
        if self.cleaned_data.get("text"):
            return {"title": title_from_text(self.cleaned_data["text"]), "body": self.cleaned_data["text"]}
        return None


class ArticleCheckForm(forms.Form):
    """The article as found, for the editor to check and correct before it is saved; and whether it is
    the republication of one already recorded (`candidates`: Article.objects.sharing_text_with)."""

    title = Article._meta.get_field("title").formfield()
    outlet = forms.ModelChoiceField(Source.objects.filter(kind=Source.Kind.OUTLET), required=False)
    author = Article._meta.get_field("author").formfield()
    url = Article._meta.get_field("url").formfield(assume_scheme="https")
    published_on = Article._meta.get_field("published_on").formfield(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    body = Article._meta.get_field("body").formfield(widget=forms.Textarea(attrs={"rows": 16}), help_text="")
    republished_from = forms.ModelChoiceField(
        Article.objects.only("pk", "title"),
        required=False,
        label="Republished from",
        widget=forms.RadioSelect,
        empty_label="No: an article of its own",
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        # Any recorded article may be sent back; those offered are the ones sharing most of the text.
        self.fields["republished_from"].widget.choices = [("", "No: an article of its own")] + [
            (article.pk, f"{article.title} — {article.shared:.0%} of this text is in it") for article in self.candidates
        ]

    def article_fields(self):
        return dict(self.cleaned_data)
