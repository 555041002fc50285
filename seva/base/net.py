"""The client's address, trusting ``X-Forwarded-For`` only as far as our own proxies.

Each proxy in front of the portal appends the address it received the request from to
``X-Forwarded-For``; whatever lies left of those entries was written by the client and may be
anything. With ``SEVA_PROXY_COUNT = n`` the client is the n-th address from the right (as DRF's
``NUM_PROXIES`` reads it); with 0, the header is ignored and the socket's address counts.
"""

from typing import Any

from django.conf import settings


def client_ip(request: Any) -> str:
    """The address to count sign-in failures and throttles against."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "SEVA_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    return forwarded[-min(count, len(forwarded))]
