"""Making and keeping stories: their articles, their events, and a claim's event and tags."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from .. import history
from ..forms.stories import EventForm, ScopeForm, StoryForm
from ..models import Article, Claim, EditConflict, Event, Story
from ..models.stories import set_scope
from .editing import edit_versioned, see_other
from .pickers import Picker
from .reading import as_id, lazy_page, search_words


@require_GET
def story_list(request):
    return render(request, "stories/list.html", {"page": lazy_page(request, Story.objects.for_list())})


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.add_story", raise_exception=True)
def story_new(request):
    form = StoryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            story = form.instance
            story.created_by = story._history_user = request.user
            try:
                story.save_over(None)
            except ValidationError as error:
                form.add_error(None, error.messages)
                status = 409
            else:
                messages.success(request, "Story made: now add its articles and events.")
                return see_other(reverse("story_edit", args=[story.pk]))
    return render(request, "stories/edit.html", {"form": form}, status=status)


def _articles_of(story):
    return story.articles.select_related("outlet").defer("body").order_by(F("published_on").asc(nulls_last=True), "pk")


def _edit_context(story, **articles_section):
    picker = articles_section.pop("picker", None) or Picker("article", "article", "Article to add", "(choose)")
    return {
        "story": story,
        "articles": _articles_of(story),
        "events": story.events.all(),
        "picker": picker,
        **articles_section,
    }


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.change_story", raise_exception=True)
def story_edit(request, pk):
    story = get_object_or_404(Story.objects.for_detail(), pk=pk)
    story._history_user = request.user
    saved, status, context = edit_versioned(request, story, StoryForm)
    if saved:
        messages.success(request, "Story saved.")
        return see_other(reverse("story_edit", args=[story.pk]))
    return render(request, "stories/edit.html", {**_edit_context(story), **context}, status=status)


@require_POST
@permission_required("factcheck.add_storyarticle", raise_exception=True)
@vary_on_headers("HX-Request")
def story_articles(request, pk):
    """Add an article to the story (found with the picker) or take one out; "find" only shows what matches."""
    story = get_object_or_404(Story, pk=pk)
    action = request.POST.get("action", "add")
    article_id = as_id(request.POST.get("article", ""))
    article = Article.objects.only("pk", "title").filter(pk=article_id).first() if article_id else None
    picker = Picker("article", "article", "Article to add", "(choose)")
    picker.selected = article if action != "remove" else None
    if action == "find":
        picker.find(search_words(request.POST, "article-find"))
        return _articles_section(request, story, picker=picker, focus="pick-article")
    if article is None:
        error = "Choose an article in the list." if action == "add" else "This article is no longer recorded."
        return _articles_section(request, story, status=422, picker=picker, error=error)
    if action == "remove":
        if not request.user.has_perm("factcheck.delete_storyarticle"):
            raise PermissionDenied
        removed = story.remove_article(article, by=request.user)
        notice = f"“{article.title}” taken out of the story." if removed else "That article was not in the story."
        return _articles_section(request, story, notice=notice)
    try:
        _, added = story.add_article(article, by=request.user)
    except ValidationError as error:
        return _articles_section(request, story, status=409, picker=picker, error=" ".join(error.messages))
    notice = f"“{article.title}” added to the story." if added else "That article is in the story already."
    return _articles_section(request, story, notice=notice, new_article_id=article.pk)


def _articles_section(request, story, *, status=200, **shown):
    if not request.htmx:
        if status == 200 and "focus" not in shown:
            messages.success(request, shown["notice"])
            return see_other(reverse("story_edit", args=[story.pk]) + "#articles")
        story = Story.objects.for_detail().get(pk=story.pk)
        context = {**_edit_context(story, **shown), "form": StoryForm(instance=story)}
        return render(request, "stories/edit.html", context, status=status)
    return render(request, "stories/edit.html#articles", _edit_context(story, **shown), status=status)


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.add_event", raise_exception=True)
def event_new(request, pk):
    story = get_object_or_404(Story, pk=pk)
    form = EventForm(request.POST or None, story=story)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            form.instance._history_user = request.user
            try:
                form.instance.save_over(None)
            except ValidationError as error:
                form.add_error(None, error.messages)
                status = 409
            else:
                messages.success(request, f"Event “{form.instance.name}” added.")
                return see_other(reverse("story_edit", args=[story.pk]) + "#events")
    return render(request, "stories/event.html", {"story": story, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.change_event", raise_exception=True)
def event_edit(request, pk):
    event = get_object_or_404(Event.objects.select_related("story"), pk=pk)
    event._history_user = request.user
    saved, status, context = edit_versioned(request, event, EventForm)
    if saved:
        messages.success(request, f"Event “{event.name}” saved.")
        return see_other(reverse("story_edit", args=[event.story_id]) + "#events")
    return render(request, "stories/event.html", {"story": event.story, "event": event, **context}, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.delete_event", raise_exception=True)
def event_delete(request, pk):
    """Ask, then delete an event; the claims it scoped keep their place in the story, without an event."""
    event = get_object_or_404(Event.objects.select_related("story"), pk=pk)
    if request.method == "POST":
        history.delete(event, by=request.user)
        messages.success(request, f"Event “{event.name}” deleted.")
        return see_other(reverse("story_edit", args=[event.story_id]) + "#events")
    context = {"story": event.story, "event": event, "scoped": event.claims.count(), "deleting": True}
    return render(request, "stories/event.html", context)


def _events_for(claim):
    """The events a claim may be about: those of its article's stories."""
    return (
        Event.objects.filter(story__story_articles__article=claim.article_id)
        .select_related("story")
        .order_by("story__title", "story", F("starts_on").asc(nulls_last=True), "name", "pk")
    )


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.change_claim", raise_exception=True)
def claim_scope(request, pk):
    """Choose the claim's event and type its tags."""
    claim = get_object_or_404(Claim.objects.for_detail().select_related("event"), pk=pk)
    form = ScopeForm(request.POST or None, claim=claim, events=_events_for(claim))
    context, status = {"claim": claim, "form": form}, 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                set_scope(
                    claim,
                    form.cleaned_data["event"],
                    form.cleaned_data["tags"],
                    by=request.user,
                    seen_version=form.cleaned_data["version"],
                )
            except EditConflict as error:
                context, status = _scope_conflict(request, claim, form, error.current), 409
            except ValidationError as error:
                form.add_error(None, error.messages)
                status = 409
            else:
                messages.success(request, "Event and tags saved.")
                return see_other(claim.get_absolute_url() + "#scope")
    return render(request, "claims/scope.html", context, status=status)


def _scope_conflict(request, claim, form, current):
    """Both versions side by side, and the form again with this editor's choice, over the colleague's version."""
    current = Claim.objects.select_related("event").get(pk=current.pk)
    theirs_tags = ", ".join(tag.name for tag in current.tags.all())
    mine_event = form.cleaned_data["event"]
    rows = []
    if (mine_event.pk if mine_event else None) != current.event_id:
        rows.append({"label": "event", "mine": str(mine_event or ""), "theirs": str(current.event or "")})
    mine_tags = ", ".join(form.cleaned_data["tags"])
    if mine_tags.lower() != theirs_tags.lower():
        rows.append({"label": "tags", "mine": mine_tags, "theirs": theirs_tags})
    last_change = current.history.select_related("history_user").first()
    data = request.POST.copy()
    data["version"] = current.version
    again = ScopeForm(data, claim=current, events=_events_for(current))
    conflict = {"by": last_change.history_user if last_change else None, "rows": rows}
    return {"claim": current, "form": again, "conflict": conflict}
