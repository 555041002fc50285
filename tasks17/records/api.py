"""Records API: donation camps, donors, video conferences and corona-free declarations.

Scoped like every endpoint (another district's record is a 404); writes call
``records.services``, and their field errors come back as 400 ``{field: [message]}`` through
the API's exception handler (``seva.base.errors.exception_handler``).
Workflow steps (hold, cancel, opt out, withdraw) are POST actions needing the model's
``change`` permission.
"""

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

from ..models import BoothDeclaration, DonationCamp, Donor, VideoConference
from . import services
from .filters import CampFilter, ConferenceFilter, DeclarationFilter, DonorFilter
from .serializers import (
    BoothDeclarationSerializer,
    CampHoldSerializer,
    CampSerializer,
    ConferenceSerializer,
    ConsentRenewalSerializer,
    DonorSerializer,
    ReasonSerializer,
)


class CampViewSet(ServiceModelViewSet):
    """Blood and plasma donation camps: planned, then held (``hold/``) or cancelled (``cancel/``).
    ``?kind=&status=&district=<code>``."""

    queryset = DonationCamp.objects.select_related("district", "assembly_seat", "created_by")
    serializer_class = CampSerializer
    filterset_class = CampFilter

    def perform_create(self, serializer: CampSerializer) -> None:
        serializer.instance = services.camp_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: CampSerializer) -> None:
        serializer.instance = services.camp_update(
            by=self.request.user, camp=serializer.instance, data=serializer.validated_data
        )

    @extend_schema(request=CampHoldSerializer, responses=CampSerializer)
    @action(detail=True, methods=["post"], permission_classes=CHANGE_ACTION)
    def hold(self, request: Request, pk: str | None = None) -> Response:
        """Mark a planned camp as held with ``{donors, units}`` (and ``date`` if not the planned
        day): writes its activity once, however often this is sent."""
        camp = self.get_object()
        data = CampHoldSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.answer(services.camp_hold(by=self.request.user, camp=camp, **data.validated_data))

    @extend_schema(request=ReasonSerializer, responses=CampSerializer)
    @action(detail=True, methods=["post"], permission_classes=CHANGE_ACTION)
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel a planned camp with ``{reason}``."""
        camp = self.get_object()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.answer(
            services.camp_cancel(by=self.request.user, camp=camp, reason=data.validated_data["reason"])
        )


class DonorViewSet(ServiceModelViewSet):
    """Blood and plasma donors, with whether each may give today. ``?blood_group=&district=
    <code>&eligible_for=blood|plasma`` (the latter leaves out donors who opted out)."""

    queryset = Donor.objects.select_related("district")
    serializer_class = DonorSerializer
    filterset_class = DonorFilter

    def _log_phones_shown(self, donors: Any) -> None:
        """Each donor answered with his number (not opted out) is a view in the access log."""
        subjects = [(SubjectKind.DONOR, d.pk, d.phone) for d in donors if d.opted_out_at is None]
        access_viewed(request=self.request, subjects=subjects)

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        self._log_phones_shown(page if page is not None else queryset)
        return page

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        donor = self.get_object()
        self._log_phones_shown([donor])
        return Response(self.get_serializer(donor).data)

    def perform_create(self, serializer: DonorSerializer) -> None:
        serializer.instance = services.donor_register(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: DonorSerializer) -> None:
        serializer.instance = services.donor_update(
            by=self.request.user, donor=serializer.instance, data=serializer.validated_data
        )

    @extend_schema(request=None, responses=DonorSerializer)
    @action(detail=True, methods=["post"], url_path="opt-out", permission_classes=CHANGE_ACTION)
    def opt_out(self, request: Request, pk: str | None = None) -> Response:
        """The donor asks not to be contacted again (sending it twice changes nothing)."""
        return self.answer(services.donor_opt_out(by=self.request.user, donor=self.get_object()))

    @extend_schema(request=ConsentRenewalSerializer, responses=DonorSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="renew-consent",
        permission_classes=needs_permission(services.RENEW_CONSENT_PERMISSION),
    )
    def renew_consent(self, request: Request, pk: str | None = None) -> Response:
        """The donor himself agrees again to be contacted, on ``{consent_date}``: the only way to
        end an opt-out (a PATCH of ``consent_to_contact`` cannot). District coordinators and the
        state office (the ``renew_donor_consent`` permission) record it; others get a 403."""
        donor = self.get_object()
        data = ConsentRenewalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.answer(
            services.donor_renew_consent(
                by=self.request.user, donor=donor, consent_date=data.validated_data["consent_date"]
            )
        )


class ConferenceViewSet(ServiceModelViewSet):
    """Video conferences of MPs, MLAs and office-bearers with worker groups. POST stores one
    once per ``client_uuid`` (201 when new, 200 when sent again); PATCH while its report awaits
    review."""

    queryset = VideoConference.objects.select_related("district", "representative", "activity", "created_by")
    serializer_class = ConferenceSerializer
    filterset_class = ConferenceFilter

    def get_queryset(self) -> Any:
        return super().get_queryset().prefetch_related("participants")

    @extend_schema(responses={200: ConferenceSerializer, 201: ConferenceSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        conference, created = services.conference_record_or_get(
            by=self.request.user, **serializer.validated_data
        )
        return self.answer(conference, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def perform_update(self, serializer: ConferenceSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("client_uuid", None)
        participants = data.pop("participants", None)
        serializer.instance = services.conference_update(
            by=self.request.user, conference=serializer.instance, data=data, participants=participants
        )


class BoothDeclarationViewSet(ServiceModelViewSet):
    """Corona-free booth declarations; ``withdraw/`` with ``{reason}`` takes one back.
    ``?district=<code>&standing=true``."""

    queryset = BoothDeclaration.objects.select_related(
        "booth__assembly_seat__district", "booth_president", "declared_by", "withdrawn_by"
    )
    serializer_class = BoothDeclarationSerializer
    filterset_class = DeclarationFilter
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer: BoothDeclarationSerializer) -> None:
        data = dict(serializer.validated_data)
        data["ticked_item_ids"] = data.pop("ticked_items")
        serializer.instance = services.booth_declare(by=self.request.user, **data)

    @extend_schema(request=ReasonSerializer, responses=BoothDeclarationSerializer)
    @action(detail=True, methods=["post"], permission_classes=CHANGE_ACTION)
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw a standing declaration with ``{reason}``: it stops counting."""
        declaration = self.get_object()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.answer(
            services.booth_withdraw(
                by=self.request.user, declaration=declaration, reason=data.validated_data["reason"]
            )
        )


router = DefaultRouter()
router.include_root_view = False
router.register("camps", CampViewSet)
router.register("donors", DonorViewSet)
router.register("conferences", ConferenceViewSet)
router.register("booth-declarations", BoothDeclarationViewSet)
