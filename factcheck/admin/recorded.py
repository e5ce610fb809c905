"""What every model's admin shares: the same saves as the pages (versioned, recorded with who), deletion and
restore through the history, a list of deleted objects to restore from."""

from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from .. import history
from ..models import Versioned


class RecordedAdmin(SimpleHistoryAdmin):
    """Fills the "who" field of a new object from the logged-in user, and keeps a
    list of deleted objects an admin can restore from their history."""

    created_by_field = "created_by"

    def save_model(self, request, obj, form, change):
        """Saves as the pages do: over the version the editor opened (checked by the form),
        and a deleted object restored brings back what was deleted with it."""
        if not change and getattr(obj, f"{self.created_by_field}_id") is None:
            setattr(obj, self.created_by_field, request.user)
        obj._history_user = request.user
        restoring = change and not type(obj)._default_manager.filter(pk=obj.pk).exists()
        if change and isinstance(obj, Versioned):
            obj.save_over(form.cleaned_data["version"])
        else:
            obj.save()
        if restoring:
            count = history.restore_deleted_with(obj, by=request.user)
            if count:
                messages.info(request, f"Also restored {count} item{'s' if count != 1 else ''} deleted with it.")

    def delete_model(self, request, obj):
        history.delete(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            history.delete(obj, by=request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        # "version" is the versioned form's own field (the version the editor opened), not the
        # model's, which no form may edit: shown in the page, left out of the model form's fields.
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"]:
            kwargs["fields"] = [name for name in kwargs["fields"] if name != "version"]
        return super().get_form(request, obj, change, **kwargs)

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
            self.save_inline(request, obj)
        for obj in formset.deleted_objects:
            history.delete(obj, by=request.user)
        formset.save_m2m()

    def save_inline(self, request, obj):
        """Save one object of an inline, recorded as the logged-in user's."""
        if hasattr(obj, "created_by_id") and obj.created_by_id is None:
            obj.created_by = request.user
        obj._history_user = request.user
        obj.save()
