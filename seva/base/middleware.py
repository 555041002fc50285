"""Middleware of the base layer: requests that carry control characters are refused, API
bodies are held to a size, and no shared cache keeps a signed-in user's data.

A NUL byte (``%00``) in a search box reaches PostgreSQL, which refuses it in any text (a 500
on every filter); other control characters (``\\x05``) have no place in a name or a query
either, and break the XLSX export of whatever stored them. One check here covers every page
and endpoint, form posts included, instead of one per field. Tabs and line breaks stay allowed
in posted values: a textarea sends them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from rest_framework.views import APIView

# Unicode's "Cc" category: C0 controls, DEL and the C1 controls.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_WHITESPACE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _carries(pattern: re.Pattern[str], items: Iterable[tuple[str, list[str]]]) -> bool:
    return any(pattern.search(key) or any(pattern.search(value) for value in values) for key, values in items)


def has_control_characters(request: HttpRequest) -> bool:
    """Whether the path, a query parameter or a posted form field holds a control character
    (tab, CR and LF allowed in parameter values)."""
    if _CONTROL.search(request.path):
        return True
    if _carries(_CONTROL_BUT_WHITESPACE, request.GET.lists()):
        return True
    return request.method == "POST" and _carries(_CONTROL_BUT_WHITESPACE, request.POST.lists())


def is_api(request: HttpRequest) -> bool:
    """Whether DRF serves ``request`` (everything under /api/, and an API view elsewhere such
    as ``/reports/activities.csv``), so that a refusal here answers in the JSON its schema
    documents."""
    if request.path.startswith("/api/"):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    view = getattr(match.func, "cls", None)
    return isinstance(view, type) and issubclass(view, APIView)


class RefuseControlCharactersMiddleware:
    """Answers 400 (JSON for the API, plain text for pages) before a control character
    reaches a view, a form or the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_control_characters(request):
            message = _("The request contains a control character (such as a NUL byte).")
            if is_api(request):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class ApiBodySizeMiddleware:
    """Refuses an API request whose body passes ``DATA_UPLOAD_MAX_MEMORY_SIZE`` with a 413 and
    a message in the user's language, before anything reads it.

    Django holds ``request.body`` and ``request.POST`` to that size (a 400 page past it), but
    DRF's parsers read the stream themselves, so a JSON, PUT or PATCH body of any size would
    be read into memory whole. No API operation takes a file, so every body is held to it.
    WSGI servers never hand the application more than ``Content-Length`` bytes (and DRF reads
    no body without one), so the header is the size. Pages keep Django's check: an import's
    spreadsheet is a file, which that limit does not count.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit and is_api(request):
            message = _("The request is %(size)s KB; the portal reads at most %(limit)s KB.") % {
                "size": -(-length // 1024),
                "limit": limit // 1024,
            }
            return JsonResponse({"detail": message}, status=413)
        return self.get_response(request)


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
