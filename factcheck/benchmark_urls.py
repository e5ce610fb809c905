"""The app's URLs plus bench/reference/, the yardstick of scripts/benchmark.py (factcheck.settings_benchmark).
Kept out of factcheck/urls.py: the site itself never serves it."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import path
from django.views.decorators.http import require_GET

from .models import Article
from .urls import urlpatterns as site_urlpatterns
from .views.reading import selected_id

ONE_LINE = engines["django"].from_string("<p>{{ article.title }}</p>\n")


@require_GET
def reference(request):
    """The least a logged-in page does: the session and the user (middleware, login required as everywhere),
    one primary-key query, a one-line template."""
    article = get_object_or_404(Article.objects.only("pk", "title"), pk=selected_id(request, "article"))
    return HttpResponse(ONE_LINE.render({"article": article}, request))


urlpatterns = [*site_urlpatterns, path("bench/reference/", reference, name="bench_reference")]
