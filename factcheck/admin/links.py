from django.contrib import admin

from ..forms.links import LinkAdminForm
from ..models import ClaimLink, LinkExists
from .recorded import RecordedAdmin


@admin.register(ClaimLink)
class ClaimLinkAdmin(RecordedAdmin):
    form = LinkAdminForm
    list_display = ["__str__", "kind", "status", "from_claim", "to_claim", "created_by", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["from_claim", "to_claim", "created_by"]
    search_fields = ["reason", "from_claim__statement", "to_claim__statement"]
    autocomplete_fields = ["from_claim", "to_claim"]
    fields = [
        "from_claim",
        "kind",
        "to_claim",
        "reason",
        "status",
        "status_by",
        "status_at",
        "status_reason",
        "review_status",
        "assignee",
        "due_on",
        "created_by",
        "created_at",
        "updated_at",
        "version",
    ]
    # Settled on the link's page, which records who, when and why; reviewed on the story's board.
    readonly_fields = [
        "status",
        "status_by",
        "status_at",
        "status_reason",
        "review_status",
        "assignee",
        "due_on",
        "created_by",
        "created_at",
        "updated_at",
    ]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        try:
            obj.pk = obj.from_claim.link(obj.to_claim, obj.kind, by=request.user, reason=obj.reason).pk
        except LinkExists as made:
            obj.pk = made.link.pk  # a colleague made it at the same instant: theirs stands
