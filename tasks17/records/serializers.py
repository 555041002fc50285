"""API serializers of the records. Places by stable keys (district by code, assembly seat by
number, booth and workers by id); writes go through ``records.services``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from seva.base.fields import ScopedPrimaryKeyRelatedField, StrictUUIDField
from seva.geo.models import Booth
from seva.geo.serializers import AssemblySeatNumberField, DistrictCodeField
from seva.people.models import Worker
from seva.people.phones import MobileSerializerField

from ..choices import CampKind
from ..models import BoothDeclaration, DonationCamp, Donor, VideoConference
from .services import camp_can_change, conference_can_change, declaration_can_withdraw, donor_eligibility


def _user(serializer: serializers.Serializer) -> Any:
    """Who asks (``None`` outside a request: then the rules say whether the record may still
    change at all)."""
    request = serializer.context.get("request")
    return request.user if request is not None else None


class CampSerializer(serializers.ModelSerializer):
    district = DistrictCodeField()
    assembly_seat = AssemblySeatNumberField()
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    organiser_phone = MobileSerializerField(required=False, allow_blank=True)
    can_change = serializers.SerializerMethodField()

    class Meta:
        model = DonationCamp
        fields = [
            "id",
            "kind",
            "district",
            "assembly_seat",
            "venue",
            "date",
            "organiser",
            "organiser_phone",
            "status",
            "donors",
            "units",
            "notes",
            "activity",
            "created_by",
            "created_at",
            "can_change",
        ]
        read_only_fields = ["status", "donors", "units", "activity", "created_at"]

    def get_can_change(self, camp: DonationCamp) -> bool:
        """Whether the one asking may change, hold or cancel it now (``camp_can_change``)."""
        return camp_can_change(camp, by=_user(self))


class CampHoldSerializer(serializers.Serializer):
    donors = serializers.IntegerField(min_value=0, help_text=_("How many people gave."))
    units = serializers.IntegerField(min_value=0, help_text=_("How many units were collected."))
    date = serializers.DateField(
        required=False, help_text=_("The day it was held, if not the planned day; not in the future.")
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class DonorSerializer(serializers.ModelSerializer):
    district = DistrictCodeField()
    phone = MobileSerializerField()
    eligible_for_blood = serializers.SerializerMethodField()
    eligible_for_plasma = serializers.SerializerMethodField()

    class Meta:
        model = Donor
        fields = [
            "id",
            "name",
            "phone",
            "blood_group",
            "district",
            "last_donated_on",
            "recovered_on",
            "consent_to_contact",
            "consent_at",
            "opted_out_at",
            "notes",
            "language",
            "eligible_for_blood",
            "eligible_for_plasma",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["consent_at", "opted_out_at", "created_at", "updated_at"]

    def to_representation(self, donor: Donor) -> dict[str, Any]:
        data = super().to_representation(donor)
        if donor.opted_out_at is not None:
            data["phone"] = ""  # opted out: nobody calls him, so nobody is shown his number
        return data

    def get_eligible_for_blood(self, donor: Donor) -> bool:
        """May be asked to give blood today (``records.services.donor_eligibility``)."""
        return donor_eligibility(donor, CampKind.BLOOD).eligible

    def get_eligible_for_plasma(self, donor: Donor) -> bool:
        """May be asked to give plasma today (``records.services.donor_eligibility``)."""
        return donor_eligibility(donor, CampKind.PLASMA).eligible


class ConsentRenewalSerializer(serializers.Serializer):
    consent_date = serializers.DateField(
        help_text=_("The day the donor himself said he may be contacted again: not in the future.")
    )


class _WorkerField(ScopedPrimaryKeyRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Worker.objects.all(), **kwargs)


class ConferenceSerializer(serializers.ModelSerializer):
    representative = _WorkerField(help_text=_("A worker who is an MP, an MLA or a state office-bearer."))
    district = DistrictCodeField()
    participants = _WorkerField(many=True, required=False, help_text=_("Registered workers taking part."))
    client_uuid = StrictUUIDField(
        required=False,
        write_only=True,
        help_text=_("Made by the sender: the same conference sent twice is stored once."),
    )
    activity_status = serializers.CharField(source="activity.status", read_only=True, default=None)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    can_change = serializers.SerializerMethodField()

    class Meta:
        model = VideoConference
        fields = [
            "id",
            "client_uuid",
            "representative",
            "district",
            "worker_group",
            "date",
            "participants",
            "participant_count",
            "topics",
            "follow_ups",
            "activity",
            "activity_status",
            "created_by",
            "created_at",
            "can_change",
        ]
        read_only_fields = ["activity", "created_at"]

    def get_can_change(self, conference: VideoConference) -> bool:
        """Whether the one asking may correct it now (``conference_can_change``)."""
        return conference_can_change(conference, by=_user(self))


@extend_schema_field(
    {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "text_en": {"type": "string"},
                "text_hi": {"type": "string"},
            },
        },
    }
)
class ChecklistField(serializers.JSONField):
    """The checklist points as they read when ticked."""


class BoothDeclarationSerializer(serializers.ModelSerializer):
    booth = ScopedPrimaryKeyRelatedField(queryset=Booth.objects.all())
    district = serializers.SlugRelatedField(
        source="booth.assembly_seat.district", slug_field="code", read_only=True
    )
    booth_president = _WorkerField(required=False, allow_null=True)
    ticked_items = serializers.ListField(
        child=serializers.IntegerField(),
        write_only=True,
        help_text=_("The ids of the checklist points ticked: every active one must be."),
    )
    checklist = ChecklistField(read_only=True)
    declared_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    withdrawn_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    is_standing = serializers.BooleanField(read_only=True)
    can_withdraw = serializers.SerializerMethodField()

    class Meta:
        model = BoothDeclaration
        fields = [
            "id",
            "booth",
            "district",
            "declared_on",
            "booth_president",
            "ticked_items",
            "checklist",
            "notes",
            "declared_by",
            "activity",
            "is_standing",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_reason",
            "created_at",
            "can_withdraw",
        ]
        read_only_fields = ["activity", "withdrawn_at", "withdrawal_reason", "created_at"]

    def get_can_withdraw(self, declaration: BoothDeclaration) -> bool:
        """Whether the one asking may withdraw it now (``declaration_can_withdraw``)."""
        return declaration_can_withdraw(declaration, by=_user(self))
