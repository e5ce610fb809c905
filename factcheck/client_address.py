"""The address a request really came from, for login throttling (django-axes calls `client_address`)."""

import ipaddress

from django.conf import settings


def client_address(request):
    """The client's address: REMOTE_ADDR, or behind `FACTCHECK_TRUSTED_PROXIES` proxies, the address the outermost
    of them received the request from.

    Each proxy appends the address it received from to X-Forwarded-For, so with N proxies in front the client is the
    Nth entry from the right; everything left of it was written by the client and may be forged. A header with fewer
    entries than that (the request skipped a proxy), or an entry that is not an IP address, is not to be trusted:
    then the connection's own address counts."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.FACTCHECK_TRUSTED_PROXIES
    if proxies < 1:
        return remote
    entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(entries) < proxies:
        return remote
    try:
        # One spelling per address (2001:DB8::0:1 is 2001:db8::1), so a lockout cannot be dodged by respelling it.
        return str(ipaddress.ip_address(entries[-proxies].strip()))
    except ValueError:
        return remote
