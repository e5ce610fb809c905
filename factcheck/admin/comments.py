from django.contrib import admin

from ..models import Comment
from .recorded import RecordedAdmin


@admin.register(Comment)
class CommentAdmin(RecordedAdmin):
    created_by_field = "author"
    list_display = ["__str__", "author", "claim", "link", "created_at"]
    list_select_related = ["author", "claim", "link"]
    search_fields = ["body"]
    autocomplete_fields = ["claim", "link"]
    readonly_fields = ["author", "created_at"]
