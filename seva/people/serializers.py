"""Worker API serializers. Validation is the model's (``full_clean``), reported per field."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from seva.base.fields import ScopedPrimaryKeyRelatedField
from seva.geo.models import Booth
from seva.geo.serializers import AssemblySeatNumberField, DistrictCodeField

from .models import WORKER_FIELDS, Worker
from .validators import normalize_indian_mobile


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
