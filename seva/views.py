"""Project-level pages: the landing page of each role, and the health check."""

import hashlib
import logging
import sys
from typing import Any

from django import db
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.cache import get_conditional_response
from django.utils.crypto import get_random_string
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from django.views.i18n import set_language as django_set_language
from kombu import Connection
from rest_framework import exceptions as drf_exceptions

from seva.base.scoping import user_scope
from seva.geo.models import AssemblySeat, Booth, District
from seva.people.choices import Language
from seva.people.models import Profile, Worker
from seva.people.roles import primary_role
from tasks17.rollups import fresh_cached
from tasks17.selectors import (
    campaign_period,
    current_progress,
    district_task_progress,
    districts_silent_since,
    progress,
    report_summary,
    seats_silent,
)

logger = logging.getLogger(__name__)


# A seat with no report for this long is named on its coordinator's landing page.
SILENT_HOURS = 48


# The state landing page's active workers per district: a scan of 1,50,000 workers (~140 ms),
# kept a minute (a new worker shows within it; nothing is decided on this count).
WORKER_COUNTS_KEY = "home:worker-counts"
WORKER_COUNTS_SECONDS = 60


def _worker_counts() -> dict[int, int]:
    return dict(
        Worker.objects.filter(is_active=True).values_list("district").annotate(n=Count("pk")).order_by()
    )


def _tasks_behind(period: Any, district_id: int | None) -> dict[int, int]:
    """``{district id: tasks behind}`` over ``period``, from the one meaning of progress: for
    one district, its own targets only; state-wide, cached with the figures
    (``fresh_cached``), as the dashboard's are."""

    def count() -> dict[int, int]:
        lines = progress(start=period.start, end=period.end, district=district_id)
        cells = district_task_progress(start=period.start, end=period.end, lines=lines)
        behind: dict[int, int] = {}
        for (cell_district, _task_id), cell in cells.items():
            behind[cell_district] = behind.get(cell_district, 0) + bool(cell.behind)
        return behind

    return fresh_cached(f"home:behind:{period.start}:{period.end}", count, district_id=district_id)


def _with_percents(rows: list[Any]) -> list[Any]:
    """Whole percentages of each progress row's achievement and of its period gone, for the
    page (the fractions and ``behind`` stay as ``tasks17.selectors.progress`` made them)."""
    for row in rows:
        row.achieved_percent = round(row.achieved * 100)
        row.gone_percent = round(row.share_gone * 100)
    return rows


class HomeView(LoginRequiredMixin, TemplateView):
    """The landing page: what the signed-in user's role needs first, within their scope."""

    template_name = "home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scope = user_scope(user)
        context["role"] = primary_role(user)
        context["scope"] = scope
        if scope.nothing:
            return context
        if user.has_perm("tasks17.view_activity"):
            context["reports"] = report_summary(user=user)
        # Progress and silence per district, from the rollups and the districts' report clocks.
        behind: dict[int, int] = {}
        silent: dict[int, District] = {}
        context["progress_shown"] = user.has_perm("tasks17.view_target")
        if context["progress_shown"]:
            period = campaign_period()
            behind = _tasks_behind(period, scope.district_id)
            silent = {d.pk: d for d in districts_silent_since(hours=48)}
            context["period"] = period
        if scope.everything:
            # Two grouped counts instead of one join of seats x workers: the join multiplies
            # rows (1,50,000 workers x 243 seats) and took ~350 ms at the state's size.
            seats = dict(AssemblySeat.objects.values_list("district").annotate(n=Count("pk")).order_by())
            workers = cache.get_or_set(WORKER_COUNTS_KEY, _worker_counts, WORKER_COUNTS_SECONDS)
            districts = list(District.objects.order_by("position"))
            for district in districts:
                district.seat_count = seats.get(district.pk, 0)
                district.worker_count = workers.get(district.pk, 0)
                district.tasks_behind = behind.get(district.pk, 0)
                district.silent = district.pk in silent
            context["districts"] = districts
            context["totals"] = {
                "districts": District.objects.count(),
                "seats": AssemblySeat.objects.count(),
                "booths": Booth.objects.count(),
                "workers": sum(workers.values()),
                "silent": len(silent),
            }
        else:
            district = District.objects.get(pk=scope.district_id)
            district.tasks_behind = behind.get(district.pk, 0)
            district.silent = district.pk in silent
            context["district"] = district
            if context["progress_shown"]:
                context["my_progress"] = _with_percents(current_progress(district=district))
                context["silent_seats"] = seats_silent(district=district, hours=SILENT_HOURS)
                context["silent_hours"] = SILENT_HOURS
            context["totals"] = {
                "seats": AssemblySeat.objects.filter(district=district).count(),
                "booths": Booth.objects.in_district(district.pk).count(),
                "workers": Worker.objects.in_district(district.pk).filter(is_active=True).count(),
            }
        return context


def _check_database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True


def _check_cache() -> bool:
    # django-redis ignores a Redis error (IGNORE_EXCEPTIONS): the write is lost and the read
    # answers None, which is how an outage shows here.
    value = get_random_string(12)
    cache.set("healthz", value, 10)
    return cache.get("healthz") == value


def _check_broker() -> bool | None:
    url = settings.CELERY_BROKER_URL
    if url.startswith("memory://"):
        return None
    with Connection(url, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return True


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """``ok`` / ``down`` per component, and the portal's status.

    503 ("down") only when the database does not answer: nothing works without it, and a load
    balancer should take the container out. Without the cache (Redis) or the broker the portal
    still serves pages, sign-ins and reports, so the answer is 200 "degraded": pulling every
    container over a Redis outage would turn a slower portal into no portal. No exception
    names or messages: anyone may call this.
    """
    checks = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}
    report: dict[str, str] = {}
    for name, check in checks.items():
        try:
            result = check()
        except Exception:  # any failure is "down", logged, never raised or described
            logger.warning("healthz: %s is down", name, exc_info=True)
            result = False
        report[name] = "not configured" if result is None else ("ok" if result else "down")
    if report["database"] != "ok":
        status = "down"
    elif "down" in report.values():
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse({"status": status, **report}, status=503 if status == "down" else 200)


# --- Error pages --------------------------------------------------------------------------------
# Pages get the portal's own templates (templates/403.html, 404.html, 500.html, 403_csrf.html);
# the API answers JSON in DRF's shape whatever the error, so a client never parses a page.


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return drf_exceptions.bad_request(request, exception)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": str(drf_exceptions.PermissionDenied.default_detail)}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": str(drf_exceptions.NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


# The database did not answer (down, restarting, a connection cut, a statement timeout).
_DATABASE_UNAVAILABLE = (db.OperationalError, db.InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. Django calls it inside the ``except`` of the failing request (any
    middleware's or view's), so the exception is at hand: the database not answering is a
    503 with ``Retry-After`` — the client waits and tries again (the phone's queue does by
    itself) — never a 500. Nothing was half-saved: every write is one transaction."""
    if isinstance(sys.exc_info()[1], _DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    if _is_api(request):
        return drf_exceptions.server_error(request)
    return defaults.server_error(request)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        response: HttpResponse = JsonResponse(
            {"detail": _("The service is briefly unavailable. Try again in a few seconds.")}, status=503
        )
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(settings.SEVA_RETRY_AFTER_SECONDS)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: Django's own page is English and plain; ours is in the portal's layout
    and the user's language, with the request's context (menu, user). Status stays 403."""
    if _is_api(request):
        return JsonResponse({"detail": str(drf_exceptions.PermissionDenied.default_detail)}, status=403)
    return render(request, "403_csrf.html", {"reason": reason}, status=403)


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico whatever the page links: the static one. Its URL is read
    per request, not at import: in production it is a hashed name from collectstatic's
    manifest, which `manage.py check` (run before collectstatic) must not need."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


SERVICE_WORKER = "sw.js"


def _static_text(name: str) -> str:
    """A static file's text: from the source folders where finders serve (tests, `make run`),
    else from what collectstatic wrote (production keeps the unhashed copy too)."""
    path = finders.find(name) if settings.WHITENOISE_USE_FINDERS else None
    if path:
        with open(path, encoding="utf-8") as file:
            return file.read()
    try:
        with staticfiles_storage.open(name) as file:
            return file.read().decode("utf-8")
    except FileNotFoundError as missing:
        raise Http404(name) from missing


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """``static/sw.js`` at the root URL ``/sw.js``, so its scope can be the whole portal.

    A service worker's URL must not change (a hashed name would be a new worker each release),
    and the browser must ask for it each time it checks for an update (``no-cache``: it
    revalidates; the worker's own byte comparison decides whether it changed).
    ``Service-Worker-Allowed: /`` lets it control every page, whatever folder it came from.
    """
    text = _static_text(SERVICE_WORKER)
    # The browser checks for a new worker at every navigation: unchanged, it gets a 304.
    etag = quote_etag(hashlib.sha256(text.encode()).hexdigest()[:32])
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        text, content_type="text/javascript; charset=utf-8"
    )
    response["ETag"] = etag
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@never_cache
@require_GET
def offline_token(request: HttpRequest) -> JsonResponse:
    """A fresh CSRF token and who is signed in, for sending the reports a phone queued offline
    (``static/js/queue.js``): each queued report is posted with a token fetched just before,
    and only by the user who made it. Signed out: 403 ``{"signed_in": false}`` (the queue waits
    for the next sign-in); never a redirect, which a script would have to guess at."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=403)
    return JsonResponse({"signed_in": True, "user": request.user.pk, "csrf": get_token(request)})


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers the choice as the signed-in user's
    language of messages (reminders, escalations: seva/notify): the language he reads the
    portal in is the one he wants to be written to in."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in Language.values:
        Profile.objects.filter(user_id=request.user.pk).update(language=language)
    return response
