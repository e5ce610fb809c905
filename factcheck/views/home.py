from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import history
from ..models import Article, Claim, ClaimLink, Source


@require_GET
@login_not_required
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
@login_not_required
def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever icon a page names: send them to the site's SVG icon.
    A temporary redirect, kept a day: the icon's static address changes with its content when deployed."""
    response = redirect(static("favicon.svg"))
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response


def claim_counts():
    """All claims, and those waiting for a verdict (an opinion marked not checkable is settled), in one query."""
    waiting = Q(verdict__in=Claim.WAITING_VERDICTS)
    return Claim.objects.aggregate(total=Count("pk"), waiting=Count("pk", filter=waiting))


@require_GET
def home(request):
    claims = SimpleLazyObject(claim_counts)
    # Lazy: counted and read only when the page's region is rendered, not when it is kept.
    return render(
        request,
        "home.html",
        {
            "article_count": Article.objects.count,
            "claim_count": lambda: claims["total"],
            "waiting_count": lambda: claims["waiting"],
            "source_count": Source.objects.count,
            "contradiction_count": ClaimLink.objects.contradictions().standing().count,
            "orphaned_count": Claim.objects.orphaned().count,
            "newest_claims": Claim.objects.for_list().order_by("-created_at", "-pk")[:6],
            "newest_links": ClaimLink.objects.for_list()[:6],
            "open_contradictions": ClaimLink.objects.contradictions().open().for_list()[:6],
            "activity": history.team_activity,
        },
    )
