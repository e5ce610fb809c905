from django.contrib import admin
from django.db.models import Count

from ..forms import CheckedInFormMixin
from ..forms.stories import EventForm, StoryForm
from ..models import Event, Story, StoryArticle, Tag
from .recorded import RecordedAdmin


class StoryAdminForm(CheckedInFormMixin, StoryForm):
    pass


class EventAdminForm(CheckedInFormMixin, EventForm):
    pass


class StoryArticleInline(admin.TabularInline):
    """Articles join and leave the story through its writers (a leaving article's claims lose the story's events)."""

    model = StoryArticle
    extra = 0
    autocomplete_fields = ["article"]
    fields = ["article", "added_by", "added_at"]
    readonly_fields = ["added_by", "added_at"]
    verbose_name = "article in the story"
    verbose_name_plural = "articles in the story"

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    """New events can be added here; existing ones are changed on their own page, where the version check keeps
    two editors from overwriting each other."""

    model = Event
    extra = 0
    fields = ["name", "starts_on", "ends_on", "description"]
    show_change_link = True

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Story)
class StoryAdmin(RecordedAdmin):
    form = StoryAdminForm
    list_display = ["title", "article_count", "created_by", "updated_at"]
    search_fields = ["title", "summary"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [StoryArticleInline, EventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).for_list()

    @admin.display(ordering="article_count", description="articles")
    def article_count(self, obj):
        return obj.article_count

    def save_formset(self, request, form, formset, change):
        if formset.model is not StoryArticle:
            return super().save_formset(request, form, formset, change)
        story = form.instance
        for membership in formset.save(commit=False):
            story.add_article(membership.article, by=request.user)
        for membership in formset.deleted_objects:
            story.remove_article(membership.article, by=request.user)


@admin.register(Event)
class EventAdmin(RecordedAdmin):
    form = EventAdminForm
    list_display = ["name", "story", "starts_on", "ends_on"]
    list_select_related = ["story"]
    list_filter = ["story"]
    search_fields = ["name", "description", "story__title"]
    fields = ["story", "name", "starts_on", "ends_on", "description", "created_at", "version"]
    autocomplete_fields = ["story"]

    def get_readonly_fields(self, request, obj=None):
        # An event stays in its story: the claims it scopes are that story's.
        return ["story", "created_at"] if obj else ["created_at"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        obj._history_user = request.user  # an event records no author of its own: its history does
        obj.save_over(None)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "claim_count"]
    search_fields = ["name"]
    readonly_fields = ["created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=Count("claim_tags"))

    @admin.display(ordering="claim_count", description="claims")
    def claim_count(self, obj):
        return obj.claim_count
