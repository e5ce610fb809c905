from django.contrib import admin
from django.db.models import Count

from ..forms import ArticleForm, CheckedInFormMixin, ClaimAdminForm
from ..models import Article, Claim
from .recorded import RecordedAdmin


class ArticleAdminForm(CheckedInFormMixin, ArticleForm):
    pass


class ClaimInline(admin.StackedInline):
    """New claims can be added here; existing ones are changed on their own page, where
    the version check keeps two editors from overwriting each other."""

    model = Claim
    form = ClaimAdminForm
    extra = 0
    autocomplete_fields = ["speaker"]
    fields = ["quote", "quote_start", "statement", "speaker", "claimed_on", "verdict", "verdict_note"]
    show_change_link = True

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(RecordedAdmin):
    form = ArticleAdminForm
    created_by_field = "added_by"
    list_display = ["title", "outlet", "author", "published_on", "claim_count"]
    ordering = ["-published_on", "-created_at", "-pk"]
    list_filter = ["outlet", "published_on"]
    search_fields = ["title", "author", "body"]
    autocomplete_fields = ["outlet"]
    date_hierarchy = "published_on"
    readonly_fields = ["content_hash", "added_by", "created_at", "updated_at"]
    inlines = [ClaimInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("outlet").annotate(claim_count=Count("claims"))

    @admin.display(ordering="claim_count", description="claims")
    def claim_count(self, obj):
        return obj.claim_count
