from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from .forms import AdminLoginForm
from .models import Article, Claim, ClaimLink, Comment, Source

admin.site.login_form = AdminLoginForm


class VersionedAdminForm(forms.ModelForm):
    """Refuses to save over a version newer than the one the editor opened."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["seen_version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Locked until the admin's transaction commits the save.
            current = type(self.instance).objects.select_for_update().values_list("version", flat=True)
            current = current.filter(pk=self.instance.pk).first()
            if current is not None and cleaned.get("seen_version") != current:
                raise forms.ValidationError(
                    "Someone saved this while you were editing it. Open it again to see their changes, "
                    "then make yours.",
                    code="stale",
                )
            self.instance.version = (current or 0) + 1
        return cleaned


class CreatedByAdmin(SimpleHistoryAdmin):
    """Fills the "who" field of a new object from the logged-in user, and keeps a
    list of deleted objects an admin can restore from their history."""

    created_by_field = "created_by"

    def save_model(self, request, obj, form, change):
        if not change and getattr(obj, f"{self.created_by_field}_id") is None:
            setattr(obj, self.created_by_field, request.user)
        super().save_model(request, obj, form, change)

    def get_urls(self):
        opts = self.model._meta
        deleted = path(
            "deleted/",
            self.admin_site.admin_view(self.deleted_view),
            name=f"{opts.app_label}_{opts.model_name}_deleted",
        )
        return [deleted, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        opts = self.model._meta
        extra_context = {
            **(extra_context or {}),
            "deleted_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_deleted"),
        }
        return super().changelist_view(request, extra_context)

    def deleted_view(self, request):
        """Deleted objects, newest first, each leading to its last state, from which it can be restored."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        opts = self.model._meta
        records = (
            self.model.history.filter(history_type="-")
            .exclude(id__in=self.model.objects.values("pk"))
            .select_related("history_user")
            .order_by("-history_date")[:200]
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": f"Deleted {opts.verbose_name_plural}",
            "records": records,
            "history_url_name": f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        }
        return TemplateResponse(request, "admin/factcheck/deleted.html", context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting saves through the versioned form, whose row lock needs a transaction.
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            if hasattr(obj, "created_by_id") and obj.created_by_id is None:
                obj.created_by = request.user
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(Source)
class SourceAdmin(CreatedByAdmin):
    form = VersionedAdminForm
    list_display = ["name", "kind", "affiliation", "claim_count", "updated_at"]
    ordering = ["name", "pk"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["affiliation"]
    readonly_fields = ["created_by", "created_at", "updated_at", "version"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_list()

    @admin.display(ordering="claim_count", description="claims")
    def claim_count(self, obj):
        return obj.claim_count


class ClaimInline(admin.StackedInline):
    """New claims can be added here; existing ones are changed on their own page, where
    the version check keeps two editors from overwriting each other."""

    model = Claim
    extra = 0
    autocomplete_fields = ["speaker"]
    fields = ["quote", "quote_start", "statement", "speaker", "claimed_on", "verdict", "verdict_note"]
    show_change_link = True

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(CreatedByAdmin):
    form = VersionedAdminForm
    created_by_field = "added_by"
    list_display = ["title", "outlet", "author", "published_on", "claim_count"]
    ordering = ["-published_on", "-created_at", "-pk"]
    list_filter = ["outlet", "published_on"]
    search_fields = ["title", "author", "body"]
    autocomplete_fields = ["outlet"]
    date_hierarchy = "published_on"
    readonly_fields = ["content_hash", "added_by", "created_at", "updated_at", "version"]
    inlines = [ClaimInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("outlet").annotate(claim_count=Count("claims"))

    @admin.display(ordering="claim_count", description="claims")
    def claim_count(self, obj):
        return obj.claim_count


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
class ClaimAdmin(CreatedByAdmin):
    form = VersionedAdminForm
    list_display = ["statement", "speaker", "article", "verdict", "claimed_on"]
    list_filter = ["verdict", "speaker__kind", "article__outlet"]
    list_select_related = ["speaker", "article"]
    search_fields = ["statement", "quote", "speaker__name", "article__title"]
    autocomplete_fields = ["article", "speaker"]
    fields = [
        "article",
        "quote",
        "quote_start",
        "quote_end",
        "statement",
        "speaker",
        "claimed_on",
        "verdict",
        "verdict_note",
        "created_by",
        "created_at",
        "updated_at",
        "version",
        "seen_version",
    ]
    readonly_fields = ["quote_end", "created_by", "created_at", "updated_at", "version"]
    inlines = [LinkFromInline, LinkToInline]


@admin.register(ClaimLink)
class ClaimLinkAdmin(CreatedByAdmin):
    list_display = ["__str__", "kind", "from_claim", "to_claim", "created_by", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["from_claim", "to_claim", "created_by"]
    search_fields = ["reason", "from_claim__statement", "to_claim__statement"]
    autocomplete_fields = ["from_claim", "to_claim"]
    readonly_fields = ["created_by", "created_at"]


@admin.register(Comment)
class CommentAdmin(CreatedByAdmin):
    created_by_field = "author"
    list_display = ["__str__", "author", "claim", "link", "created_at"]
    list_select_related = ["author", "claim", "link"]
    search_fields = ["body"]
    autocomplete_fields = ["claim", "link"]
    readonly_fields = ["author", "created_at"]
