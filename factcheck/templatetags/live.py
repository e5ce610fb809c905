from django import template
from django.utils.html import format_html

from ..live import poll_seconds

register = template.Library()


@register.simple_tag(takes_context=True)
def live_poll(context, url):
    """The attributes that make an element a live region polling `url` (see factcheck.live)."""
    return format_html(
        'data-live hx-get="{}" hx-trigger="every {}s" hx-swap="outerHTML" hx-vals=\'{{"shown": "{}"}}\' '
        'hx-indicator="this"',
        url,
        poll_seconds(),
        context.get("live_stamp", ""),
    )
