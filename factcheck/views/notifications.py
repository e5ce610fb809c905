"""What colleagues did to your work: the list, marking it read, the header's unread count."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from .. import live
from ..models import Notification
from .editing import see_other
from .reading import as_id, page_of

# The event that tells the header's count to ask again at once (notification_poll).
CHANGED = "notifications-changed"


def _unread_count(user):
    return Notification.objects.filter(recipient=user).unread().count()


def _list_page(request, *, status=200, problem=None, done=None):
    page = page_of(request, Notification.objects.filter(recipient=request.user).for_list())
    context = {"page": page, "problem": problem, "done": done}
    template = "notifications/list.html#notification-list" if request.htmx else "notifications/list.html"
    return render(request, template, context, status=status)


@require_GET
@vary_on_headers("HX-Request")
def notification_list(request):
    return _list_page(request)


@require_POST
def notifications_read(request):
    """Mark one of your notifications read (its `id`, in the query or the form), or all of them."""
    raw = request.POST.get("id", request.GET.get("id"))
    pk = as_id(raw) if raw is not None else None
    if raw is not None and pk is None:
        return _list_page(request, status=422, problem="That is not a notification: nothing was marked read.")
    marked = Notification.mark_read(request.user, None if pk is None else [pk])
    done = "Notification marked read." if pk is not None else "All notifications marked read."
    if not request.htmx:
        if marked:
            messages.success(request, done)
        page = as_id(request.GET.get("page", ""))
        return see_other(reverse("notification_list") + (f"?{urlencode({'page': page})}" if page else ""))
    response = _list_page(request, done=done)
    return trigger_client_event(response, CHANGED)


@require_GET
@never_cache
@vary_on_headers("HX-Request", "HX-Target")
def notification_count(request):
    """The header's unread count, for its poll: 204 while it is the count the header shows (`shown`); without
    htmx, the notifications page itself. One query, whatever the process: the count is compared, not kept."""
    if not request.htmx:
        return _list_page(request)
    count = _unread_count(request.user)
    if live.unchanged(request, str(count)):
        return live.nothing_new()
    # The header marks the link as the current page on the notifications page itself.
    here = urlsplit(request.htmx.current_url or "").path == reverse("notification_list")
    return render(request, "_includes/header_notifications.html", {"header_unread": count, "listing_them": here})
