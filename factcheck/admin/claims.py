from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from ..forms import CheckedInFormMixin, ClaimAdminForm
from ..models import Claim, ClaimLink, LinkExists
from .recorded import RecordedAdmin


class ClaimCheckedAdminForm(CheckedInFormMixin, ClaimAdminForm):
    pass


class LinkInlineFormSet(BaseInlineFormSet):
    def save_new(self, form, commit=True):
        # The parent is already set on the instance; the model's clean() may
        # have swapped the two ends into canonical order, which must survive.
        return form.save(commit=commit)


class LinkFromInline(admin.TabularInline):
    model = ClaimLink
    fk_name = "from_claim"
    formset = LinkInlineFormSet
    extra = 0
    autocomplete_fields = ["to_claim"]
    fields = ["kind", "to_claim", "reason", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]
    verbose_name = "link from this claim"
    verbose_name_plural = "links from this claim"


class LinkToInline(admin.TabularInline):
    model = ClaimLink
    fk_name = "to_claim"
    extra = 0
    can_delete = True
    fields = ["from_claim", "kind", "reason", "created_by", "created_at"]
    readonly_fields = ["from_claim", "kind", "created_by", "created_at"]
    verbose_name = "link to this claim"
    verbose_name_plural = "links to this claim (add new links above)"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(RecordedAdmin):
    form = ClaimCheckedAdminForm
    list_display = ["statement", "speaker", "article", "kind", "verdict", "claimed_on"]
    list_filter = ["verdict", "kind", "speaker__kind", "article__outlet"]
    list_select_related = ["speaker", "article"]
    search_fields = ["statement", "quote", "speaker__name", "article__title"]
    autocomplete_fields = ["article", "speaker"]
    fields = [
        "article",
        "number",
        "quote",
        "quote_start",
        "quote_end",
        "statement",
        "speaker",
        "kind",
        "hedge",
        "claimed_on",
        "claimed_on_precision",
        "claimed_until",
        "claimed_on_basis",
        "verdict",
        "verdict_note",
        "event",
        "tag_list",
        "review_status",
        "assignee",
        "due_on",
        "created_by",
        "created_at",
        "updated_at",
        "version",
    ]
    # The event and tags are set on the claim's "Event and tags" page, the review on its story's board and the
    # claim page: their writers tell the people concerned, which a save here would not.
    readonly_fields = [
        "number",
        "quote_end",
        "event",
        "tag_list",
        "review_status",
        "assignee",
        "due_on",
        "created_by",
        "created_at",
        "updated_at",
    ]
    inlines = [LinkFromInline, LinkToInline]

    @admin.display(description="tags")
    def tag_list(self, claim):
        return ", ".join(tag.name for tag in claim.tags.all()) or "—"

    def save_inline(self, request, obj):
        if not (isinstance(obj, ClaimLink) and obj.pk is None):
            return super().save_inline(request, obj)
        try:
            obj.from_claim.link(obj.to_claim, obj.kind, by=request.user, reason=obj.reason)
        except LinkExists:
            pass  # a colleague made it at the same instant: theirs stands
