"""Project-level pages: the landing page of each role, and the health check."""

from typing import Any

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from kombu import Connection

from seva.base.scoping import user_scope
from seva.geo.models import AssemblySeat, Booth, District
from seva.people.models import Worker
from seva.people.roles import primary_role
from tasks17.selectors import campaign_period, district_task_progress, districts_silent_since, report_summary


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
            cells = district_task_progress(start=period.start, end=period.end)
            for (district_id, _task_id), cell in cells.items():
                behind[district_id] = behind.get(district_id, 0) + bool(cell.behind)
            silent = {d.pk: d for d in districts_silent_since(hours=48)}
            context["period"] = period
        if scope.everything:
            # Two grouped counts instead of one join of seats x workers: the join multiplies
            # rows (1,50,000 workers x 243 seats) and took ~350 ms at the state's size.
            seats = dict(AssemblySeat.objects.values_list("district").annotate(n=Count("pk")).order_by())
            workers = dict(
                Worker.objects.filter(is_active=True)
                .values_list("district")
                .annotate(n=Count("pk"))
                .order_by()
            )
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
            context["totals"] = {
                "seats": AssemblySeat.objects.filter(district=district).count(),
                "booths": Booth.objects.in_district(district.pk).count(),
                "workers": Worker.objects.in_district(district.pk).filter(is_active=True).count(),
            }
        return context


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    cache.set("healthz", "ok", 10)
    return "ok" if cache.get("healthz") == "ok" else "error: value not read back"


def _check_broker() -> str:
    url = settings.CELERY_BROKER_URL
    if url.startswith("memory://"):
        return "not configured: tasks run in-process"
    with Connection(url, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and cache answer; 503 (naming what failed) otherwise.

    The broker is reported but does not fail the check: without it reminders wait in the
    outbox and are sent when it is back, while the portal itself keeps working.
    """
    checks = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}
    report: dict[str, str] = {}
    for name, check in checks.items():
        try:
            report[name] = check()
        except Exception as error:  # noqa: BLE001 - any failure is reported, never raised
            report[name] = f"error: {type(error).__name__}"
    healthy = report["database"] == "ok" and report["cache"] == "ok"
    return JsonResponse({"status": "ok" if healthy else "error", **report}, status=200 if healthy else 503)
