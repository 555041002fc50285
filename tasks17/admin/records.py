"""The records in the admin. The state office defines the corona-free checklist here (its
active points, in order, are the checklist every declaration must tick). Camps, donors,
conferences and declarations are written through ``tasks17.records.services`` (which write
their activities), so here they are read, with their change history."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from seva.base.admin import ReadOnlyAdminMixin
from seva.privacy.actions import EraseActionMixin, erase_people

from ..models import BoothDeclaration, ChecklistItem, DonationCamp, Donor, VideoConference


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    """Points can be reworded or retired at any time: declarations keep the text they ticked."""

    list_display = ["text_en", "text_hi", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["text_en", "text_hi"]


class RecordAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """A record, read with its change history: only its services write it."""


@admin.register(DonationCamp)
class DonationCampAdmin(RecordAdmin):
    list_display = ["date", "kind", "venue", "district", "status", "donors", "units"]
    list_filter = ["kind", "status", "district"]
    search_fields = ["venue", "organiser"]
    date_hierarchy = "date"
    list_select_related = ["district"]


@admin.register(Donor)
class DonorAdmin(EraseActionMixin, RecordAdmin):
    actions = [erase_people]
    list_display = ["name", "blood_group", "district", "last_donated_on", "consent_to_contact", "opted_out"]
    list_filter = ["blood_group", "consent_to_contact", "district"]
    search_fields = ["name", "phone"]
    list_select_related = ["district"]

    readonly_fields = ["mobile_number"]

    @admin.display(boolean=True, description=_("opted out"))
    def opted_out(self, obj: Donor) -> bool:
        return obj.opted_out_at is not None

    def get_fields(self, request: HttpRequest, obj: Donor | None = None) -> list[str]:
        fields = [field for field in super().get_fields(request, obj) if field != "mobile_number"]
        return ["mobile_number" if field == "phone" else field for field in fields]

    @admin.display(description=_("mobile number"))
    def mobile_number(self, obj: Donor) -> str:
        """Hidden once he opted out, here as on every page and in the API; in the history
        too, where ``obj`` is how he stood before."""
        opted_out = obj.opted_out_at is not None or (
            Donor.objects.filter(pk=obj.pk, opted_out_at__isnull=False).exists()
        )
        return str(_("Hidden: opted out")) if opted_out else obj.phone


@admin.register(VideoConference)
class VideoConferenceAdmin(RecordAdmin):
    list_display = ["date", "representative", "worker_group", "district", "participant_count"]
    list_filter = ["district"]
    search_fields = ["worker_group", "representative__name", "topics"]
    date_hierarchy = "date"
    list_select_related = ["district", "representative"]


@admin.register(BoothDeclaration)
class BoothDeclarationAdmin(RecordAdmin):
    list_display = ["booth", "declared_on", "standing", "withdrawn_at"]
    list_filter = ["declared_on"]
    search_fields = ["booth__name", "booth__number"]
    list_select_related = ["booth__assembly_seat"]

    @admin.display(boolean=True, description=_("standing"))
    def standing(self, obj: BoothDeclaration) -> bool:
        return obj.is_standing
