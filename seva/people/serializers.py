"""Worker API serializers. They collect the fields; the services check the record
(``worker_create`` / ``worker_update``: scope, mobile, the model's own rules), per field."""

from rest_framework import serializers

from seva.base.fields import ScopedPrimaryKeyRelatedField
from seva.geo.models import Booth
from seva.geo.serializers import AssemblySeatNumberField, DistrictCodeField

from .models import WORKER_FIELDS, Worker
from .phones import MobileSerializerField


class WorkerSerializer(serializers.ModelSerializer):
    district = DistrictCodeField()
    assembly_seat = AssemblySeatNumberField()
    booth = ScopedPrimaryKeyRelatedField(queryset=Booth.objects.all(), required=False, allow_null=True)
    phone = MobileSerializerField()

    class Meta:
        model = Worker
        fields = ["id", *WORKER_FIELDS]
