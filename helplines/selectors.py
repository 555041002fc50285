"""Reads that matter: the desk's queue, availability search, donor matches and the figures
the dashboards show."""

from __future__ import annotations

import datetime
import statistics
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
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


def helpline_figures(
    *, district: Any = None, start: datetime.date | None = None, end: datetime.date | None = None
) -> dict[str, Any]:
    """Open and closed requests, median minutes to first action and to resolution, and
    requests past their SLA (first action later than the urgency's SLA, or none yet and the
    SLA gone; ``open_past_sla``: those still open) — state-wide, or for one district (the caller's district);
    ``start``/``end`` limit by the day a request came in. For the dashboards."""
    rows = HelpRequest.objects.all()
    if district is not None:
        rows = rows.filter(district=district)
    if start:
        rows = rows.filter(created_at__date__gte=start)
    if end:
        rows = rows.filter(created_at__date__lte=end)
    counts = rows.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        resolved=Count("pk", filter=Q(status=RequestStatus.RESOLVED)),
        closed=Count("pk", filter=Q(status__in=COUNTED_CLOSINGS)),
    )
    now = timezone.now()
    timed = rows.values_list("urgency", "status", "created_at", "first_action_at", "resolved_at")
    to_first, to_resolve, past_sla, open_past_sla = [], [], 0, 0
    for urgency, status, created, first, closed in timed.iterator():
        if first:
            to_first.append(first - created)
        if status == RequestStatus.RESOLVED and closed:
            to_resolve.append(closed - created)
        if (first or now) - created > datetime.timedelta(minutes=sla_minutes(urgency)):
            past_sla += 1
            open_past_sla += status in OPEN_STATUSES
    return {
        **counts,
        "median_minutes_to_first_action": _median_minutes(to_first),
        "median_minutes_to_resolution": _median_minutes(to_resolve),
        "past_sla": past_sla,
        "open_past_sla": open_past_sla,
    }


def helpline_figures_by_district(**kwargs: Any) -> dict[int, dict[str, Any]]:
    """:func:`helpline_figures` per district id that has requests."""
    ids = HelpRequest.objects.values_list("district_id", flat=True).distinct()
    return {district_id: helpline_figures(district=district_id, **kwargs) for district_id in ids}


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
