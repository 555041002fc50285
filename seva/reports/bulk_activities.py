"""Activity reports from a sheet (issue 14): one row a report, one column a metric.

A row names its place by codes and numbers (district ``patna``, seat ``182``, the mandal by its
name within the seat, the booth by its number within the seat or as ``182-45``), its task by
code, its date (``YYYY-MM-DD``), and its numbers in columns headed by the metrics' codes
(``masks``, ``people``: a code shared by several tasks is one column, read for the row's
task). ``client_uuid`` is optional: without it the row's reference is derived from the row's
key (place, task and date) by ``uuid5``, so the same file imported again is stored once.

The check reads the file once against look-ups loaded into dicts (tasks, metrics, districts,
seats, the named seats' mandals and booths, the reports already stored with the file's
references) and lists every bad row: an unknown task or metric, a negative or too large
number, a date in the future, outside the active campaign or (for a district user) further
back than ``SEVA_BACKDATE_DAYS``, a place outside the user's scope or not inside the row's
district. A reference already stored is "already as in the file" when its numbers are the
row's, a bad row otherwise (a stored report is corrected on its page, not by a sheet).

The write then calls ``tasks17.services.activity_submit`` for each row, in one transaction:
the rules, the report's history and the rollups are the report service's, the same as a
report typed in. That is a few queries a row (the service's own), so it runs at some
hundreds of rows a second (docs/imports.md), not at the booths' speed.

The export gives the reports of a date range (``from``/``to``; by default the active
campaign so far) in exactly these columns, numbers taken from each report's stored copy
(``Activity.numbers``): no query per row, and imported back it changes nothing.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seva.geo.models import AssemblySeat, Booth, District, Mandal
from tasks17.choices import ActivityOrigin
from tasks17.models import Activity, Campaign, Metric, Task
from tasks17.services import RECORD_FED_REFUSAL, activity_submit

from .bulk import BATCH, CheckResult, ImportFileError, _whole_number
from .bulk_records import PERSONAL_DATA_PERMISSION, _DistrictScoped, parse_date
from .register import _mask_notes as mask_phones_in

# The namespace of the references derived from a row (never change it: re-imports would no
# longer find the reports they wrote).
ROW_NAMESPACE = uuid.UUID("6f1d3c8e-3b7a-5c52-9d7e-2a4f0c9b1e11")

BASE_COLUMNS: dict[str, tuple[str, ...]] = {
    "district": ("district code", "जिला"),
    "assembly_seat": ("assembly seat", "seat", "विधानसभा"),
    "mandal": ("मंडल",),
    "booth": ("booth number", "बूथ"),
    "task": ("task code", "कार्य"),
    "date": ("तारीख",),
    "notes": ("टिप्पणी",),
    "client_uuid": ("client reference", "संदर्भ"),
}


def row_uuid(
    *, district: str, seat: Any, mandal: str, booth: Any, task: str, date: datetime.date
) -> uuid.UUID:
    """The reference of a row that brings none: the same place, task and date, the same uuid."""
    key = "|".join(
        str(part or "").casefold() for part in (district, seat, mandal, booth, task, date.isoformat())
    )
    return uuid.uuid5(ROW_NAMESPACE, key)


def metric_codes() -> list[str]:
    """Every metric's code once, in the catalogue's order: the number columns."""
    codes = Metric.objects.order_by("task__position", "task__number", "position", "code").values_list(
        "code", flat=True
    )
    return [code for code in dict.fromkeys(codes) if code not in BASE_COLUMNS]


# One file's reports: each is written through the report service (tens to hundreds a second),
# and the write must end well within the Celery task's time limit (``run_import``, 600 s).
MAX_ROWS = 10_000


class ActivityImport(_DistrictScoped):
    kind = "activities"
    model = Activity
    label = gettext_lazy("Activity reports")
    required = ("district", "task", "date")

    def __init__(self, user: Any = None) -> None:
        super().__init__(user)
        self.metrics = metric_codes()
        self.columns = {**BASE_COLUMNS, **dict.fromkeys(self.metrics, ())}

    @classmethod
    def import_permissions(cls) -> list[str]:
        # Adding reports is the permission: a sheet never changes a stored one.
        return ["tasks17.add_activity"]

    def check(self, rows, progress=None):  # type: ignore[no-untyped-def]
        result = CheckResult()
        if self.user is None:
            raise ImportFileError(
                _("Reports are imported by a signed-in user, who is named as their reporter.")
            )
        maps = self._districts()
        district_codes = {pk: code for code, pk in maps[0].items()}
        tasks = {task.code.casefold(): task for task in Task.objects.all()}
        task_metrics: dict[int, dict[str, Metric]] = {}
        for metric in Metric.objects.filter(is_active=True):
            task_metrics.setdefault(metric.task_id, {})[metric.code] = metric
        seats = {seat.number: seat for seat in AssemblySeat.objects.all()}
        campaign = Campaign.objects.active().first()
        today = timezone.localdate()
        earliest = None if self.everything else today - datetime.timedelta(days=settings.SEVA_BACKDATE_DAYS)
        parsed: list[dict[str, Any]] = []
        seen: dict[uuid.UUID, int] = {}
        for line, row in rows:
            result.total += 1
            if progress and result.total % BATCH == 0:
                progress(result.total)
            if result.total > MAX_ROWS:
                raise ImportFileError(
                    _("One file takes at most %(limit)s reports: split it into smaller files.")
                    % {"limit": f"{MAX_ROWS:,}"}
                )
            before = result.error_count
            task = tasks.get(row.get("task", "").casefold())
            if task is None:
                result.error(line, "task", _("No task with code “%(code)s”.") % {"code": row.get("task", "")})
            elif not task.is_active:
                result.error(line, "task", _("This task is no longer taking reports."))
            elif task.fed_by_records:
                result.error(line, "task", RECORD_FED_REFUSAL)
            district = self._district(result, line, row, maps)
            day = self._date(result, line, row, "date", required=True)
            if day is not None:
                if day > today:
                    result.error(line, "date", _("The date cannot be in the future."))
                elif campaign is not None and not campaign.start_date <= day <= campaign.end_date:
                    result.error(
                        line,
                        "date",
                        _("The date is outside the campaign (%(start)s to %(end)s).")
                        % {"start": campaign.start_date.isoformat(), "end": campaign.end_date.isoformat()},
                    )
                elif earliest is not None and day < earliest:
                    result.error(
                        line,
                        "date",
                        _("Reports may go back at most %(days)s days; ask the state office.")
                        % {"days": settings.SEVA_BACKDATE_DAYS},
                    )
            seat, booth_key = self._place(result, line, row, seats, district)
            values: dict[str, int] = {}
            known = task_metrics.get(task.pk, {}) if task is not None else {}
            for code in self.metrics:
                text = row.get(code, "")
                if not text or task is None:
                    continue
                metric = known.get(code)
                if metric is None:
                    result.error(
                        line,
                        code,
                        _("Task “%(task)s” has no metric “%(metric)s”.")
                        % {"task": task.code, "metric": code},
                    )
                    continue
                number = _whole_number(text)
                if text.strip().startswith("-"):
                    result.error(line, code, _("%(metric)s cannot be negative.") % {"metric": metric.label})
                elif number is None:
                    result.error(
                        line, code, _("%(metric)s: enter a whole number.") % {"metric": metric.label}
                    )
                elif number > metric.max_per_report:
                    result.error(
                        line,
                        code,
                        _("%(metric)s: %(number)s is more than one report can hold (at most %(max)s).")
                        % {"metric": metric.label, "number": number, "max": metric.max_per_report},
                    )
                elif number:
                    values[code] = number
            if task is not None and result.error_count == before and not values:
                result.error(line, "task", _("Give at least one number above zero."))
            notes = row.get("notes", "")
            if len(notes) > 2000:
                result.error(line, "notes", _("Longer than %(limit)s characters.") % {"limit": 2000})
            reference = None
            if row.get("client_uuid"):
                try:
                    reference = uuid.UUID(row["client_uuid"].strip())
                except ValueError:
                    result.error(
                        line,
                        "client_uuid",
                        _("“%(value)s” is not a client reference (a UUID).") % {"value": row["client_uuid"]},
                    )
            if result.error_count != before:
                continue
            if reference is None:
                reference = row_uuid(
                    district=district_codes[district],
                    seat=seat.number if seat else "",
                    mandal=row.get("mandal", ""),
                    booth=booth_key[1] if booth_key else "",
                    task=task.code,
                    date=day,
                )
            if reference in seen:
                result.error(
                    line,
                    "client_uuid",
                    _("This report is also on line %(other)s (give each its own client_uuid).")
                    % {"other": seen[reference]},
                )
                continue
            seen[reference] = line
            parsed.append(
                {
                    "line": line,
                    "task": task,
                    "district": district,
                    "seat": seat,
                    "mandal": row.get("mandal", ""),
                    "booth": booth_key,
                    "date": day,
                    "values": values,
                    "notes": notes,
                    "client_uuid": reference,
                }
            )
        self._resolve_places(result, parsed)
        self._against_stored(result, parsed, maps[1])
        return result

    def _place(
        self, result: CheckResult, line: int, row: dict[str, str], seats: dict[int, Any], district: int | None
    ) -> tuple[Any, tuple[int, int] | None]:
        seat = None
        seat_text = row.get("assembly_seat", "")
        if seat_text:
            seat = seats.get(_whole_number(seat_text) or -1)
            if seat is None:
                result.error(
                    line, "assembly_seat", _("No assembly seat number “%(seat)s”.") % {"seat": seat_text}
                )
            elif district is not None and seat.district_id != district:
                result.error(line, "assembly_seat", _("This assembly seat is not in the chosen district."))
                seat = None
        booth_text = row.get("booth", "")
        booth_key = None
        if booth_text:
            seat_part, dash, number_part = booth_text.partition("-")
            number = _whole_number(number_part if dash else booth_text)
            booth_seat = seats.get(_whole_number(seat_part) or -1) if dash else seat
            if booth_seat is None or not number or (seat is not None and booth_seat.pk != seat.pk):
                result.error(
                    line, "booth", _("Name the booth by its number within the row's seat (or as 182-45).")
                )
            elif district is not None and booth_seat.district_id != district:
                result.error(line, "booth", _("This booth is not in the chosen district."))
            else:
                booth_key = (booth_seat.pk, number)
        if row.get("mandal") and seat is None and booth_key is None:
            result.error(line, "mandal", _("Name the assembly seat of the mandal."))
        return seat, booth_key

    def _resolve_places(self, result: CheckResult, parsed: list[dict[str, Any]]) -> None:
        """Mandals and booths by name and number, one query each for the whole file."""
        seat_ids = {item["seat"].pk for item in parsed if item["seat"]} | {
            item["booth"][0] for item in parsed if item["booth"]
        }
        mandals = {
            (mandal.assembly_seat_id, mandal.name.casefold()): mandal
            for mandal in Mandal.objects.filter(assembly_seat_id__in=seat_ids).select_related("assembly_seat")
        }
        booths = {
            (booth.assembly_seat_id, booth.number): booth
            for booth in Booth.objects.filter(assembly_seat_id__in=seat_ids).select_related("assembly_seat")
        }
        for item in list(parsed):
            if item["booth"]:
                booth = booths.get(item["booth"])
                if booth is None:
                    result.error(
                        item["line"],
                        "booth",
                        _("No booth %(number)s in this assembly seat.") % {"number": item["booth"][1]},
                    )
                    parsed.remove(item)
                    continue
                item["booth"] = booth
                item["seat"] = item["seat"] or booth.assembly_seat
            if item["mandal"]:
                item["mandal"] = mandals.get((item["seat"].pk, item["mandal"].casefold()))
                if item["mandal"] is None:
                    result.error(item["line"], "mandal", _("No mandal of this name in this assembly seat."))
                    parsed.remove(item)
            else:
                item["mandal"] = None

    def _against_stored(self, result: CheckResult, parsed: list[dict[str, Any]], allowed: set[int]) -> None:
        """A reference already stored: unchanged when its numbers are the row's, else a bad row."""
        references = [item["client_uuid"] for item in parsed]
        stored: dict[uuid.UUID, tuple[int, int, datetime.date, dict[str, int]]] = {}
        for start in range(0, len(references), BATCH):
            for reference, district, task, day, numbers in Activity.objects.filter(
                client_uuid__in=references[start : start + BATCH]
            ).values_list("client_uuid", "district_id", "task_id", "date", "numbers"):
                stored[reference] = (district, task, day, numbers)
        for item in parsed:
            before = stored.get(item["client_uuid"])
            if before is None:
                result.added.append(item)
            elif before[0] not in allowed:
                result.error(item["line"], "client_uuid", _("This client reference is already in use."))
            elif before != (item["district"], item["task"].pk, item["date"], item["values"]):
                result.error(
                    item["line"],
                    "client_uuid",
                    _("This report is already stored with other figures: correct it on its page."),
                )
            else:
                result.unchanged += 1

    def write(self, result, progress=None):  # type: ignore[no-untyped-def]
        """Each row through ``activity_submit``, all in one transaction: a row the service
        refuses (the data moved since the check) undoes the whole file."""
        districts = District.objects.in_bulk({item["district"] for item in result.added})
        with transaction.atomic():
            for done, item in enumerate(result.added, start=1):
                activity_submit(
                    by=self.user,
                    task=item["task"],
                    district=districts[item["district"]],
                    assembly_seat=item["seat"],
                    mandal=item["mandal"],
                    booth=item["booth"],
                    date=item["date"],
                    values=item["values"],
                    notes=item["notes"],
                    client_uuid=item["client_uuid"],
                    origin=ActivityOrigin.REPORT,
                )
                if progress and done % 500 == 0:
                    progress(done)
        if progress:
            progress(len(result.added))

    masked_imports_back = True  # the numbers and references are never masked

    def export_rows(self, params=None):  # type: ignore[no-untyped-def]
        """The rows (a generator); phone numbers inside notes are masked, as in the register,
        unless the user may see personal data (``self.masked`` is set at once)."""
        self.masked = not self.user.has_perm(PERSONAL_DATA_PERMISSION)
        return self._export_rows(params)

    def _export_rows(self, params: Any) -> Any:
        start, end = export_range(params)
        activities = (
            Activity.objects.visible_to(self.user)
            .filter(date__range=(start, end))
            .order_by("date", "id")
            .values_list(
                "district__code",
                "assembly_seat__number",
                "mandal__name",
                "booth__number",
                "task__code",
                "date",
                "notes",
                "client_uuid",
                "numbers",
            )
        )
        for district, seat, mandal, booth, task, day, notes, reference, numbers in activities.iterator(
            chunk_size=5000
        ):
            yield [
                district,
                seat or "",
                mandal or "",
                booth or "",
                task,
                day.isoformat(),
                mask_phones_in(notes) if self.masked and notes else notes,
                str(reference),
                *(numbers.get(code, "") for code in self.metrics),
            ]


def export_range(params: Any) -> tuple[datetime.date, datetime.date]:
    """The export's dates: ``from``/``to`` from the query string, else the active campaign so
    far (else the last 30 days)."""
    today = timezone.localdate()
    campaign = Campaign.objects.active().first()
    start = campaign.start_date if campaign else today - datetime.timedelta(days=30)
    end = min(campaign.end_date, today) if campaign else today
    params = params or {}
    return parse_date(params.get("from", "") or "") or start, parse_date(params.get("to", "") or "") or end
