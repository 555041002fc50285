"""Rate limits kept in the cache, for the API (DRF throttles) and for plain Django views.

DRF's throttles read their rates once, at import; these read ``DEFAULT_THROTTLE_RATES`` at
each request, so a rate can be changed by settings (and in tests). They key on what was
posted (a user name, an e-mail address) as well as on the address, so an attacker who
changes address every try is still slowed down on one name. When the cache is unreachable
they let the request through (django-redis ignores the error and reads nothing): a Redis
outage must not stop sign-ins.
"""

import hashlib
from typing import Any

from django.http import HttpRequest
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .net import client_ip


class ConfiguredRateThrottle(SimpleRateThrottle):
    """A throttle whose rate is ``DEFAULT_THROTTLE_RATES[scope]`` at request time."""

    scope = ""

    def __init__(self) -> None:
        # SimpleRateThrottle reads the rate in __init__; ours is read in allow_request.
        pass

    def allow_request(self, request: Any, view: Any) -> bool:
        # DRF's own, but a cache that answers None (Redis down, errors ignored) means "no
        # history", where DRF's would fail on len(None).
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.history = self.cache.get(self.key) or []
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request: Any) -> str:
        return client_ip(request)

    def key_value(self, request: Any) -> str | None:
        """What to count requests by; ``None`` lets the request through uncounted."""
        return None

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        value = self.key_value(request)
        if not value:
            return None
        digest = hashlib.sha256(value.encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": digest}


class AddressRateThrottle(ConfiguredRateThrottle):
    """Counts every request from one client address (proxies as ``SEVA_PROXY_COUNT`` says)."""

    def key_value(self, request: Any) -> str | None:
        return self.get_ident(request)


class PostedFieldRateThrottle(ConfiguredRateThrottle):
    """Counts requests naming one value of ``field`` (case and spaces ignored), any address."""

    field = ""

    def key_value(self, request: Any) -> str | None:
        data = getattr(request, "data", None)
        if data is None:
            data = request.POST
        value = data.get(self.field) if hasattr(data, "get") else None
        if not isinstance(value, str):
            return None
        return value.strip().casefold() or None


def throttled(request: HttpRequest, throttles: list[ConfiguredRateThrottle]) -> float | None:
    """For a plain Django view: ``None`` if every throttle lets ``request`` through, else the
    seconds to wait (the longest of those that refuse)."""
    waits = [throttle.wait() or 0.0 for throttle in throttles if not throttle.allow_request(request, None)]
    return max(waits) if waits else None


class UserRateThrottle(ConfiguredRateThrottle):
    """The whole API's limit per signed-in user (``DEFAULT_THROTTLE_RATES["user"]``), counted
    by user id whatever the address or token; anonymous requests are left to
    :class:`AnonRateThrottle`."""

    scope = "user"

    def key_value(self, request: Any) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return f"user:{user.pk}"


class AnonRateThrottle(ConfiguredRateThrottle):
    """The whole API's limit per client address for requests with no user
    (``DEFAULT_THROTTLE_RATES["anon"]``): the token sign-in, the schema, a wrong token."""

    scope = "anon"

    def key_value(self, request: Any) -> str | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        return f"address:{self.get_ident(request)}"
