"""Middleware of the base layer: no shared cache keeps a signed-in user's data."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in user.

    Lists of donors and workers carry phone numbers: a shared proxy or the browser's disk
    cache must not keep them after the user signs out. Static files stay cacheable. The user
    is read after the view, so an API request signed in by token (DRF sets ``request.user``
    when it authenticates) is covered as well as a session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False) or "HTTP_AUTHORIZATION" in request.META:
            patch_cache_control(response, private=True, no_store=True)
        return response
