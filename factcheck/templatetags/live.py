from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..live import cached_region, poll_seconds

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


class RegionNode(template.Node):
    def __init__(self, name, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        request = context.get("request")
        if request is None or context.get("fresh"):
            return self.nodelist.render(context)
        return mark_safe(cached_region(request, self.name, lambda: self.nodelist.render(context)))


@register.tag
def region(parser, token):
    """{% region "name" %}...{% endregion %}: a part of a page rendered once per change of the data and
    kept meanwhile (factcheck.live.cached_region). The view hands it lazy values (querysets, callables),
    so that a kept region reads nothing from the database. A context with `fresh` (a notice shown once)
    renders it anew and keeps nothing."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("{% region %} takes one quoted name")
    nodelist = parser.parse(("endregion",))
    parser.delete_first_token()
    return RegionNode(bits[1][1:-1], nodelist)
