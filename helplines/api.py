"""Helplines API: ``/api/v1/helplines/``, ``/shifts/``, ``/help-requests/`` (``assign``,
``resolve``, ``events``, ``matches``) and ``/facilities/`` (``availability``).

Scoped like every endpoint (``visible_to``; another district's or helpline's request is a
404); writes call ``helplines.services`` and their errors come back as 400
``{field: [message]}`` or 403 through the API's exception handler. Names and phones of a
request are masked for those who may not see them; retrieving one that shows them is an event
on its timeline."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from seva.audit.choices import SubjectKind
from seva.audit.services import access_viewed
from seva.base.rest import CHANGE_ACTION, ServiceModelViewSet, needs_permission

from . import services
from .filters import FacilityFilter, HelpRequestFilter, ShiftFilter
from .models import AvailabilityReport, Facility, Helpline, HelpRequest, Shift
from .privacy import can_see_personal
from .selectors import donor_matches, latest_reports
from .serializers import (
    AssignSerializer,
    AvailabilitySerializer,
    DonorMatchSerializer,
    FacilitySerializer,
    HelplineSerializer,
    HelpRequestSerializer,
    RequestEventSerializer,
    ResolveSerializer,
    ShiftSerializer,
)


class HelplineViewSet(ServiceModelViewSet):
    """Helplines in the user's scope (his own, his district's, those serving it). POST: the
    state office sets one up."""

    queryset = Helpline.objects.select_related("district").prefetch_related("districts")
    serializer_class = HelplineSerializer
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer: HelplineSerializer) -> None:
        serializer.instance = services.helpline_create(by=self.request.user, **serializer.validated_data)


class ShiftViewSet(ServiceModelViewSet):
    """The roster. POST and PATCH: the helpline's lead; one operator's shifts never overlap.
    ``?helpline=&operator=``."""

    queryset = Shift.objects.select_related("operator")
    serializer_class = ShiftSerializer
    filterset_class = ShiftFilter

    def perform_create(self, serializer: ShiftSerializer) -> None:
        serializer.instance = services.shift_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: ShiftSerializer) -> None:
        data = {key: value for key, value in serializer.validated_data.items() if key != "helpline"}
        serializer.instance = services.shift_update(
            by=self.request.user, shift=serializer.instance, data=data
        )


class HelpRequestViewSet(ServiceModelViewSet):
    """Help requests: an operator's helplines' (any district), a district's, or all for the
    state. ``?status=&district=<code>&category=&urgency=&reference=&helpline=``."""

    queryset = HelpRequest.objects.select_related("helpline", "district")
    serializer_class = HelpRequestSerializer
    filterset_class = HelpRequestFilter
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer: HelpRequestSerializer) -> None:
        serializer.instance = services.request_create(by=self.request.user, **serializer.validated_data)

    def paginate_queryset(self, queryset: Any) -> Any:
        """A list page: each request answered with its caller unmasked is a view in the
        access log (one INSERT for the page)."""
        page = super().paginate_queryset(queryset)
        user = self.request.user
        shown = [row for row in (page if page is not None else queryset) if can_see_personal(user, row)]
        access_viewed(
            request=self.request,
            subjects=[(SubjectKind.HELP_REQUEST, row.pk, row.caller_phone) for row in shown],
        )
        return page

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.get_object()
        if can_see_personal(request.user, row):
            services.request_personal_opened(by=request.user, request=row, http_request=request)
        return Response(self.get_serializer(row).data)

    @extend_schema(request=AssignSerializer, responses=HelpRequestSerializer)
    @action(detail=True, methods=["post"], permission_classes=CHANGE_ACTION)
    def assign(self, request: Request, pk: str | None = None) -> Response:
        """Hand the request to an active worker of its district: ``{worker, reassign}``. A
        request someone already took is refused (400 on ``worker``) unless ``reassign``."""
        row = self.get_object()
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.answer(services.request_assign(by=request.user, request=row, **data.validated_data))

    @extend_schema(request=ResolveSerializer, responses=HelpRequestSerializer)
    @action(detail=True, methods=["post"], permission_classes=CHANGE_ACTION)
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        """Close as resolved with ``{outcome, note}``; once only (again: 400 on ``status``).
        Writes the helpline task's report."""
        row = self.get_object()
        data = ResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.answer(services.request_resolve(by=request.user, request=row, **data.validated_data))

    @extend_schema(responses=RequestEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def events(self, request: Request, pk: str | None = None) -> Response:
        """The request's timeline, oldest first."""
        row = self.get_object()
        return Response(RequestEventSerializer(row.events.select_related("by"), many=True).data)

    @extend_schema(responses=DonorMatchSerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        pagination_class=None,
        filterset_class=None,
        permission_classes=needs_permission("helplines.change_helprequest"),
    )
    def matches(self, request: Request, pk: str | None = None) -> Response:
        """For a blood or plasma request: eligible, consenting donors of its district whose
        group can give to the patient's, the patient's own group first (empty otherwise).
        For those who work on the request (its helpline's members, state users)."""
        row = self.get_object()
        if not services.can_work_on(request.user, row):
            return Response(status=status.HTTP_403_FORBIDDEN)
        donors = list(donor_matches(row)[:50])
        access_viewed(
            request=request,
            subjects=[(SubjectKind.DONOR, d.pk, d.phone) for d in donors],
            detail={"reference": row.reference},
        )
        return Response(DonorMatchSerializer(donors, many=True).data)


class FacilityViewSet(ServiceModelViewSet):
    """Facilities with their latest availability. ``?district=<code>&kind=``. POST adds one
    in the user's districts; ``POST {id}/availability/`` reports what it has free."""

    queryset = Facility.objects.select_related("district")
    serializer_class = FacilitySerializer
    filterset_class = FacilityFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> Any:
        return latest_reports(super().get_queryset())

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "latest_reports": getattr(self, "_latest", None)}

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        self._latest = AvailabilityReport.objects.in_bulk([f.latest_report for f in rows if f.latest_report])
        return page

    def perform_create(self, serializer: FacilitySerializer) -> None:
        serializer.instance = services.facility_create(by=self.request.user, **serializer.validated_data)

    @extend_schema(request=AvailabilitySerializer, responses={201: FacilitySerializer})
    @action(
        detail=True, methods=["post"], permission_classes=needs_permission("helplines.add_availabilityreport")
    )
    def availability(self, request: Request, pk: str | None = None) -> Response:
        """What the facility has free now (or ``reported_at``): beds by kind, oxygen
        cylinders, medicines, how verified. Negative, absurd or future: 400 on the field."""
        facility = self.get_object()
        data = AvailabilitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.availability_report_create(by=request.user, facility=facility, **data.validated_data)
        self._latest = None
        return self.answer(facility, status.HTTP_201_CREATED)


router = DefaultRouter()
router.register("helplines", HelplineViewSet, basename="helpline")
router.register("shifts", ShiftViewSet, basename="shift")
router.register("help-requests", HelpRequestViewSet, basename="help-request")
router.register("facilities", FacilityViewSet, basename="facility")
