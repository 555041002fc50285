"""Reads that matter in the tasks app: the one meaning of progress, over the rollups.

Every state or district figure (the dashboards, ``/tasks/``, ``/targets/``, the landing page,
the reminders and the report pack) is read here from the rollups, never from the fact table:
``DistrictRollup`` (a row a day, district and metric) for state and district sums,
``DailyRollup`` (by seat too) where a figure needs the seats; so each costs a fixed number of
queries whatever the number of reports. Achievement and "behind" are computed once, in
:func:`progress` and :func:`district_task_progress`:

* a target's *achieved* share is what was reported (submitted + verified) within its period,
  up to the range's end, divided by its value;
* *share gone* is the part of the target's period already past on the day the figures are
  for (the range's end, or today if earlier), counting the day itself;
* a target is *behind* when achieved < share gone − ``SEVA_BEHIND_TOLERANCE`` (0.10).
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery, Sum
from django.utils import timezone

from seva.base.scoping import user_scope
from seva.geo.models import AssemblySeat, Booth, District

from .choices import ActivityStatus
from .models import (
    Activity,
    Campaign,
    DailyRollup,
    DistrictReportClock,
    DistrictRollup,
    Metric,
    Target,
    Task,
)
from .rollups import fresh_cached

# How far back a figure may reach in one request (the pages and the API refuse more).
MAX_RANGE_DAYS = 366


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _id(value: Any) -> int | None:
    """An id from a model instance or an id (``None`` stays ``None``)."""
    return getattr(value, "pk", value)


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def behind_tolerance() -> float:
    return float(getattr(settings, "SEVA_BEHIND_TOLERANCE", 0.10))


# --- The period -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A range of dates, both ends included."""

    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def campaign_period(today: datetime.date | None = None) -> Period:
    """The campaign so far: from the active campaign's start to today, or to its end once it
    is over. Without an active campaign, the last 60 days."""
    today = _today(today)
    campaign = Campaign.objects.active().first()
    if campaign is None:
        return Period(today - datetime.timedelta(days=59), today)
    end = min(campaign.end_date, today)
    return Period(min(campaign.start_date, end), end)


# --- Sums -------------------------------------------------------------------------------------

_GROUPS = {
    "date": "date",
    "district": "district_id",
    "assembly_seat": "assembly_seat_id",
    "task": "task_id",
    "metric": "metric_id",
}


def _rollups(
    *,
    start: datetime.date,
    end: datetime.date,
    district: Any = None,
    seat: Any = None,
    task: Any = None,
    metric: Any = None,
    by_seat: bool = False,
) -> Any:
    """The rollup rows of the range: the district rows (``DistrictRollup``), or the seat rows
    (``DailyRollup``) when a seat is named or the figures are ``by_seat``."""
    model = DailyRollup if by_seat or seat is not None else DistrictRollup
    rows = model.objects.filter(date__gte=start, date__lte=end)
    if district is not None:
        rows = rows.filter(district_id=_id(district))
    if seat is not None:
        rows = rows.filter(assembly_seat_id=_id(seat))
    if task is not None:
        rows = rows.filter(task_id=_id(task))
    if metric is not None:
        rows = rows.filter(metric_id=_id(metric))
    return rows.order_by()


def figures(
    *,
    start: datetime.date,
    end: datetime.date,
    district: Any = None,
    seat: Any = None,
    task: Any = None,
    by: Sequence[str] = ("task", "metric"),
) -> list[dict[str, Any]]:
    """Sums of ``reported``, ``verified`` and ``reports`` between ``start`` and ``end``
    (optionally within one district, seat or task), one dict per group of ``by`` (any of
    ``date``, ``district``, ``assembly_seat``, ``task``, ``metric``). Groups are named by id:
    ``{"task_id": 3, "metric_id": 7, "reported": 120, "verified": 80, "reports": 9}``;
    ``date`` as ``"date"``. ``by=()`` gives one dict, the grand total. One query."""
    unknown = set(by) - _GROUPS.keys()
    if unknown:
        raise ValueError(f"cannot group figures by {sorted(unknown)}")
    columns = [_GROUPS[name] for name in by]
    rows = _rollups(
        start=start, end=end, district=district, seat=seat, task=task, by_seat="assembly_seat" in by
    )
    sums = {"reported": Sum("reported", default=0), "verified": Sum("verified", default=0)}
    sums["reports"] = Sum("reports", default=0)
    if not columns:
        return [rows.aggregate(**sums)]
    return list(rows.values(*columns).annotate(**sums).order_by(*columns))


def daily_series(
    *,
    start: datetime.date,
    end: datetime.date,
    district: Any = None,
    task: Any = None,
    metric: Any = None,
) -> list[tuple[datetime.date, int, int]]:
    """``(date, reported, verified)`` for every day from ``start`` to ``end`` (days without
    reports give zeros), optionally for one district, task or metric. One query."""
    rows = (
        _rollups(start=start, end=end, district=district, task=task, metric=metric)
        .values_list("date")
        .annotate(reported=Sum("reported"), verified=Sum("verified"))
    )
    by_day = {day: (reported, verified) for day, reported, verified in rows}
    days = (end - start).days + 1
    return [
        (day, *by_day.get(day, (0, 0)))
        for day in (start + datetime.timedelta(days=n) for n in range(max(days, 0)))
    ]


# --- Achievement against targets --------------------------------------------------------------


def _share_gone(target: Target, at: datetime.date) -> float:
    """The part of the target's period past on ``at`` (the day itself counted), 0..1."""
    days = (target.period_end - target.period_start).days + 1
    gone = (min(at, target.period_end) - target.period_start).days + 1
    return min(max(gone / days, 0.0), 1.0)


def _target_sums(targets: list[Target], end: datetime.date | None = None) -> dict[int, tuple[int, int]]:
    """``{target id: (reported, verified)}`` within each target's period (cut at ``end``).

    One query over the rollups of the targets' metrics and districts, grouped by metric and
    district with one pair of conditional sums per distinct period (targets share a few: the
    fortnights, the campaign), so its rows are metrics × districts whatever the days."""
    if not targets:
        return {}
    windows: dict[tuple[datetime.date, datetime.date], str] = {}
    for target in targets:
        stop = target.period_end if end is None else min(target.period_end, end)
        windows.setdefault((target.period_start, stop), f"w{len(windows)}")
    sums: dict[str, Any] = {}
    for (first, last), name in windows.items():
        within = Q(date__gte=first, date__lte=last)
        sums[f"{name}_r"] = Sum("reported", filter=within, default=0)
        sums[f"{name}_v"] = Sum("verified", filter=within, default=0)
    rows = (
        DistrictRollup.objects.filter(
            metric_id__in={t.metric_id for t in targets},
            district_id__in={t.district_id for t in targets},
            date__gte=min(first for first, _ in windows),
            date__lte=max(last for _, last in windows),
        )
        .order_by()
        .values("metric_id", "district_id")
        .annotate(**sums)
    )
    by_key = {(row["metric_id"], row["district_id"]): row for row in rows}
    result = {}
    for target in targets:
        stop = target.period_end if end is None else min(target.period_end, end)
        name = windows[(target.period_start, stop)]
        row = by_key.get((target.metric_id, target.district_id), {})
        result[target.pk] = (row.get(f"{name}_r", 0) or 0, row.get(f"{name}_v", 0) or 0)
    return result


def attach_achievement(targets: Iterable[Target]) -> list[Target]:
    """Set ``reported``, ``verified`` and their ``percent`` / ``verified_percent`` of each
    target over its whole period, from one grouped query over the rollups.

    Reported counts submitted and verified reports; rejected and withdrawn ones count nowhere.
    """
    targets = list(targets)
    key = "targets:" + ",".join(
        f"{t.pk}:{t.metric_id}:{t.district_id}:{t.period_start}:{t.period_end}" for t in targets
    )
    sums = fresh_cached(hashlib.sha1(key.encode()).hexdigest(), lambda: _target_sums(targets))  # noqa: S324
    for target in targets:
        target.reported, target.verified = sums.get(target.pk, (0, 0))
        target.percent = _percent(target.reported, target.value)
        target.verified_percent = _percent(target.verified, target.value)
    return targets


@dataclass
class Progress:
    """One target's progress on the day the figures are for (see the module's docstring)."""

    target: Target
    task_id: int
    metric_id: int
    district_id: int
    value: int
    reported: int
    verified: int
    achieved: float
    share_gone: float
    behind: bool


def progress(
    *,
    start: datetime.date,
    end: datetime.date,
    district: Any = None,
    today: datetime.date | None = None,
) -> list[Progress]:
    """The progress of every target whose period overlaps ``start``–``end`` (in one district,
    or all): reported and verified within the target's period up to ``end``, ``achieved`` =
    reported / value, ``share_gone`` of its period at ``min(end, today)``, ``behind`` when
    achieved < share_gone − ``SEVA_BEHIND_TOLERANCE``. Two queries. Each line's ``target``
    has its task, metric and district loaded when ``district`` is given, not state-wide."""
    at = min(end, _today(today))
    targets = Target.objects.filter(period_start__lte=end, period_end__gte=start)
    if district is not None:
        # A district's few dozen targets come with their task, metric and district, for a
        # page that names them. State-wide (1,672 at the campaign's size) they come bare:
        # building three related objects each was three quarters of this function's time.
        targets = targets.filter(district_id=_id(district)).select_related("task", "metric", "district")
    else:
        targets = targets.only(
            "pk", "task_id", "metric_id", "district_id", "period_start", "period_end", "value"
        )
    targets = list(targets)
    sums = _target_sums(targets, end)
    tolerance = behind_tolerance()
    result = []
    for target in targets:
        reported, verified = sums.get(target.pk, (0, 0))
        achieved = reported / target.value
        share_gone = _share_gone(target, at)
        result.append(
            Progress(
                target=target,
                task_id=target.task_id,
                metric_id=target.metric_id,
                district_id=target.district_id,
                value=target.value,
                reported=reported,
                verified=verified,
                achieved=achieved,
                share_gone=share_gone,
                behind=achieved < share_gone - tolerance,
            )
        )
    return result


@dataclass
class Cell:
    """A task's achievement in a district: ``None`` where it has no target in the range."""

    achieved: float | None = None
    share_gone: float | None = None
    behind: bool | None = None
    targets: int = 0


def district_task_progress(
    *,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date | None = None,
    lines: Iterable[Progress] | None = None,
) -> dict[tuple[int, int], Cell]:
    """``{(district id, task id): Cell}`` for every district and task with a target in range.

    The rule: a metric's achievement is the sum of what was reported against its targets in
    the range divided by the sum of their values (several periods of one metric weigh by their
    size); a task's achievement in a district is the plain mean of its metrics' achievements,
    so a task counted in households and in masks weighs each metric the same whatever its
    unit. Its share gone is the mean of the metrics' shares gone (each the value-weighted mean
    of its targets'), and it is behind when achieved < share gone − ``SEVA_BEHIND_TOLERANCE``.
    Pairs with no target are absent (read them as ``Cell()``). Two queries, or none when the
    caller hands over ``lines``, the state-wide :func:`progress` of the same range it already
    read (a dashboard needs both)."""
    if lines is None:
        lines = progress(start=start, end=end, today=today)
    per_metric: dict[tuple[int, int, int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for row in lines:
        sums = per_metric[(row.district_id, row.task_id, row.metric_id)]
        sums[0] += row.reported
        sums[1] += row.value
        sums[2] += row.share_gone * row.value
    per_task: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    for (district_id, task_id, _metric_id), (reported, value, gone) in per_metric.items():
        per_task[(district_id, task_id)].append((reported / value, gone / value))
    tolerance = behind_tolerance()
    cells = {}
    for key, metrics in per_task.items():
        achieved = sum(a for a, _ in metrics) / len(metrics)
        share_gone = sum(g for _, g in metrics) / len(metrics)
        cells[key] = Cell(
            achieved=achieved,
            share_gone=share_gone,
            behind=achieved < share_gone - tolerance,
            targets=len(metrics),
        )
    return cells


# --- Who is reporting -------------------------------------------------------------------------


@dataclass
class Rates:
    """How many of a district's seats and booths sent a report in the last 1, 3 and 7 days
    (counts), of how many; ``share(...)`` gives the fraction."""

    seats: int = 0
    booths: int = 0
    seats_reporting: dict[int, int] = field(default_factory=lambda: {1: 0, 3: 0, 7: 0})
    booths_reporting: dict[int, int] = field(default_factory=lambda: {1: 0, 3: 0, 7: 0})

    def seat_share(self, days: int) -> float | None:
        return self.seats_reporting[days] / self.seats if self.seats else None

    def booth_share(self, days: int) -> float | None:
        return self.booths_reporting[days] / self.booths if self.booths else None


REPORTING_WINDOWS = (1, 3, 7)


def _reporting_counts(model: Any, group: str, since: dict[int, datetime.date], today: datetime.date) -> Any:
    """``(group id, total, reporting in each window…)`` rows: how many of ``model``'s places
    have a latest report date within each window. One grouped query."""
    return (
        model.objects.order_by()
        .values_list(group)
        .annotate(
            total=Count("pk"),
            **{
                f"d{days}": Count("pk", filter=Q(last_reported_on__gte=first, last_reported_on__lte=today))
                for days, first in since.items()
            },
        )
    )


def reporting_rates(*, today: datetime.date | None = None) -> dict[int, Rates]:
    """``{district id: Rates}`` for every district: the share of its seats and of its booths
    with a report in the last 1, 3 and 7 days (today counted as the first), read from each
    seat's and booth's latest report date (kept by the rollups). Three queries; the booths are
    counted per seat (no join) and added up per district here."""
    today = _today(today)
    since = {days: today - datetime.timedelta(days=days - 1) for days in REPORTING_WINDOWS}
    rates = {district_id: Rates() for district_id in District.objects.values_list("pk", flat=True)}
    for district_id, total, *reporting in _reporting_counts(AssemblySeat, "district_id", since, today):
        rates[district_id].seats = total
        rates[district_id].seats_reporting = dict(zip(REPORTING_WINDOWS, reporting, strict=True))
    seat_district = dict(AssemblySeat.objects.values_list("pk", "district_id"))
    for seat_id, total, *reporting in _reporting_counts(Booth, "assembly_seat_id", since, today):
        district_rates = rates[seat_district[seat_id]]
        district_rates.booths += total
        for days, count in zip(REPORTING_WINDOWS, reporting, strict=True):
            district_rates.booths_reporting[days] += count
    return rates


def last_report_at(district_id: int) -> datetime.datetime | None:
    """When ``district_id`` last sent a report that counts (not a review), or ``None``."""
    return (
        DistrictReportClock.objects.filter(district_id=district_id)
        .values_list("last_report_at", flat=True)
        .first()
    )


def districts_silent_since(hours: int = 48, *, now: datetime.datetime | None = None) -> list[District]:
    """The districts that sent no report in the last ``hours`` hours (or never), in the
    state's order, with ``last_report_at`` set on each (``None`` for never). One query."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=hours)
    clocks = DistrictReportClock.objects.filter(district=OuterRef("pk")).values("last_report_at")[:1]
    return list(
        District.objects.annotate(last_report_at=Subquery(clocks))
        .filter(Q(last_report_at__isnull=True) | Q(last_report_at__lt=cutoff))
        .order_by("position", "name_en")
    )


def current_progress(*, district: Any, today: datetime.date | None = None) -> list[Progress]:
    """The progress of ``district``'s targets whose period holds ``today`` (its current
    targets: the fortnight's, the campaign's), from :func:`progress` itself, so the landing
    page and the dashboards say the same; in the catalogue's order. Two queries."""
    today = _today(today)
    rows = progress(start=today, end=today, district=district, today=today)
    return sorted(
        rows,
        key=lambda row: (row.target.task.position, row.target.metric.position, row.target.period_start),
    )


def seats_silent(*, district: Any, hours: int = 48, today: datetime.date | None = None) -> list[AssemblySeat]:
    """``district``'s assembly seats with no counted report dated within the last ``hours``
    hours (in whole days, today counted: 48 hours are today and yesterday), each with
    ``last_reported`` (the date of its latest counted report, ``None`` for never). Read from
    the rollups' seat rows (index ``rollup_seat_date``), never from the reports; one query."""
    today = _today(today)
    since = today - datetime.timedelta(days=max(1, -(-hours // 24)) - 1)
    counted = DailyRollup.objects.filter(assembly_seat=OuterRef("pk"), reports__gt=0, date__lte=today)
    latest = counted.order_by("-date").values("date")[:1]
    return list(
        AssemblySeat.objects.filter(district_id=_id(district))
        .annotate(last_reported=Subquery(latest))
        .exclude(Exists(counted.filter(date__gte=since)))
        .order_by("number")
    )


# --- The pages' sums ------------------------------------------------------------------------------
@dataclass
class MetricTotal:
    metric: Metric
    reported: int = 0
    verified: int = 0


@dataclass
class TaskTotals:
    task: Task
    metrics: list[MetricTotal] = field(default_factory=list)


def task_totals(*, user: Any, start: datetime.date, end: datetime.date) -> list[TaskTotals]:
    """Sums per task and metric between ``start`` and ``end``, within ``user``'s scope.

    Active tasks and metrics are always listed; retired ones only while they hold figures
    for the period, so their history stays visible. Rejected reports do not count. Read from
    the rollups: two queries whatever the number of reports.
    """
    scope = user_scope(user)

    def sums() -> dict[int, dict[str, int]]:
        rows = (
            DistrictRollup.objects.visible_to(user)
            .filter(date__gte=start, date__lte=end)
            .order_by()
            .values("metric_id")
            .annotate(reported=Sum("reported"), verified=Sum("verified"))
        )
        # A row brought back to zero (its reports rejected) holds no figures.
        return {row["metric_id"]: row for row in rows if row["reported"] or row["verified"]}

    if scope.nothing:
        by_metric: dict[int, dict[str, int]] = {}
    else:
        by_metric = fresh_cached(f"task-totals:{start}:{end}", sums, district_id=scope.district_id)
    tasks = Task.objects.visible_to(user).prefetch_related(
        Prefetch("metrics", Metric.objects.order_by("position", "code"))
    )
    result = []
    for task in tasks:
        rows = [
            MetricTotal(
                metric=metric,
                reported=by_metric.get(metric.pk, {}).get("reported") or 0,
                verified=by_metric.get(metric.pk, {}).get("verified") or 0,
            )
            for metric in task.metrics.all()
            if (task.is_active and metric.is_active) or metric.pk in by_metric
        ]
        if task.is_active or rows:
            result.append(TaskTotals(task=task, metrics=rows))
    return result


def report_summary(*, user: Any) -> dict[str, int]:
    """What the landing page says about reports in ``user``'s scope: sent for today, awaiting
    review, and the user's own reports sent back (rejected) in the last 30 days.

    Three small counts, each served by an index (date; status and date; reporter), rather
    than one aggregate that would read every report of the state. The first two are kept
    like the figures (:func:`fresh_cached`, per district or for the state): state-wide,
    "awaiting review" counts lakhs of index entries, and every submit and review moves the
    figures' version, so they are never more than a few seconds old.
    """
    today = timezone.localdate()
    visible = Activity.objects.visible_to(user)
    scope = user_scope(user)

    def scope_counts() -> dict[str, int]:
        return {
            "today": visible.filter(date=today).count(),
            "awaiting_review": visible.filter(status=ActivityStatus.SUBMITTED).count(),
        }

    if scope.everything or scope.district_id:
        counts = fresh_cached(f"report-summary:{today}", scope_counts, district_id=scope.district_id)
    else:
        counts = scope_counts()
    return {
        **counts,
        "my_rejected": visible.filter(
            reported_by=user, status=ActivityStatus.REJECTED, date__gte=today - datetime.timedelta(days=30)
        ).count(),
    }
