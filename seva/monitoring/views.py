"""The dashboards: the state, a district, a seat, a booth. Thin: the figures come from
``selectors``, the date range from ``periods``; scope is ``visible_to`` as everywhere, so
another district is a 404. A district-scoped user asking for the state dashboard is sent to
his district's."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from helplines.selectors import helpline_figures, state_helpline_figures
from seva.base.dbrouters import replica_reads
from seva.base.scoping import user_scope
from seva.geo.models import AssemblySeat, Booth, District

from . import cartogram, selectors
from .periods import QUICK_DAYS, Period, default_period, read_period

# Colour bands of the map and table, lowest first, with their words (colour is never alone).
LEGEND = [
    ("band-none", "—"),
    ("band-0", "0–24%"),
    ("band-1", "25–49%"),
    ("band-2", "50–74%"),
    ("band-3", "75–99%"),
    ("band-4", "100%+"),
]


class DashboardView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """A dashboard page for the period of ``?from=&to=`` (or ``?days=``). A bad period is
    answered with status 400, its message, and the default period's figures."""

    permission_required = "monitoring.view_dashboard"
    errors: dict[str, list[str]]
    period: Period

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.today = timezone.localdate()
        self.errors = {}
        try:
            self.period = read_period(request.GET, today=self.today)
        except ValidationError as error:
            self.errors = error.message_dict
            self.period = default_period(self.today)
        # The figures may come from the read replica (seva/base/dbrouters.py): rendered here,
        # inside the block, as a TemplateResponse would otherwise render after it.
        with replica_reads():
            response = super().get(request, *args, **kwargs)
            response.render()
        if self.errors:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = {"from": self.period.start.isoformat(), "to": self.period.end.isoformat()}
        context.update(
            period=self.period,
            today=self.today,
            period_errors=[message for messages in self.errors.values() for message in messages],
            query=urlencode(query),
            quick=[(days, urlencode({"days": days})) for days in QUICK_DAYS],
            legend=LEGEND,
        )
        return context


def _chart_labels() -> dict[str, Any]:
    return {
        "reported": _("Reported"),
        "verified": _("Verified"),
        "days": [_("Last day"), _("Last 3 days"), _("Last 7 days")],
        "share": _("Share with a report (%)"),
    }


def _trend_data(blocks: list[selectors.TaskBlock], trend: dict) -> dict[str, Any]:
    """The daily series of ``trend`` with the names of the active language, for the charts."""
    names = {block.task.code: block for block in blocks}
    tasks = []
    for entry in trend["tasks"]:
        block = names.get(entry["code"])
        labels = {line.metric.pk: line.metric.label for line in block.metrics} if block else {}
        tasks.append(
            {
                "code": entry["code"],
                "title": block.task.title if block else entry["code"],
                "metrics": [
                    {**metric, "label": labels.get(metric["metric_id"], metric["code"])}
                    for metric in entry["metrics"]
                ],
            }
        )
    # The axis shows days as every page does ("26 Nov", "26 नवं॰"), not as ISO dates.
    day_labels = [date_format(datetime.date.fromisoformat(day), "MONTH_DAY_FORMAT") for day in trend["days"]]
    return {"days": trend["days"], "day_labels": day_labels, "tasks": tasks, "labels": _chart_labels()}


class StateDashboardView(DashboardView):
    """The state office's main screen: headline figures, districts x tasks, the map, the
    trends, the reporting rates and the laggards."""

    template_name = "monitoring/state.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = user_scope(request.user)
        if scope.nothing:
            raise PermissionDenied
        if not scope.everything:
            district = get_object_or_404(District, pk=scope.district_id)
            url = reverse("monitoring:district", args=[district.code])
            return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        board = selectors.state_dashboard(period=self.period, today=self.today)
        tasks = [block.task for block in board.tasks]
        code = self.request.GET.get("task") or (tasks[0].code if tasks else "")
        column = next((n for n, task in enumerate(tasks) if task.code == code), None)
        if tasks and column is None:
            self.errors["task"] = [_("There is no active task with the code “%(code)s”.") % {"code": code}]
            context["period_errors"] = [*context["period_errors"], *self.errors["task"]]
            column = 0
        map_task = tasks[column] if tasks else None
        tiles = []
        for row in board.districts:
            place = cartogram.tile(row.district.code)
            if place is not None:
                cell = row.cells[column] if map_task else selectors.Cell()
                tiles.append({"row": row, "tile": place, "cell": cell})
        context.update(
            board=board,
            # The rendered figures are cached too (a fragment per version, period, task and
            # language): drawing 38 districts x the tasks took most of a warm request.
            fragment_key=f"{board.version}:{self.period.start}:{self.period.end}:{self.today}",
            map_task=map_task,
            tiles=tiles,
            map_width=cartogram.WIDTH,
            map_height=cartogram.HEIGHT,
            trend_data=_trend_data(board.tasks, board.trend),
            rates_data={
                "districts": [row.district.name for row in board.districts],
                "seats": board.rates_chart["seats"],
                "booths": board.rates_chart["booths"],
                "labels": _chart_labels(),
            },
        )
        context["helpline"], context["helpline_districts"] = state_helpline_figures(
            start=self.period.start, end=self.period.end
        )
        return context


class DistrictDashboardView(DashboardView):
    """A district's dashboard: its figures, seats x tasks, reporting, workers, camps."""

    template_name = "monitoring/district.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        district = get_object_or_404(District.objects.visible_to(self.request.user), code=self.kwargs["code"])
        board = selectors.district_dashboard(district=district, period=self.period, today=self.today)
        context.update(
            board=board,
            district=district,
            state_wide=user_scope(self.request.user).everything,
            trend_data=_trend_data(board.tasks, board.trend),
            helpline=helpline_figures(district=district, start=self.period.start, end=self.period.end),
        )
        return context


class SeatDashboardView(DashboardView):
    """An assembly seat's booths x tasks."""

    template_name = "monitoring/seat.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        seat = get_object_or_404(
            AssemblySeat.objects.visible_to(self.request.user).select_related("district"),
            district__code=self.kwargs["code"],
            number=self.kwargs["number"],
        )
        context.update(seat=seat, board=selectors.seat_dashboard(seat=seat, period=self.period))
        return context


class BoothDashboardView(DashboardView):
    """A booth's reports in the period."""

    template_name = "monitoring/booth.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        booth = get_object_or_404(
            Booth.objects.visible_to(self.request.user).select_related("assembly_seat__district", "mandal"),
            assembly_seat__district__code=self.kwargs["code"],
            assembly_seat__number=self.kwargs["number"],
            number=self.kwargs["booth"],
        )
        context.update(booth=booth, reports=selectors.booth_reports(booth=booth, period=self.period))
        return context
