"""Reads that matter: the desk's queue, availability search, donor matches and the figures
the dashboards show."""

from __future__ import annotations

import datetime
import statistics
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When
from django.utils import timezone

from seva.geo.models import District
from tasks17.models import Donor
from tasks17.records.services import eligible_donors

from .choices import COUNTED_CLOSINGS, DONOR_CATEGORIES, OPEN_STATUSES, RequestStatus
from .matching import compatible_donor_groups
from .models import AvailabilityReport, Facility, Helpline, HelpRequest, sla_minutes

BED_FIELDS = {
    "general": "beds_general",
    "oxygen": "beds_oxygen",
    "icu": "beds_icu",
    "ventilator": "beds_ventilator",
    "cylinders": "oxygen_cylinders",
}


def queue(user: Any) -> Any:
    """The open requests ``user`` sees, most urgent first, then the longest waiting."""
    return (
        HelpRequest.objects.visible_to(user)
        .open()
        .queue_order()
        .select_related("helpline", "district", "assigned_to")
    )


def donor_matches(request: HelpRequest, on: datetime.date | None = None) -> Any:
    """The donors who may give to ``request``'s patient now: a blood or plasma request only;
    eligible and consenting (the registry's own rule, ``eligible_donors``: opted-out donors
    never), of the request's district, of a compatible group (``compatible_donor_groups``),
    the patient's own group first, then those who never gave or gave longest ago.

    Donors carry no seat in the registry, so "nearest" is the request's district."""
    kind = DONOR_CATEGORIES.get(request.category)
    if kind is None or not request.blood_group:
        return Donor.objects.none()
    groups = compatible_donor_groups(request.blood_group, kind)
    donors = eligible_donors(kind, on=on, district=request.district_id).filter(blood_group__in=groups)
    own_first = Case(
        When(blood_group=request.blood_group, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return donors.annotate(group_rank=own_first).order_by("group_rank", "last_donated_on", "name", "id")


def latest_reports(facilities: Any) -> Any:
    """Each of ``facilities`` with its latest report's id (``latest_report``)."""
    latest = AvailabilityReport.objects.filter(facility=OuterRef("pk")).order_by("-reported_at", "-id")
    return facilities.annotate(latest_report=Subquery(latest.values("pk")[:1]))


def availability_search(
    user: Any, *, kind: str = "", district: Any = None, now: datetime.datetime | None = None
) -> list[dict[str, Any]]:
    """Facilities ``user`` sees with their latest report: ``kind`` (``oxygen``, ``icu``…,
    ``cylinders``) keeps those whose latest report has some free; ``district`` narrows.
    Fresh reports first, freshest first; a report older than ``SEVA_AVAILABILITY_STALE_HOURS``
    is ``stale`` and sorts last; a facility with no report at all comes after them."""
    now = now or timezone.now()
    facilities = Facility.objects.visible_to(user).filter(is_active=True)
    if district is not None:
        facilities = facilities.filter(district=district)
    facilities = latest_reports(facilities.select_related("district"))
    rows = list(facilities)
    reports = AvailabilityReport.objects.in_bulk([f.latest_report for f in rows if f.latest_report])
    stale_after = datetime.timedelta(hours=settings.SEVA_AVAILABILITY_STALE_HOURS)
    result = []
    for facility in rows:
        report = reports.get(facility.latest_report)
        if kind:
            field = BED_FIELDS.get(kind)
            if field is None or report is None or getattr(report, field) <= 0:
                continue
        age = now - report.reported_at if report else None
        result.append(
            {
                "facility": facility,
                "report": report,
                "age": age,
                "stale": age is None or age > stale_after,
            }
        )
    result.sort(key=lambda row: (row["report"] is None, row["stale"], row["age"] or datetime.timedelta(0)))
    return result


def _median_minutes(deltas: list[datetime.timedelta]) -> float | None:
    if not deltas:
        return None
    return round(statistics.median(delta.total_seconds() for delta in deltas) / 60, 1)


class _Figures:
    """The running sums of :func:`helpline_figures` for one place."""

    def __init__(self) -> None:
        self.open = self.resolved = self.closed = self.past_sla = self.open_past_sla = 0
        self.to_first: list[datetime.timedelta] = []
        self.to_resolve: list[datetime.timedelta] = []

    def add(self, urgency: str, status: str, created: Any, first: Any, closed: Any, now: Any) -> None:
        is_open = status in OPEN_STATUSES
        self.open += is_open
        self.resolved += status == RequestStatus.RESOLVED
        self.closed += status in COUNTED_CLOSINGS
        if first:
            self.to_first.append(first - created)
        if status == RequestStatus.RESOLVED and closed:
            self.to_resolve.append(closed - created)
        if (first or now) - created > datetime.timedelta(minutes=sla_minutes(urgency)):
            self.past_sla += 1
            self.open_past_sla += is_open

    def as_dict(self) -> dict[str, Any]:
        return {
            "open": self.open,
            "resolved": self.resolved,
            "closed": self.closed,
            "median_minutes_to_first_action": _median_minutes(self.to_first),
            "median_minutes_to_resolution": _median_minutes(self.to_resolve),
            "past_sla": self.past_sla,
            "open_past_sla": self.open_past_sla,
        }


def _requests_between(start: datetime.date | None, end: datetime.date | None) -> Any:
    """Requests that came in from ``start`` to ``end`` (local days), as a range of times on
    ``created_at`` so its indexes serve it (a ``__date`` lookup converts every row)."""
    rows = HelpRequest.objects.all()
    zone = timezone.get_current_timezone()
    if start:
        rows = rows.filter(created_at__gte=datetime.datetime.combine(start, datetime.time.min, zone))
    if end:
        next_day = end + datetime.timedelta(days=1)
        rows = rows.filter(created_at__lt=datetime.datetime.combine(next_day, datetime.time.min, zone))
    return rows


_TIMES = ("district_id", "urgency", "status", "created_at", "first_action_at", "resolved_at")
# The state board's helpline figures are kept this long: one pass over the period's requests
# serves many viewers, and a request shows within it.
STATE_FIGURES_SECONDS = 30


def helpline_figures(
    *, district: Any = None, start: datetime.date | None = None, end: datetime.date | None = None
) -> dict[str, Any]:
    """Open, resolved and closed (resolved or not met) requests, median minutes to first
    action and to resolution, and requests past their SLA (first action later than the
    urgency's SLA, or none yet and the SLA gone; ``open_past_sla``: those still open) —
    state-wide, or for one district (the caller's district); ``start``/``end`` limit by the
    day a request came in. One query."""
    rows = _requests_between(start, end)
    if district is not None:
        rows = rows.filter(district=district)
    now, sums = timezone.now(), _Figures()
    for _district, *times in rows.values_list(*_TIMES).iterator():
        sums.add(*times, now)
    return sums.as_dict()


def state_helpline_figures(
    *, start: datetime.date | None = None, end: datetime.date | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The state's figures (as :func:`helpline_figures`) and each district's that has requests,
    in the state's order (``{"district": District, **figures}``), from one pass over the
    period's requests, kept ``STATE_FIGURES_SECONDS`` for the state dashboard."""

    def compute() -> tuple[dict[str, Any], list[dict[str, Any]]]:
        now, total, sums = timezone.now(), _Figures(), {}
        for district_id, *times in _requests_between(start, end).values_list(*_TIMES).iterator():
            total.add(*times, now)
            sums.setdefault(district_id, _Figures()).add(*times, now)
        districts = District.objects.in_bulk(list(sums))
        rows = [{"district": districts[pk], **figures.as_dict()} for pk, figures in sums.items()]
        rows.sort(key=lambda row: (row["district"].position, row["district"].name_en))
        return total.as_dict(), rows

    return cache.get_or_set(f"helplines:state-figures:{start}:{end}", compute, STATE_FIGURES_SECONDS)


def roster(helpline: Any, *, now: datetime.datetime | None = None, hours: int = 24) -> dict[str, Any]:
    """Who is on ``helpline`` now, its shifts of the next ``hours``, and the gaps in them
    (times nobody is on), for the roster page."""
    now = now or timezone.now()
    until = now + datetime.timedelta(hours=hours)
    shifts = list(helpline.shifts.overlapping(now, until).select_related("operator").order_by("start"))
    gaps, covered_to = [], now
    for shift in shifts:
        if shift.start > covered_to:
            gaps.append((covered_to, shift.start))
        covered_to = max(covered_to, shift.end)
    if covered_to < until:
        gaps.append((covered_to, until))
    return {
        "on_now": [shift for shift in shifts if shift.start <= now < shift.end],
        "shifts": shifts,
        "gaps": gaps,
        "window_end": until,
    }


def public_board(now: datetime.datetime | None = None) -> list[dict[str, Any]]:
    """Per district (those with facilities or helplines): the free beds by kind, oxygen
    cylinders and medicines of the facilities' latest fresh reports, the time of the latest
    report, and the active helplines' numbers. Nothing about any caller, patient or donor:
    it reads facilities, their reports and helplines only."""
    now = now or timezone.now()
    fresh_after = now - datetime.timedelta(hours=settings.SEVA_AVAILABILITY_STALE_HOURS)
    facilities = latest_reports(Facility.objects.filter(is_active=True))
    latest_ids = [f.latest_report for f in facilities if f.latest_report]
    reports = AvailabilityReport.objects.filter(pk__in=latest_ids).select_related("facility")
    by_district: dict[int, dict[str, Any]] = {}

    def entry(district_id: int) -> dict[str, Any]:
        return by_district.setdefault(
            district_id,
            {
                "beds": dict.fromkeys(("general", "oxygen", "icu", "ventilator"), 0),
                "cylinders": 0,
                "medicines": set(),
                "last_report": None,
                "fresh_reports": 0,
                "helplines": [],
            },
        )

    for report in reports:
        row = entry(report.facility.district_id)
        if row["last_report"] is None or report.reported_at > row["last_report"]:
            row["last_report"] = report.reported_at
        if report.reported_at < fresh_after:
            continue  # stale: its numbers are not shown as free now
        row["fresh_reports"] += 1
        for kind, count in report.beds_free.items():
            row["beds"][kind] += count
        row["cylinders"] += report.oxygen_cylinders
        row["medicines"].update(name.strip() for name in report.medicines.split(",") if name.strip())
    for helpline in Helpline.objects.filter(is_active=True).prefetch_related("districts"):
        for district in {helpline.district_id, *(d.pk for d in helpline.districts.all())}:
            entry(district)["helplines"].append(helpline)
    districts = District.objects.in_bulk(list(by_district))
    rows = []
    for district_id, row in by_district.items():
        row["district"] = districts[district_id]
        row["medicines"] = sorted(row["medicines"])
        rows.append(row)
    rows.sort(key=lambda row: row["district"].position)
    return rows
