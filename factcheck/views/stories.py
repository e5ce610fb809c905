"""A story at a glance: its claims as a graph (and as a list), its camps, who disputes whom, its timeline."""

from django.contrib.auth.decorators import permission_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ..models import Story


@require_GET
@permission_required("factcheck.view_story", raise_exception=True)
def story_detail(request, pk):
    story = get_object_or_404(Story.objects.for_detail(), pk=pk)
    articles = story.articles.select_related("outlet").defer("body").order_by("published_on", "pk")
    dispute = story.dispute
    first_day, last_day = dispute.dates()
    context = {
        "story": story,
        "articles": articles,
        "dispute": dispute,
        "matrix": dispute.matrix(),
        "timeline": dispute.timeline(),
        "events": dispute.events(),
        "first_day": first_day,
        "last_day": last_day,
    }
    return render(request, "stories/detail.html", context)


@require_GET
@permission_required("factcheck.view_story", raise_exception=True)
def story_graph(request, pk):
    """The story's claims and links as graph data (nodes and edges), for the story page's graph."""
    story = get_object_or_404(Story, pk=pk)
    return JsonResponse(story.graph())
