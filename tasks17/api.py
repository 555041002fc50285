"""Tasks API: the catalogue, targets, and activity reports with their review.

Services raise Django's ``ValidationError`` / ``PermissionDenied``; the API's exception handler
(``seva.base.errors.exception_handler``) answers them as 400 with field errors and 403."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from seva.base.rest import ScopedModelViewSet, ScopedReadOnlyViewSet
from seva.base.scoping import user_scope

from . import services
from .filters import ActivityFilter, TargetFilter
from .models import Activity, Metric, Target, Task
from .selectors import attach_achievement
from .serializers import (
    ActivitySerializer,
    RejectSerializer,
    TargetSerializer,
    TargetValueSerializer,
    TaskSerializer,
)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "include_inactive", OpenApiTypes.BOOL, description="State users: list retired tasks too."
            )
        ]
    )
)
class TaskViewSet(ScopedReadOnlyViewSet):
    """The campaign's tasks with their metrics, by ``code``: active ones unless
    ``?include_inactive=true`` (state users)."""

    queryset = Task.objects.all()
    serializer_class = TaskSerializer
    lookup_field = "code"
    filterset_class = None

    def get_queryset(self) -> Any:
        queryset = (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("metrics", Metric.objects.filter(is_active=True), to_attr="listed_metrics")
            )
        )
        wants_all = self.request.query_params.get("include_inactive", "").lower() in ("true", "1", "yes")
        if self.action == "list" and not (wants_all and user_scope(self.request.user).everything):
            queryset = queryset.active()
        return queryset


class TargetViewSet(ScopedModelViewSet):
    """Targets per district, task metric and period; ``?task=<code>&district=<code>``.
    ``PATCH {id}/ {value}`` corrects a target's number (state staff; its history keeps the
    earlier one)."""

    queryset = Target.objects.select_related("task", "metric", "district")
    serializer_class = TargetSerializer
    filterset_class = TargetFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        return attach_achievement(page) if page is not None else None

    def get_object(self) -> Target:
        return attach_achievement([super().get_object()])[0]

    def perform_create(self, serializer: TargetSerializer) -> None:
        target = services.target_create(by=self.request.user, **serializer.validated_data)
        serializer.instance = attach_achievement([target])[0]

    @extend_schema(request=TargetValueSerializer, responses=TargetSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        target = super().get_object()
        serializer = TargetValueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target = services.target_update(
            by=request.user, target=target, value=serializer.validated_data["value"]
        )
        return Response(self.get_serializer(attach_achievement([target])[0]).data)


class ActivityViewSet(ScopedModelViewSet):
    """Activity reports. POST stores a report once per ``client_uuid``: 201 when new, 200 with
    the first record when the same ``client_uuid`` is sent again. PATCH lets the reporter
    correct his own report while it awaits review (task, date, place, values, notes)."""

    queryset = Activity.objects.for_listing()
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        activity = self.get_object()
        serializer = self.get_serializer(activity, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        current = {
            "task": activity.task,
            "date": activity.date,
            "values": activity.numbers,
            "assembly_seat": activity.assembly_seat,
            "mandal": activity.mandal,
            "booth": activity.booth,
            "notes": activity.notes,
        }
        changes = {key: data[key] for key in current if key in data}
        return self._answer(
            services.activity_update(by=request.user, activity=activity, **{**current, **changes})
        )

    def get_permissions(self) -> list[Any]:
        # Reviewing is decided per report by services.can_review, not by a model permission.
        if self.action in ("verify", "reject"):
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(responses={200: ActivitySerializer, 201: ActivitySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity, created = services.activity_submit_or_get(by=request.user, **serializer.validated_data)
        if created:
            # The new report holds its places and numbers already: no need to read it back.
            return Response(self.get_serializer(activity).data, status=status.HTTP_201_CREATED)
        return self._answer(activity)

    def _answer(self, activity: Activity, status_code: int = status.HTTP_200_OK) -> Response:
        """The report as the list shows it (values and places fetched with it)."""
        return Response(self.get_serializer(self.get_queryset().get(pk=activity.pk)).data, status=status_code)

    @extend_schema(request=None, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        """Accept a submitted report (state staff, or the district's president)."""
        return self._answer(services.activity_verify(by=request.user, activity=self.get_object()))

    @extend_schema(request=RejectSerializer, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Send a submitted report back with ``{reason}``, which the reporter sees."""
        activity = self.get_object()
        reason = RejectSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        return self._answer(
            services.activity_reject(
                by=request.user, activity=activity, reason=reason.validated_data["reason"]
            )
        )


router = DefaultRouter()
router.include_root_view = False
router.register("tasks", TaskViewSet)
router.register("targets", TargetViewSet)
router.register("activities", ActivityViewSet)
