import hashlib

from django import forms

from ..models import Article, Source
from .versioning import VersionedForm


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


class ArticleForm(VersionedForm):
    """An article's details and text, in the pages and the admin alike. A change of the text that
    moves claims or loses their place is shown first (`anchoring`) and saved only once the editor
    sends the same text again (`text_checked` carries what they saw)."""

    text_checked = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = ["title", "outlet", "author", "url", "published_on", "body"]
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 16}),
        }
        help_texts = {
            "body": "Change it only to correct it: every claim is kept on its quote, and you will see which "
            "claims move or lose their place before anything is saved."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].queryset = Source.objects.filter(kind=Source.Kind.OUTLET)
        self.anchoring = None

    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("body")
        if self.instance.pk is None or not body:
            return cleaned
        # Compared with the text stored now, not the form's first value: a revert starts from an old one.
        stored = Article.objects.filter(pk=self.instance.pk).values_list("body", flat=True).first()
        if stored is None or stored == body:
            return cleaned
        preview = Article(pk=self.instance.pk, body=body)
        # What changes: a claim that moves, or that loses its place now (not one lost already and still lost).
        changes = [
            (claim, placement)
            for claim, placement in preview.reanchoring(stored)
            if placement.outcome == "moved" or (placement.outcome == "orphaned" and not claim.is_orphaned)
        ]
        if changes and cleaned.get("text_checked") != _digest(body):
            self.anchoring = changes
            moved = sum(1 for _, p in changes if p.outcome == "moved")
            orphaned = len(changes) - moved
            data = self.data.copy()
            data[self.add_prefix("text_checked")] = _digest(body)
            self.data = data
            raise forms.ValidationError(
                [
                    f"This change of the text moves {moved} claim{'s' if moved != 1 else ''} and {orphaned} would "
                    "lose their place (orphaned, until an editor selects their passage again):"
                ]
                + [f"#{claim.pk} “{claim}”: {p.outcome}" for claim, p in changes]
                + ["Check them, then save again to confirm."],
                code="reanchoring",
            )
        return cleaned
