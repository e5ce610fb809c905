from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from ..forms.workflow import statuses_for
from ..live import poll_seconds
from ..models import ReviewStatus
from ..models.workflow import short

register = template.Library()

OPEN = (ReviewStatus.TO_CHECK, ReviewStatus.IN_REVIEW)


@register.filter
def overdue(item):
    """Whether a claim's or a link's review is late: due before today and not reviewed yet."""
    return item.due_on is not None and item.due_on < timezone.localdate() and item.review_status in OPEN


@register.simple_tag(takes_context=True)
def review_of(context, item):
    """What the review block and the board's card need about a claim or a link: its kind, its URLs, whether the
    user may change it, and the columns it may move to (the next one chosen first)."""
    kind = "link" if item._meta.model_name == "claimlink" else "claim"
    perms = context.get("perms")
    columns = statuses_for(item)
    values = [value for value, _ in columns]
    at = values.index(item.review_status) if item.review_status in values else 0
    after = values[at + 1] if at + 1 < len(values) else values[at - 1]
    if kind == "link":
        title = f"“{short(item.from_claim, 30)}” {item.get_kind_display().lower()} “{short(item.to_claim, 30)}”"
    else:
        title = f"“{short(item, 50)}”"
    return {
        "kind": kind,
        "key": f"{kind}-{item.pk}",
        "title": title,
        "move_url": reverse(f"{kind}_move", args=[item.pk]),
        "assignment_url": reverse(f"{kind}_assignment", args=[item.pk]),
        "can_change": bool(perms and perms["factcheck"][f"change_{'claimlink' if kind == 'link' else 'claim'}"]),
        "moves": [(value, label, value == after) for value, label in columns if value != item.review_status],
    }


@register.simple_tag
def notification_poll(url, shown=None):
    """The header count's polling attributes (factcheck.live's conventions): the first render asks at once, as the
    page loads (the pages themselves never count); then every few seconds, answered 204 while the count stays."""
    first = shown is None or shown == ""  # not counted yet: the page itself
    trigger = ("load, " if first else "") + f"every {poll_seconds()}s, notifications-changed from:body"
    return format_html(
        'data-live hx-get="{}" hx-trigger="{}" hx-swap="outerHTML" hx-vals=\'{{"shown": "{}"}}\' hx-params="shown" '
        'hx-indicator="this"',
        url,
        trigger,
        "" if first else shown,
    )
