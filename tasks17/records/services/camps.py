"""Donation camps: planned, then held (writing their task's report) or cancelled."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from seva.base.services import Errors, full_clean_into, locked_in_scope, model_update, raise_if
from seva.geo.models import District

from ...choices import CAMP_TASK_CODES, ActivityOrigin, CampKind, CampStatus
from ...models import DonationCamp
from ._shared import active_task, check_place_in_scope, not_in_future, submit

_CAMP_FIELDS = ("kind", "district", "assembly_seat", "venue", "date", "organiser", "organiser_phone", "notes")


def camp_can_change(camp: DonationCamp, *, by: Any = None) -> bool:
    """Whether ``camp`` may still change (planned: a held or cancelled camp is history) and,
    when ``by`` is given, whether he may change it (the model permission; his scope is the
    queryset's the camp came from). The services, the camp's page and the API all ask this."""
    if camp.status != CampStatus.PLANNED:
        return False
    return by is None or by.has_perm("tasks17.change_donationcamp")


def _require_planned(camp: DonationCamp) -> None:
    if not camp_can_change(camp):
        raise ValidationError(
            {
                "status": _("This camp is %(status)s: only a planned camp can be changed.")
                % {"status": camp.get_status_display()}
            }
        )


def _check_camp(by: Any, camp: DonationCamp) -> None:
    errors: Errors = {}
    check_place_in_scope(by, camp.district_id, "district", errors)
    full_clean_into(camp, errors, exclude=["activity", "created_by", *errors])
    raise_if(errors)


@transaction.atomic
def camp_create(
    *,
    by: Any,
    kind: CampKind,
    district: District,
    venue: str,
    date: datetime.date,
    organiser: str,
    assembly_seat: Any = None,
    organiser_phone: str = "",
    notes: str = "",
) -> DonationCamp:
    """Plan a blood or plasma donation camp in a district of ``by``'s scope, optionally at an
    assembly seat of that district. The organiser's mobile, when given, is normalised."""
    camp = DonationCamp(
        kind=kind,
        district=district,
        assembly_seat=assembly_seat,
        venue=venue,
        date=date,
        organiser=organiser,
        organiser_phone=organiser_phone or "",
        notes=notes or "",
        status=CampStatus.PLANNED,
        created_by=by,
    )
    _check_camp(by, camp)
    camp.save()
    return camp


@transaction.atomic
def camp_update(*, by: Any, camp: DonationCamp, data: dict[str, Any]) -> DonationCamp:
    """Change a camp's plan (kind, place, venue, date, organiser, notes) while it is planned;
    a held or cancelled camp is history and stays as it is. A camp outside ``by``'s scope is
    a 404."""
    camp = locked_in_scope(DonationCamp, by=by, pk=camp.pk)
    _require_planned(camp)
    blanks = {key: "" for key in ("organiser_phone", "notes") if key in data and data[key] is None}
    model_update(camp, {**data, **blanks}, _CAMP_FIELDS)
    _check_camp(by, camp)
    camp.save()
    return camp


@transaction.atomic
def camp_hold(
    *,
    by: Any,
    camp: DonationCamp,
    donors: Any,
    units: Any,
    date: datetime.date | None = None,
) -> DonationCamp:
    """Mark a planned camp as held, with how many donors gave and how many units were collected.

    Only a planned camp can be held, not on a date in the future (``date`` defaults to the
    camp's planned date and replaces it when given). ``donors`` and ``units`` are whole numbers,
    not negative and not above the ``max_per_report`` of their metric in the camp kind's task
    (``CAMP_TASK_CODES``), which must be active: the report service checks them, as for any
    report. Holding writes that task's activity, ``{camps: 1, donors: n, units: m}``, with
    origin ``camp``; a held camp cannot be held again, so it is never counted twice. Like any
    report, a district user cannot write it more than ``SEVA_BACKDATE_DAYS`` back. All or
    nothing. A camp outside ``by``'s scope is a 404.
    """
    camp = locked_in_scope(DonationCamp, by=by, pk=camp.pk)
    _require_planned(camp)
    errors: Errors = {}
    day = date or camp.date
    not_in_future(day, "date", errors)
    task = active_task(CAMP_TASK_CODES[CampKind(camp.kind)], "kind", errors)
    raise_if(errors)
    activity = submit(
        rename={"task": "kind", "camps": "kind", "donors": "donors", "values": "units"},
        by=by,
        task=task,
        district=camp.district,
        assembly_seat=camp.assembly_seat,
        date=day,
        values={"camps": 1, "donors": donors, "units": units},
        client_uuid=uuid.uuid4(),
        notes=camp.venue,
        origin=ActivityOrigin.CAMP,
    )
    numbers = activity.numbers  # as the report service accepted them (zeros are not kept)
    camp.status = CampStatus.HELD
    camp.date = day
    camp.donors = numbers.get("donors", 0)
    camp.units = numbers.get("units", 0)
    camp.activity = activity
    camp.save(update_fields=["status", "date", "donors", "units", "activity"])
    return camp


@transaction.atomic
def camp_cancel(*, by: Any, camp: DonationCamp, reason: str) -> DonationCamp:
    """Cancel a planned camp; the reason is required and added to its notes. Nothing counts.
    A camp outside ``by``'s scope is a 404."""
    camp = locked_in_scope(DonationCamp, by=by, pk=camp.pk)
    _require_planned(camp)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the camp is cancelled.")})
    line = str(_("Cancelled: %(reason)s") % {"reason": reason})
    camp.notes = f"{camp.notes}\n{line}".strip()[:2000]
    camp.status = CampStatus.CANCELLED
    camp.save(update_fields=["status", "notes"])
    return camp
