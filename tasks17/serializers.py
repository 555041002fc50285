"""API serializers of the tasks app. Places, tasks and metrics are named by stable keys.

Writes go through the services; their ``ValidationError`` dicts come back as DRF's
``{field: [message]}`` with status 400 (``seva.base.errors.exception_handler``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from seva.base.fields import ScopedPrimaryKeyRelatedField, StrictUUIDField
from seva.geo.models import Booth, Mandal
from seva.geo.serializers import AssemblySeatNumberField, DistrictCodeField

from .models import Activity, Metric, Target, Task


class MetricSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(read_only=True, help_text=_("The unit in the requested language."))

    class Meta:
        model = Metric
        fields = ["code", "label_en", "label_hi", "unit", "unit_en", "unit_hi", "max_per_report"]


class TaskSerializer(serializers.ModelSerializer):
    metrics = MetricSerializer(many=True, read_only=True, source="listed_metrics")

    class Meta:
        model = Task
        fields = [
            "code",
            "number",
            "title_en",
            "title_hi",
            "description_en",
            "description_hi",
            "is_active",
            "metrics",
        ]


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "integer", "minimum": 0},
        "example": {"households": 120, "booths_declared": 1},
    }
)
class ValuesField(serializers.Field):
    """``{metric_code: number}``. Passed through as sent, so the service checks every number."""

    default_error_messages = {"not_a_dict": _("Send the numbers as {{metric_code: number}}.")}

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.fail("not_a_dict")
        return data

    def to_representation(self, value: Any) -> dict[str, int]:
        return {row.metric.code: row.value for row in value.all()}


class TaskCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            slug_field="code",
            queryset=Task.objects.all(),
            error_messages={"does_not_exist": _("No task with code “{value}”.")},
            **kwargs,
        )


class ActivitySerializer(serializers.ModelSerializer):
    task = TaskCodeField()
    district = DistrictCodeField()
    assembly_seat = AssemblySeatNumberField()
    mandal = ScopedPrimaryKeyRelatedField(queryset=Mandal.objects.all(), required=False, allow_null=True)
    booth = ScopedPrimaryKeyRelatedField(queryset=Booth.objects.all(), required=False, allow_null=True)
    values = ValuesField()
    reported_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    # A worker who reported by SMS, without an account (then reported_by is "sms-gateway").
    reporter_worker = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    client_uuid = StrictUUIDField(validators=[])

    class Meta:
        model = Activity
        fields = [
            "id",
            "client_uuid",
            "task",
            "district",
            "assembly_seat",
            "mandal",
            "booth",
            "date",
            "values",
            "notes",
            "status",
            "reported_by",
            "reporter_worker",
            "reviewed_at",
            "rejection_reason",
            "origin",
            "created_at",
        ]
        read_only_fields = ["status", "reviewed_at", "rejection_reason", "origin", "created_at"]


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text=_("Why the report is sent back."))


class TargetSerializer(serializers.ModelSerializer):
    task = TaskCodeField()
    metric = serializers.CharField(max_length=60, help_text=_("The metric's code within the task."))
    district = DistrictCodeField()
    reported = serializers.IntegerField(read_only=True)
    verified = serializers.IntegerField(read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "task",
            "metric",
            "district",
            "period_start",
            "period_end",
            "value",
            "reported",
            "verified",
        ]

    def to_representation(self, instance: Target) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["metric"] = instance.metric.code
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        metric = Metric.objects.filter(task=attrs["task"], code=attrs["metric"]).first()
        if metric is None:
            raise serializers.ValidationError(
                {"metric": [_("The task has no metric with code “%(code)s”.") % {"code": attrs["metric"]}]}
            )
        attrs["metric"] = metric
        return attrs


class TargetValueSerializer(serializers.Serializer):
    """A target's correction: its number only. The task, metric, district and period name the
    target; another period is a new target (``POST``)."""

    value = serializers.IntegerField(min_value=1)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        fixed = sorted(set(self.initial_data) - {"value"}) if hasattr(self.initial_data, "keys") else []
        if fixed:
            raise serializers.ValidationError(
                {
                    name: [_("Only the target's number can be corrected; set a new target instead.")]
                    for name in fixed
                }
            )
        return attrs
