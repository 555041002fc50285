"""Helplines API serializers. Names and phones of a request are masked for those who may not
see them (``privacy``); places are named by district code."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from seva.base.fields import ScopedPrimaryKeyRelatedField
from seva.geo.models import District
from seva.people.choices import BloodGroup
from seva.people.models import Worker
from seva.people.phones import MobileSerializerField
from tasks17.models import Donor

from .choices import Category, Outcome, Urgency, Verification
from .models import AvailabilityReport, Facility, Helpline, HelpRequest, RequestEvent, Shift
from .privacy import personal_fields


class DistrictCode(serializers.SlugRelatedField):
    """A district by its code. Any district: the service decides whether the helpline serves
    it (an operator takes calls from districts outside his own scope)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", District.objects.all())
        super().__init__(**kwargs)


class HelplineSerializer(serializers.ModelSerializer):
    district = DistrictCode()
    districts = DistrictCode(many=True, required=False)
    phones = serializers.CharField(max_length=200)

    class Meta:
        model = Helpline
        fields = [
            "id",
            "name",
            "city",
            "district",
            "districts",
            "phones",
            "is_24x7",
            "opens_at",
            "closes_at",
            "is_active",
        ]
        read_only_fields = ["is_active"]


class ShiftSerializer(serializers.ModelSerializer):
    helpline = ScopedPrimaryKeyRelatedField(queryset=Helpline.objects.all())
    operator = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())
    operator_name = serializers.SerializerMethodField()

    class Meta:
        model = Shift
        fields = ["id", "helpline", "operator", "operator_name", "start", "end"]

    def get_operator_name(self, shift: Shift) -> str:
        return shift.operator.get_full_name() or shift.operator.username


class HelpRequestSerializer(serializers.ModelSerializer):
    """A request. ``caller_name``, ``caller_phone`` and ``patient_name`` come masked
    (``K•••• P••••``, ``•••••••001``) to those who may not see them; ``masked`` says so."""

    helpline = ScopedPrimaryKeyRelatedField(queryset=Helpline.objects.all())
    district = DistrictCode()
    caller_phone = MobileSerializerField()
    category = serializers.ChoiceField(choices=Category.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    blood_group = serializers.ChoiceField(choices=BloodGroup.choices, required=False, allow_blank=True)
    assigned_to = serializers.PrimaryKeyRelatedField(read_only=True)
    masked = serializers.SerializerMethodField()
    past_sla = serializers.SerializerMethodField()

    class Meta:
        model = HelpRequest
        fields = [
            "id",
            "reference",
            "helpline",
            "district",
            "category",
            "urgency",
            "status",
            "caller_name",
            "caller_phone",
            "caller_shares_phone",
            "patient_name",
            "patient_age",
            "blood_group",
            "details",
            "assigned_to",
            "outcome",
            "escalated",
            "masked",
            "past_sla",
            "created_at",
            "first_action_at",
            "resolved_at",
        ]
        read_only_fields = [
            "reference",
            "status",
            "outcome",
            "escalated",
            "created_at",
            "first_action_at",
            "resolved_at",
        ]

    def to_representation(self, row: HelpRequest) -> dict[str, Any]:
        data = super().to_representation(row)
        request = self.context.get("request")
        shown = personal_fields(request.user if request else None, row)
        for field in ("caller_name", "caller_phone", "patient_name"):
            data[field] = shown[field]
        return data

    def get_masked(self, row: HelpRequest) -> bool:
        request = self.context.get("request")
        return personal_fields(request.user if request else None, row)["masked"]

    def get_past_sla(self, row: HelpRequest) -> bool:
        return row.is_open and row.is_past_sla()


class AssignSerializer(serializers.Serializer):
    worker = serializers.PrimaryKeyRelatedField(queryset=Worker.objects.all())
    reassign = serializers.BooleanField(required=False, default=False)


class ResolveSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class RequestEventSerializer(serializers.ModelSerializer):
    by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = RequestEvent
        fields = ["id", "kind", "by", "at", "note", "data"]


class DonorMatchSerializer(serializers.ModelSerializer):
    phone = serializers.CharField(read_only=True)

    class Meta:
        model = Donor
        fields = ["id", "name", "phone", "blood_group", "last_donated_on"]


class BedsSerializer(serializers.Serializer):
    general = serializers.IntegerField()
    oxygen = serializers.IntegerField()
    icu = serializers.IntegerField()
    ventilator = serializers.IntegerField()


class FacilitySerializer(serializers.ModelSerializer):
    """A facility with its latest report's free beds (``null`` before any report)."""

    district = DistrictCode()
    beds_free = serializers.SerializerMethodField()
    oxygen_cylinders = serializers.SerializerMethodField()
    reported_at = serializers.SerializerMethodField()

    class Meta:
        model = Facility
        fields = [
            "id",
            "name",
            "kind",
            "district",
            "address",
            "phone",
            "is_active",
            "beds_free",
            "oxygen_cylinders",
            "reported_at",
        ]
        read_only_fields = ["is_active"]

    def _latest(self, facility: Facility) -> AvailabilityReport | None:
        reports = self.context.get("latest_reports")
        if reports is not None:
            return reports.get(getattr(facility, "latest_report", None))
        return facility.reports.order_by("-reported_at", "-id").first()

    @extend_schema_field(BedsSerializer(allow_null=True))
    def get_beds_free(self, facility: Facility) -> dict[str, int] | None:
        report = self._latest(facility)
        return report.beds_free if report else None

    def get_oxygen_cylinders(self, facility: Facility) -> int | None:
        report = self._latest(facility)
        return report.oxygen_cylinders if report else None

    def get_reported_at(self, facility: Facility) -> Any:
        report = self._latest(facility)
        return serializers.DateTimeField().to_representation(report.reported_at) if report else None


class AvailabilitySerializer(serializers.ModelSerializer):
    verification = serializers.ChoiceField(choices=Verification.choices)
    reported_at = serializers.DateTimeField(required=False)
    beds_general = serializers.IntegerField(required=False, default=0)
    beds_oxygen = serializers.IntegerField(required=False, default=0)
    beds_icu = serializers.IntegerField(required=False, default=0)
    beds_ventilator = serializers.IntegerField(required=False, default=0)
    oxygen_cylinders = serializers.IntegerField(required=False, default=0)

    class Meta:
        model = AvailabilityReport
        fields = [
            "id",
            "facility",
            "reported_at",
            "verification",
            "beds_general",
            "beds_oxygen",
            "beds_icu",
            "beds_ventilator",
            "oxygen_cylinders",
            "medicines",
        ]
        read_only_fields = ["facility"]
