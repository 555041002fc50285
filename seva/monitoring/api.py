"""``GET /api/v1/dashboard/state/`` and ``/api/v1/dashboard/districts/{code}/``: the
dashboards' figures as JSON, for ``?from=&to=`` (or ``?days=``). A bad date or range is a 400
naming the parameter (the exception handler answers ``read_period``'s ``ValidationError``);
another district is a 404; the state's figures need a state-wide scope (a coordinator: 403)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from helplines.selectors import helpline_figures, state_helpline_figures
from seva.base.dbrouters import replica_reads
from seva.base.scoping import user_scope
from seva.geo.models import District

from . import selectors
from .periods import read_period
from .serializers import DistrictDashboardSerializer, StateDashboardSerializer

PERIOD_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (default: the campaign's first day)."),
    OpenApiParameter(
        "to", OpenApiTypes.DATE, description="Last day (default: today). At most a year after `from`."
    ),
    OpenApiParameter(
        "days", OpenApiTypes.INT, enum=[1, 7, 30], description="The last 1, 7 or 30 days, instead."
    ),
]


class CanSeeDashboards(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return request.user.has_perm("monitoring.view_dashboard")


def _period(period: selectors.Period) -> dict:
    return {"start": period.start, "end": period.end}


def _coordinator(worker: Any) -> dict | None:
    return {"name": worker.name, "phone": worker.phone} if worker else None


def _rates(rates: selectors.Rates) -> dict:
    return {name: getattr(rates, name) for name in selectors.Rates.__dataclass_fields__}


def _tasks(blocks: list[selectors.TaskBlock]) -> list[dict]:
    return [
        {
            "code": block.task.code,
            "number": block.task.number,
            "title_en": block.task.title_en,
            "title_hi": block.task.title_hi,
            "metrics": [
                {
                    "code": line.metric.code,
                    "label_en": line.metric.label_en,
                    "label_hi": line.metric.label_hi,
                    "reported": line.reported,
                    "verified": line.verified,
                    "target": line.target,
                    "achieved": line.achieved,
                    "behind": line.behind,
                }
                for line in block.metrics
            ],
        }
        for block in blocks
    ]


def _daily(trend: dict) -> dict:
    return {
        "days": trend["days"],
        "tasks": [
            {
                "code": task["code"],
                "metrics": [
                    {"code": m["code"], "reported": m["reported"], "verified": m["verified"]}
                    for m in task["metrics"]
                ],
            }
            for task in trend["tasks"]
        ],
    }


class StateDashboardAPI(APIView):
    permission_classes = [IsAuthenticated, CanSeeDashboards]

    @extend_schema(
        operation_id="dashboard_state",
        parameters=PERIOD_PARAMETERS,
        responses=StateDashboardSerializer,
        summary="The state dashboard's figures",
    )
    @replica_reads()
    def get(self, request: Request) -> Response:
        if not user_scope(request.user).everything:
            raise PermissionDenied
        board = selectors.state_dashboard(period=read_period(request.query_params))
        helplines, by_district = state_helpline_figures(start=board.period.start, end=board.period.end)
        codes = [block.task.code for block in board.tasks]
        data = {
            "period": _period(board.period),
            "tasks": _tasks(board.tasks),
            "districts": [
                {
                    "code": row.district.code,
                    "name_en": row.district.name_en,
                    "name_hi": row.district.name_hi,
                    "achievement": [
                        {"task": code, "achieved": cell.achieved, "behind": cell.behind}
                        for code, cell in zip(codes, row.cells, strict=True)
                    ],
                    "reporting_rates": _rates(row.rates),
                    "silent": row.silent,
                    "coordinator": _coordinator(row.coordinator),
                }
                for row in board.districts
            ],
            "silent": [row.district.code for row in board.silent],
            "lowest": [row.district.code for row in board.lowest],
            "daily": _daily(board.trend),
            "helplines": helplines,
            "helpline_districts": [{**row, "district": row["district"].code} for row in by_district],
        }
        return Response(StateDashboardSerializer(data).data)


class DistrictDashboardAPI(APIView):
    permission_classes = [IsAuthenticated, CanSeeDashboards]

    @extend_schema(
        operation_id="dashboard_district",
        parameters=PERIOD_PARAMETERS,
        responses=DistrictDashboardSerializer,
        summary="A district dashboard's figures",
    )
    @replica_reads()
    def get(self, request: Request, code: str) -> Response:
        district = get_object_or_404(District.objects.visible_to(request.user), code=code)
        board = selectors.district_dashboard(district=district, period=read_period(request.query_params))
        data = {
            "period": _period(board.period),
            "code": district.code,
            "name_en": district.name_en,
            "name_hi": district.name_hi,
            "tasks": _tasks(board.tasks),
            "reporting_rates": _rates(board.rates),
            "booths": board.booths,
            "mandals": board.mandals,
            "mandals_reporting": board.mandals_reporting,
            "active_workers": board.active_workers,
            "camps": board.camps,
            "corona_free_booths": board.corona_free_booths,
            "coordinator": _coordinator(board.coordinator),
            "seats": [
                {
                    "number": row.seat.number,
                    "name_en": row.seat.name_en,
                    "name_hi": row.seat.name_hi,
                    "reported": {
                        task.code: value for (task, _), value in zip(board.primary, row.values, strict=True)
                    },
                }
                for row in board.seats
            ],
            "daily": _daily(board.trend),
            "helplines": helpline_figures(district=district, start=board.period.start, end=board.period.end),
        }
        return Response(DistrictDashboardSerializer(data).data)


urlpatterns = [
    path("dashboard/state/", StateDashboardAPI.as_view(), name="dashboard-state"),
    path("dashboard/districts/<slug:code>/", DistrictDashboardAPI.as_view(), name="dashboard-district"),
]
