"""Worker API serializers. They collect the fields; the services check the record
(``worker_create`` / ``worker_update``: scope, mobile, the model's own rules), per field."""

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
        # The service checks the whole record (uniqueness too) after the number is normalised.
        extra_kwargs = {"phone": {"validators": []}}

    def validate_phone(self, value: str) -> str:
        try:
            return normalize_indian_mobile(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
