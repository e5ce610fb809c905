from urllib.parse import urlsplit

from django import template

register = template.Library()


@register.filter
def web_url(value):
    """The address only if it is an http(s) web address: a stored `javascript:` or
    `data:` URL (the ORM and imports skip form validation) must never become a link."""
    value = (value or "").strip()
    return value if urlsplit(value).scheme.lower() in {"http", "https"} else ""
