from django.contrib import admin

from ..forms import CheckedInFormMixin, SourceForm
from ..models import Source
from .recorded import RecordedAdmin


class SourceAdminForm(CheckedInFormMixin, SourceForm):
    pass


@admin.register(Source)
class SourceAdmin(RecordedAdmin):
    form = SourceAdminForm
    list_display = ["name", "kind", "affiliation", "claim_count", "updated_at"]
    ordering = ["name", "pk"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["affiliation"]
    readonly_fields = ["created_by", "created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_list()

    @admin.display(ordering="claim_count", description="claims")
    def claim_count(self, obj):
        return obj.claim_count
