"""Worker API serializers. Validation is the model's (``full_clean``), reported per field."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from seva.geo.models import AssemblySeat, Booth, District

from .models import WORKER_FIELDS, Worker
from .validators import normalize_indian_mobile


class ScopedSlugRelatedField(serializers.SlugRelatedField):
    """A related field whose choices are limited to the requesting user's scope."""

    def get_queryset(self):
        request = self.context.get("request")
        return super().get_queryset().visible_to(request.user if request else None)


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        return super().get_queryset().visible_to(request.user if request else None)


class DistrictCodeField(ScopedSlugRelatedField):
    """A district by its ``code`` (``patna``), among those in the user's scope."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", District.objects.all())
        kwargs.setdefault(
            "error_messages", {"does_not_exist": _("No district with code “{value}” in your scope.")}
        )
        super().__init__(slug_field="code", **kwargs)


class AssemblySeatNumberField(ScopedSlugRelatedField):
    """An assembly seat by its ECI number, among those in the user's scope; optional."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", AssemblySeat.objects.all())
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault(
            "error_messages", {"does_not_exist": _("No assembly seat number {value} in your scope.")}
        )
        super().__init__(slug_field="number", **kwargs)


class WorkerSerializer(serializers.ModelSerializer):
    district = DistrictCodeField()
    assembly_seat = AssemblySeatNumberField()
    booth = ScopedPrimaryKeyRelatedField(queryset=Booth.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Worker
        fields = ["id", *WORKER_FIELDS]
        # Uniqueness is checked by full_clean in validate(), after the number is normalised.
        extra_kwargs = {"phone": {"validators": []}}

    def validate_phone(self, value: str) -> str:
        try:
            return normalize_indian_mobile(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def validate(self, attrs: dict) -> dict:
        instance = self.instance or Worker()
        for key, value in attrs.items():
            setattr(instance, key, value)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        # clean() may have filled the seat in from the booth.
        attrs["assembly_seat"] = instance.assembly_seat
        return attrs
