"""Bulk imports and exports of targets, donation camps and donors (issue 14): the same path as
booths and workers (``seva/reports/bulk.py``): the file read as a stream, every row checked
against look-ups loaded once into dicts, every bad row listed, then only the new and changed
rows written in one transaction, with their change history (``simple_history``'s bulk
helpers, "+" for a new row and "~" for a changed one, by the importing user).

Each kind names its places by codes and numbers (district ``patna``, seat ``182``, task and
metric by their codes), never by ids, and exports in exactly the columns it reads, so an
export imported again changes nothing. Who may import is who may add and change the model;
what a file may touch is the user's district (a row for another is a bad row, with the same
words as for a district that does not exist).

What each kind knows a row by:

- a target by its metric (within its task), district and period;
- a camp by its district, kind, date and venue (a camp has no code of its own). A sheet plans
  camps: a new row is a planned camp, and only a planned camp changes. Holding a camp writes
  its report, so that is done on the camp's page (``camp_hold``), not by a sheet; a held or
  cancelled camp exported and imported again is left as it is;
- a donor by his mobile number. The export carries the numbers only for a user who may see
  personal data (``reports.view_personal_data``); for anyone else they are masked, the file is
  named ``donors-masked``, and importing it back is refused row by row ("this number is
  masked"), so a masked file never overwrites anything.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from helplines.privacy import MASK, mask_phone
from seva.base.scoping import user_scope
from seva.geo.models import AssemblySeat, District
from seva.people.choices import BloodGroup, Language
from seva.privacy.choices import ConsentPurpose, ConsentSubject
from seva.privacy.services import consent_record_many
from tasks17.choices import CampKind, CampStatus
from tasks17.models import DonationCamp, Donor, Metric, Target, Task
from tasks17.records.services.donors import OPT_OUT_ENDS_ONLY_BY_RENEWED_CONSENT

from .bulk import (
    BATCH,
    BulkImport,
    CheckResult,
    ImportFileError,
    _boolean,
    _choice,
    _whole_number,
    indian_mobile,
)

PERSONAL_DATA_PERMISSION = "reports.view_personal_data"


def parse_date(text: str) -> datetime.date | None:
    """``YYYY-MM-DD`` (as exported; XLSX dates arrive so from ``read_rows``), else ``None``."""
    try:
        return datetime.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _e164(phone: Any) -> str:
    return phone.as_e164 if phone else ""


class _DistrictScoped(BulkImport):
    """What the record kinds share: the districts by code, and those this user may touch."""

    def _districts(self) -> tuple[dict[str, int], set[int]]:
        districts = {code.casefold(): pk for code, pk in District.objects.values_list("code", "pk")}
        if self.everything:
            return districts, set(districts.values())
        return districts, {user_scope(self.user).district_id} - {None}

    def _district(
        self, result: CheckResult, line: int, row: dict[str, str], maps: tuple[dict[str, int], set[int]]
    ) -> int | None:
        code = row.get("district", "")
        pk = maps[0].get(code.casefold())
        if pk is None or pk not in maps[1]:
            # Another district's code reads as one that does not exist: nothing is revealed.
            result.error(line, "district", _("No district with code “%(code)s”.") % {"code": code})
            return None
        return pk

    def _date(self, result: CheckResult, line: int, row: dict[str, str], key: str, *, required: bool) -> Any:
        text = row.get(key, "")
        if not text:
            if required:
                result.error(line, key, _("The date is missing."))
            return None
        day = parse_date(text)
        if day is None:
            result.error(line, key, _("Write the date as YYYY-MM-DD."))
        return day


# ---------------------------------------------------------------------------------------------
# Targets


class TargetImport(_DistrictScoped):
    """Targets: what a district should reach for a metric of a task within a period. A row
    for a target already set (same metric, district and period) corrects its number."""

    kind = "targets"
    model = Target
    label = gettext_lazy("Targets")
    columns = {
        "task": ("task code", "कार्य"),
        "metric": ("metric code", "मापक"),
        "district": ("district code", "जिला"),
        "period_start": ("from", "से"),
        "period_end": ("to", "तक"),
        "value": ("target", "लक्ष्य"),
    }
    required = ("task", "metric", "district", "period_start", "period_end", "value")

    def check(self, rows, progress=None):  # type: ignore[no-untyped-def]
        result = CheckResult()
        maps = self._districts()
        tasks = {code.casefold(): pk for code, pk in Task.objects.values_list("code", "pk")}
        metrics = {
            (task, code.casefold()): pk
            for pk, task, code in Metric.objects.values_list("pk", "task_id", "code")
        }
        parsed: list[tuple[int, tuple[int, int, datetime.date, datetime.date], int, int]] = []
        seen: dict[tuple[Any, ...], int] = {}
        for line, row in rows:
            result.total += 1
            if progress and result.total % BATCH == 0:
                progress(result.total)
            before = result.error_count
            task = tasks.get(row.get("task", "").casefold())
            metric = None
            if task is None:
                result.error(line, "task", _("No task with code “%(code)s”.") % {"code": row.get("task", "")})
            else:
                metric = metrics.get((task, row.get("metric", "").casefold()))
                if metric is None:
                    result.error(
                        line,
                        "metric",
                        _("Task “%(task)s” has no metric “%(metric)s”.")
                        % {"task": row.get("task", ""), "metric": row.get("metric", "")},
                    )
            district = self._district(result, line, row, maps)
            start = self._date(result, line, row, "period_start", required=True)
            end = self._date(result, line, row, "period_end", required=True)
            if start and end and end < start:
                result.error(line, "period_end", _("The end of the period cannot be before its start."))
            value = _whole_number(row.get("value", ""))
            if not value or value > 2**31 - 1:
                result.error(
                    line,
                    "value",
                    _("“%(value)s”: a target is a whole number above zero.")
                    % {"value": row.get("value", "")},
                )
            if result.error_count != before:
                continue
            key = (metric, district, start, end)
            if key in seen:
                result.error(
                    line, "metric", _("This target is also on line %(other)s.") % {"other": seen[key]}
                )
                continue
            seen[key] = line
            parsed.append((line, key, task, value))
        stored = {
            (target.metric_id, target.district_id, target.period_start, target.period_end): target
            for target in Target.objects.filter(district_id__in={item[1][1] for item in parsed})
        }
        for _line, key, task, value in parsed:
            target = stored.get(key)
            if target is None:
                metric, district, start, end = key
                result.added.append(
                    Target(
                        task_id=task,
                        metric_id=metric,
                        district_id=district,
                        period_start=start,
                        period_end=end,
                        value=value,
                    )
                )
            elif target.value != value:
                target.value = value
                result.changed.append(target)
            else:
                result.unchanged += 1
        return result

    def write(self, result, progress=None):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            bulk_create_with_history(result.added, Target, batch_size=BATCH, default_user=self.user)
            bulk_update_with_history(
                result.changed, Target, ["value"], batch_size=BATCH, default_user=self.user
            )
        if progress:
            progress(len(result.added) + len(result.changed))

    def export_rows(self, params=None):  # type: ignore[no-untyped-def]
        targets = (
            Target.objects.visible_to(self.user)
            .select_related("task", "metric", "district")
            .order_by("task__code", "metric__code", "district__code", "period_start", "period_end")
        )
        for target in targets.iterator(chunk_size=5000):
            yield [
                target.task.code,
                target.metric.code,
                target.district.code,
                target.period_start.isoformat(),
                target.period_end.isoformat(),
                target.value,
            ]


# ---------------------------------------------------------------------------------------------
# Donation camps

CAMP_CHANGED = ("assembly_seat_id", "organiser", "organiser_phone", "notes")


class CampImport(_DistrictScoped):
    """Donation camps planned in a sheet. A camp is known by its district, kind, date and
    venue; a row for a planned camp already there changes its seat, organiser, mobile and
    notes. Holding or cancelling is done on the camp's page (holding writes its report)."""

    kind = "camps"
    model = DonationCamp
    label = gettext_lazy("Donation camps")
    columns = {
        "kind": ("camp", "शिविर"),
        "district": ("district code", "जिला"),
        "assembly_seat": ("assembly seat", "seat", "विधानसभा"),
        "venue": ("place", "स्थान"),
        "date": ("तारीख",),
        "organiser": ("organizer", "आयोजक"),
        "organiser_phone": ("organiser's mobile", "आयोजक का मोबाइल"),
        "status": ("स्थिति",),
        "donors": ("दाता",),
        "units": ("units collected", "यूनिट"),
        "notes": ("टिप्पणी",),
    }
    required = ("kind", "district", "venue", "date", "organiser")

    def check(self, rows, progress=None):  # type: ignore[no-untyped-def]
        result = CheckResult()
        if self.user is None:
            raise ImportFileError(_("Camps are imported by a signed-in user, who is named as their maker."))
        maps = self._districts()
        seats = dict(AssemblySeat.objects.values_list("number", "pk"))
        seat_district = dict(AssemblySeat.objects.values_list("pk", "district_id"))
        kinds, statuses = _choice(CampKind), _choice(CampStatus)
        parsed: list[tuple[int, tuple[Any, ...], dict[str, Any]]] = []
        seen: dict[tuple[Any, ...], int] = {}
        for line, row in rows:
            result.total += 1
            if progress and result.total % BATCH == 0:
                progress(result.total)
            before = result.error_count
            kind = kinds.get(row.get("kind", "").casefold())
            if kind is None:
                result.error(
                    line, "kind", _("“%(value)s” is not one of the choices.") % {"value": row.get("kind", "")}
                )
            district = self._district(result, line, row, maps)
            seat = None
            if row.get("assembly_seat"):
                seat = seats.get(_whole_number(row["assembly_seat"]) or -1)
                if seat is None:
                    result.error(
                        line,
                        "assembly_seat",
                        _("No assembly seat number “%(seat)s”.") % {"seat": row["assembly_seat"]},
                    )
                elif district is not None and seat_district[seat] != district:
                    result.error(
                        line, "assembly_seat", _("This assembly seat is not in the chosen district.")
                    )
            venue, organiser, notes = row.get("venue", ""), row.get("organiser", ""), row.get("notes", "")
            for key, text, limit in (("venue", venue, 200), ("organiser", organiser, 200)):
                if not text or len(text) > limit:
                    result.error(
                        line, key, _("Missing, or longer than %(limit)s characters.") % {"limit": limit}
                    )
            if len(notes) > 2000:
                result.error(line, "notes", _("Longer than %(limit)s characters.") % {"limit": 2000})
            day = self._date(result, line, row, "date", required=True)
            phone = ""
            if row.get("organiser_phone"):
                phone = indian_mobile(row["organiser_phone"]) or ""
                if not phone:
                    result.error(
                        line,
                        "organiser_phone",
                        _("“%(value)s”: enter an Indian mobile number.") % {"value": row["organiser_phone"]},
                    )
            status = (
                statuses.get(row.get("status", "").casefold()) if row.get("status") else CampStatus.PLANNED
            )
            if status is None:
                result.error(
                    line,
                    "status",
                    _("“%(value)s” is not one of the choices.") % {"value": row.get("status", "")},
                )
            counts = {}
            for key in ("donors", "units"):
                text = row.get(key, "")
                counts[key] = _whole_number(text) if text else None
                if text and counts[key] is None:
                    result.error(line, key, _("“%(value)s” is not a whole number.") % {"value": text})
            if result.error_count != before:
                continue
            key = (district, kind, day, venue.casefold())
            if key in seen:
                result.error(line, "venue", _("This camp is also on line %(other)s.") % {"other": seen[key]})
                continue
            seen[key] = line
            values = {
                "venue": venue,
                "assembly_seat_id": seat,
                "organiser": organiser,
                "organiser_phone": phone,
                "notes": notes,
                "status": status,
                **counts,
            }
            parsed.append((line, key, values))
        stored: dict[tuple[Any, ...], list[DonationCamp]] = {}
        for camp in DonationCamp.objects.filter(
            district_id__in={item[1][0] for item in parsed}, date__in={item[1][2] for item in parsed}
        ):
            stored.setdefault((camp.district_id, camp.kind, camp.date, camp.venue.casefold()), []).append(
                camp
            )
        for line, key, values in parsed:
            camps = stored.get(key, [])
            if len(camps) > 1:
                result.error(
                    line,
                    "venue",
                    _(
                        "Two camps are stored with this district, kind, date and venue: "
                        "change them on their pages."
                    ),
                )
                continue
            if not camps:
                if (
                    values["status"] != CampStatus.PLANNED
                    or values["donors"] is not None
                    or values["units"] is not None
                ):
                    result.error(
                        line,
                        "status",
                        _(
                            "A camp comes in as planned: hold or cancel it on its page, "
                            "which writes its report."
                        ),
                    )
                    continue
                district, kind, day, _venue = key
                result.added.append(
                    DonationCamp(
                        kind=kind,
                        district_id=district,
                        venue=values["venue"],
                        date=day,
                        assembly_seat_id=values["assembly_seat_id"],
                        organiser=values["organiser"],
                        organiser_phone=values["organiser_phone"],
                        notes=values["notes"],
                        status=CampStatus.PLANNED,
                        created_by=self.user,
                    )
                )
                continue
            camp = camps[0]
            now = (camp.assembly_seat_id, camp.organiser, _e164(camp.organiser_phone), camp.notes)
            wanted = tuple(values[name] for name in CAMP_CHANGED)
            same_outcome = (camp.status, camp.donors, camp.units) == (
                values["status"],
                values["donors"],
                values["units"],
            )
            if now == wanted and same_outcome:
                result.unchanged += 1
            elif camp.status != CampStatus.PLANNED or not same_outcome:
                result.error(
                    line,
                    "status",
                    _(
                        "This camp is %(status)s: only a planned camp changes, "
                        "and it is held or cancelled on its page."
                    )
                    % {"status": camp.get_status_display()},
                )
            else:
                for name, value in zip(CAMP_CHANGED, wanted, strict=True):
                    setattr(camp, name, value)
                result.changed.append(camp)
        return result

    def write(self, result, progress=None):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            bulk_create_with_history(result.added, DonationCamp, batch_size=BATCH, default_user=self.user)
            bulk_update_with_history(
                result.changed,
                DonationCamp,
                ["assembly_seat", "organiser", "organiser_phone", "notes"],
                batch_size=BATCH,
                default_user=self.user,
            )
        if progress:
            progress(len(result.added) + len(result.changed))

    def export_rows(self, params=None):  # type: ignore[no-untyped-def]
        camps = (
            DonationCamp.objects.visible_to(self.user)
            .select_related("district", "assembly_seat")
            .order_by("district__code", "date", "kind", "venue", "id")
        )
        for camp in camps.iterator(chunk_size=5000):
            yield [
                camp.kind,
                camp.district.code,
                camp.assembly_seat.number if camp.assembly_seat else "",
                camp.venue,
                camp.date.isoformat(),
                camp.organiser,
                _e164(camp.organiser_phone),
                camp.status,
                "" if camp.donors is None else camp.donors,
                "" if camp.units is None else camp.units,
                camp.notes,
            ]


# ---------------------------------------------------------------------------------------------
# Donors

DONOR_COMPARED = (
    "name",
    "blood_group",
    "district_id",
    "last_donated_on",
    "recovered_on",
    "consent_to_contact",
    "language",
    "notes",
)


class DonorImport(_DistrictScoped):
    """Blood and plasma donors, known by their mobile number. Consent follows the donor pages'
    rules (``donor_update``): given in a sheet, its time is recorded; taken back, it is an
    opt-out; an opted-out donor's consent comes back only through his renewed consent on the
    donor's page, never through a sheet."""

    kind = "donors"
    model = Donor
    label = gettext_lazy("Donors")
    columns = {
        "name": ("नाम",),
        "phone": ("mobile", "mobile number", "मोबाइल नंबर"),
        "blood_group": ("blood group", "रक्त समूह"),
        "district": ("district code", "जिला"),
        "last_donated_on": ("last donation", "पिछला दान"),
        "recovered_on": ("recovered from covid on", "कोविड से ठीक होने की तारीख"),
        "consent_to_contact": ("consent", "agrees to be contacted", "संपर्क की सहमति"),
        "language": ("भाषा",),
        "notes": ("टिप्पणी",),
    }
    required = ("name", "phone", "blood_group", "district")

    def check(self, rows, progress=None):  # type: ignore[no-untyped-def]
        result = CheckResult()
        maps = self._districts()
        bloods, languages = _choice(BloodGroup), _choice(Language)
        today = timezone.localdate()
        parsed: list[tuple[int, str, dict[str, Any]]] = []
        seen: dict[str, int] = {}
        for line, row in rows:
            result.total += 1
            if progress and result.total % BATCH == 0:
                progress(result.total)
            before = result.error_count
            name = row.get("name", "")
            if not name or len(name) > 120:
                result.error(line, "name", _("The donor's name is missing or too long."))
            text = row.get("phone", "")
            phone = None
            if MASK in text:
                result.error(
                    line,
                    "phone",
                    _(
                        "This number is masked: import a file exported by someone "
                        "who may see donors' numbers."
                    ),
                )
            else:
                phone = indian_mobile(text)
                if phone is None:
                    result.error(
                        line, "phone", _("“%(value)s”: enter an Indian mobile number.") % {"value": text}
                    )
                elif phone in seen:
                    result.error(
                        line,
                        "phone",
                        _("This mobile number is also on line %(other)s.") % {"other": seen[phone]},
                    )
                else:
                    seen[phone] = line
            district = self._district(result, line, row, maps)
            values: dict[str, Any] = {"name": name, "district_id": district, "notes": row.get("notes", "")}
            if len(values["notes"]) > 500:
                result.error(line, "notes", _("Longer than %(limit)s characters.") % {"limit": 500})
            blood = bloods.get(row.get("blood_group", "").casefold())
            if blood is None:
                result.error(
                    line,
                    "blood_group",
                    _("“%(value)s” is not one of the choices.") % {"value": row.get("blood_group", "")},
                )
            values["blood_group"] = blood
            language = row.get("language", "")
            values["language"] = languages.get(language.casefold()) if language else Language.HINDI
            if values["language"] is None:
                result.error(
                    line, "language", _("“%(value)s” is not one of the choices.") % {"value": language}
                )
            for key in ("last_donated_on", "recovered_on"):
                values[key] = self._date(result, line, row, key, required=False)
                if values[key] and values[key] > today:
                    result.error(line, key, _("The date cannot be in the future."))
            consent = _boolean(row.get("consent_to_contact", ""))
            if consent is None:
                result.error(
                    line,
                    "consent_to_contact",
                    _("“%(value)s”: write yes or no.") % {"value": row.get("consent_to_contact", "")},
                )
            values["consent_to_contact"] = consent
            if result.error_count == before:
                parsed.append((line, phone, values))
        stored: dict[str, Donor] = {}
        phones = [item[1] for item in parsed]
        for start in range(0, len(phones), BATCH):
            for donor in Donor.objects.filter(phone__in=phones[start : start + BATCH]):
                stored[_e164(donor.phone)] = donor
        now = timezone.now()
        for line, phone, values in parsed:
            donor = stored.get(phone)
            if donor is None:
                added = Donor(phone=phone, consent_at=now if values["consent_to_contact"] else None, **values)
                added._consent_given = True if values["consent_to_contact"] else None
                result.added.append(added)
                continue
            if donor.district_id not in maps[1]:
                # Registered in another district: not revealed (nobody can test numbers).
                result.error(line, "phone", _("This mobile number cannot be registered here."))
                continue
            if tuple(getattr(donor, key) for key in DONOR_COMPARED) == tuple(
                values[key] for key in DONOR_COMPARED
            ):
                result.unchanged += 1
                continue
            consent = values["consent_to_contact"]
            if consent and donor.opted_out_at is not None:
                result.error(line, "consent_to_contact", OPT_OUT_ENDS_ONLY_BY_RENEWED_CONSENT)
                continue
            if consent and not donor.consent_to_contact:
                donor.consent_at = now
                donor._consent_given = True
            elif not consent and donor.consent_to_contact:
                donor.opted_out_at, donor.consent_at = now, None
                donor._consent_given = False
            for key in DONOR_COMPARED:
                setattr(donor, key, values[key])
            donor.updated_at = now
            result.changed.append(donor)
        return result

    def write(self, result, progress=None):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            bulk_create_with_history(result.added, Donor, batch_size=BATCH, default_user=self.user)
            bulk_update_with_history(
                result.changed,
                Donor,
                [*DONOR_COMPARED, "consent_at", "opted_out_at", "updated_at"],
                batch_size=BATCH,
                default_user=self.user,
            )
            # Consent given or withdrawn by the sheet, recorded as the donor pages record it.
            given = [
                d for d in result.added + result.changed if getattr(d, "_consent_given", None) is not None
            ]
            missing = [str(d.phone) for d in given if d.pk is None]  # a database that returns no ids
            found = Donor.objects.filter(phone__in=missing).values_list("phone", "pk") if missing else []
            ids = {str(phone): pk for phone, pk in found}
            consent_record_many(
                kind=ConsentSubject.DONOR,
                purpose=ConsentPurpose.DONATION_MATCHING,
                given={d.pk or ids[str(d.phone)]: d._consent_given for d in given},
                by=self.user,
            )
        if progress:
            progress(len(result.added) + len(result.changed))

    def export_rows(self, params=None):  # type: ignore[no-untyped-def]
        self.masked = not (self.user is None or self.user.has_perm(PERSONAL_DATA_PERMISSION))
        donors = (
            Donor.objects.visible_to(self.user)
            .select_related("district")
            .order_by("district__code", "name", "id")
        )
        for donor in donors.iterator(chunk_size=5000):
            phone = _e164(donor.phone)
            yield [
                donor.name,
                mask_phone(phone) if self.masked else phone,
                donor.blood_group,
                donor.district.code,
                donor.last_donated_on.isoformat() if donor.last_donated_on else "",
                donor.recovered_on.isoformat() if donor.recovered_on else "",
                yes_no(donor.consent_to_contact),
                donor.language,
                donor.notes,
            ]


RECORD_KINDS: dict[str, type[BulkImport]] = {
    "targets": TargetImport,
    "camps": CampImport,
    "donors": DonorImport,
}
