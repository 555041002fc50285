"""The kinds that are exported but never imported (issue 14): districts and assembly seats
(the state's fixed geography, loaded by ``manage.py load_geography``), and the helplines'
facilities and help requests (written only through the helplines' services).

Same page, formats and log as the imported kinds (``/imports/<kind>/export/``), from
``visible_to(user)`` with ``select_related`` (no query per row). Help requests carry the
caller's and patient's names and the caller's mobile only where the user may see them
(``helplines.privacy.can_see_personal``: the request's helpline, its district's coordinator,
state admins); for every other row they are masked, and phone numbers inside the details too.
A facility's phone is the institution's published number, not personal data: not masked.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from helplines.models import Facility, HelpRequest
from helplines.privacy import can_see_personal, mask_name, mask_phone
from seva.geo.models import AssemblySeat, District

from .bulk import BulkImport
from .bulk_records import _e164, yes_no
from .register import _mask_notes as mask_phones_in


class ExportOnly(BulkImport):
    importable = False

    @classmethod
    def import_permissions(cls) -> list[str]:
        return []


class DistrictExport(ExportOnly):
    kind = "districts"
    model = District
    label = gettext_lazy("Districts")
    columns = {
        "code": ("district code", "कोड"),
        "name_en": ("name (english)", "नाम (अंग्रेज़ी)"),
        "name_hi": ("name (hindi)", "नाम (हिंदी)"),
        "division": ("प्रमंडल",),
        "headquarters": ("मुख्यालय",),
        "headquarters_hi": ("headquarters (hindi)", "मुख्यालय (हिंदी)"),
    }

    def export_rows(self, params=None):  # type: ignore[no-untyped-def]
        for district in District.objects.visible_to(self.user).order_by("position", "code"):
            yield [
                district.code,
                district.name_en,
                district.name_hi,
                district.division,
                district.headquarters,
                district.headquarters_hi,
            ]


class SeatExport(ExportOnly):
    kind = "seats"
    model = AssemblySeat
    label = gettext_lazy("Assembly seats")
    columns = {
        "number": ("seat number", "संख्या"),
        "name_en": ("name (english)", "नाम (अंग्रेज़ी)"),
        "name_hi": ("name (hindi)", "नाम (हिंदी)"),
        "district": ("district code", "जिला"),
        "lok_sabha_seat": ("lok sabha seat", "लोकसभा सीट"),
        "lok_sabha_name": ("lok sabha seat name", "लोकसभा सीट का नाम"),
        "reserved": ("reservation", "आरक्षण"),
    }

    def export_rows(self, params=None):  # type: ignore[no-untyped-def]
        seats = (
            AssemblySeat.objects.visible_to(self.user)
            .select_related("district", "lok_sabha_seat")
            .order_by("number")
        )
        for seat in seats:
            lok_sabha = seat.lok_sabha_seat
            yield [
                seat.number,
                seat.name_en,
                seat.name_hi,
                seat.district.code,
                lok_sabha.number if lok_sabha else "",
                lok_sabha.name_en if lok_sabha else "",
                seat.reserved,
            ]


class FacilityExport(ExportOnly):
    kind = "facilities"
    model = Facility
    label = gettext_lazy("Facilities")
    columns = {
        "name": ("नाम",),
        "kind": ("प्रकार",),
        "district": ("district code", "जिला"),
        "address": ("पता",),
        "phone": ("फ़ोन",),
        "is_active": ("active", "सक्रिय"),
    }

    def export_rows(self, params=None):  # type: ignore[no-untyped-def]
        facilities = (
            Facility.objects.visible_to(self.user)
            .select_related("district")
            .order_by("district__code", "name")
        )
        for facility in facilities.iterator(chunk_size=5000):
            yield [
                facility.name,
                facility.kind,
                facility.district.code,
                facility.address,
                facility.phone,
                yes_no(facility.is_active),
            ]


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


class HelpRequestExport(ExportOnly):
    kind = "help-requests"
    model = HelpRequest
    label = gettext_lazy("Help requests")
    columns = {
        "reference": ("संदर्भ",),
        "helpline": ("हेल्पलाइन",),
        "district": ("district code", "जिला"),
        "caller_name": ("caller's name", "कॉल करने वाले का नाम"),
        "caller_phone": ("caller's mobile", "कॉल करने वाले का मोबाइल"),
        "patient_name": ("patient's name", "मरीज़ का नाम"),
        "patient_age": ("patient's age", "मरीज़ की उम्र"),
        "blood_group": ("blood group", "रक्त समूह"),
        "category": ("need", "ज़रूरत"),
        "urgency": ("तात्कालिकता",),
        "status": ("स्थिति",),
        "outcome": ("परिणाम",),
        "escalated": ("आगे भेजा गया",),
        "details": ("विवरण",),
        "created_at": ("created", "दर्ज"),
        "resolved_at": ("closed", "बंद"),
    }

    def export_rows(self, params=None):  # type: ignore[no-untyped-def]
        requests = (
            HelpRequest.objects.visible_to(self.user)
            .select_related("helpline", "district")
            .order_by("created_at", "id")
        )
        for request in requests.iterator(chunk_size=5000):
            shown = can_see_personal(self.user, request)
            if not shown:
                self.masked = True
            details = request.details
            yield [
                request.reference,
                request.helpline.name,
                request.district.code,
                request.caller_name if shown else mask_name(request.caller_name),
                _e164(request.caller_phone) if shown else mask_phone(_e164(request.caller_phone)),
                request.patient_name if shown else mask_name(request.patient_name),
                "" if request.patient_age is None else request.patient_age,
                request.blood_group,
                request.category,
                request.urgency,
                request.status,
                request.outcome,
                yes_no(request.escalated),
                details if shown else mask_phones_in(details),
                _local(request.created_at),
                _local(request.resolved_at),
            ]


EXPORT_KINDS: dict[str, type[BulkImport]] = {
    "districts": DistrictExport,
    "seats": SeatExport,
    "facilities": FacilityExport,
    "help-requests": HelpRequestExport,
}
