"""What the dashboards show, assembled from the rollups' selectors in ``tasks17``.

Every figure of a state or district comes from ``tasks17.selectors`` (``figures``,
``progress``, ``district_task_progress``, ``reporting_rates``, ``districts_silent_since``),
which read ``DailyRollup``; only a seat's booths and a booth's reports read the reports
themselves, through the seat's and the booth's index. "Achieved" and "behind" are theirs:
this module only arranges them for a page or the API.

A dashboard is built once and cached (Redis in production, local memory without it) with
the ``figures_version(...)`` it was built at, which every write to the rollups moves on. A
request whose version matches costs one cache read. When the version has moved the board is
built again, unless the cached one is younger than ``FRESH_SECONDS``: at 50 reports a second
the state's version moves 50 times a second, and rebuilding for each would make every request
cold. So a new report shows within ``FRESH_SECONDS`` (the issue asks for 5), never later.
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.utils import timezone

from seva.geo.models import AssemblySeat, Booth, District, Mandal
from seva.people.choices import WorkerRole
from seva.people.models import Worker
from tasks17.choices import COUNTED_STATUSES, CampStatus
from tasks17.models import Activity, ActivityValue, DonationCamp, Metric, Task
from tasks17.rollups import figures_version
from tasks17.selectors import (
    Progress,
    district_task_progress,
    districts_silent_since,
    figures,
    progress,
    reporting_rates,
)

from .periods import Period

# Long enough to spare the database, short enough that "no report in 48 hours" and the
# reporting rates (which move with the clock, not only with reports) stay current.
CACHE_SECONDS = 300
FRESH_SECONDS = 5
SILENT_HOURS = 48
LOWEST_SHOWN = 5


def _pk(value: Any) -> Any:
    """An id, whether a selector hands over a model instance or its id."""
    return getattr(value, "pk", value)


def _row_id(row: dict, name: str) -> Any:
    """The id of ``name`` in a row of ``figures()``, keyed ``name`` or ``name_id``."""
    return _pk(row[name] if name in row else row.get(f"{name}_id"))


def percent(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


def band(share: float | None) -> str:
    """The colour band of an achievement (a share of the target): a CSS class. The page
    always prints the figure as well, so colour never carries the meaning alone."""
    if share is None:
        return "band-none"
    if share >= 1:
        return "band-4"
    return f"band-{min(3, int(share * 4))}"


class _ShowsAchievement:
    """How an ``achieved`` share is shown: a whole percentage and its colour band."""

    achieved: float | None

    @property
    def percent(self) -> int | None:
        return percent(self.achieved)

    @property
    def band(self) -> str:
        return band(self.achieved)


@dataclass
class MetricLine(_ShowsAchievement):
    """One metric's figures: reported and verified, against the sum of its targets."""

    metric: Metric
    reported: int = 0
    verified: int = 0
    target: int | None = None
    achieved: float | None = None
    behind: bool = False


@dataclass
class TaskBlock:
    task: Task
    metrics: list[MetricLine] = field(default_factory=list)


@dataclass
class Cell(_ShowsAchievement):
    """A district's achievement of one task (``None``: no target for the period)."""

    achieved: float | None = None
    behind: bool = False


@dataclass
class Rates:
    """Shares (0..1) of a district's seats and booths with a report in the last 1, 3, 7 days
    (``None`` for a district with no seats or no booths on record)."""

    seats_1: float | None = None
    seats_3: float | None = None
    seats_7: float | None = None
    booths_1: float | None = None
    booths_3: float | None = None
    booths_7: float | None = None


@dataclass
class DistrictRow:
    district: District
    cells: list[Cell]
    rates: Rates
    coordinator: Worker | None = None
    silent: bool = False

    @property
    def mean_achieved(self) -> float | None:
        shares = [cell.achieved for cell in self.cells if cell.achieved is not None]
        return sum(shares) / len(shares) if shares else None

    @property
    def mean_percent(self) -> int | None:
        return percent(self.mean_achieved)

    @property
    def mean_band(self) -> str:
        return band(self.mean_achieved)


@dataclass
class StateDashboard:
    version: int
    period: Period
    today: datetime.date
    tasks: list[TaskBlock]
    districts: list[DistrictRow]
    silent: list[DistrictRow]
    lowest: list[DistrictRow]
    trend: dict
    rates_chart: dict


@dataclass
class SeatRow:
    seat: AssemblySeat
    values: list[int]


@dataclass
class DistrictDashboard:
    period: Period
    today: datetime.date
    district: District
    tasks: list[TaskBlock]
    primary: list[tuple[Task, Metric | None]]
    seats: list[SeatRow]
    rates: Rates
    booths: int
    mandals: int
    mandals_reporting: int
    active_workers: int
    camps: dict[str, int]
    corona_free_booths: int
    coordinator: Worker | None
    trend: dict


@dataclass
class BoothRow:
    booth: Booth
    values: list[int]
    reports: int


@dataclass
class SeatDashboard:
    period: Period
    seat: AssemblySeat
    primary: list[tuple[Task, Metric | None]]
    booths: list[BoothRow]


def _cached(key: str, version: int, build: Callable[[], Any]) -> Any:
    """The value cached under ``key`` if it was built at ``version`` or less than
    ``FRESH_SECONDS`` ago; else ``build()``, cached with its version and time."""
    entry = cache.get(key)
    now = time.time()
    if entry is not None:
        built_version, built_at, value = entry
        if built_version == version or now - built_at < FRESH_SECONDS:
            return value
    value = build()
    cache.set(key, (version, now, value), CACHE_SECONDS)
    return value


def active_tasks() -> list[Task]:
    """The active tasks with their active metrics (two queries)."""
    return list(
        Task.objects.active().prefetch_related(
            Prefetch("metrics", Metric.objects.filter(is_active=True).order_by("position", "code"))
        )
    )


def _primary(tasks: Iterable[Task]) -> list[tuple[Task, Metric | None]]:
    """Each task's first metric: the one a narrow table shows in a task's column."""
    return [(task, next(iter(task.metrics.all()), None)) for task in tasks]


def _task_blocks(tasks: list[Task], daily: list[dict], lines: Iterable[Progress]) -> list[TaskBlock]:
    """Each task's metrics: reported and verified over the period (from ``daily``, the
    period's sums by date and metric) against the sum of their targets (``lines``, the
    period's :func:`progress`)."""
    sums: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    for row in daily:
        pair = sums[_row_id(row, "metric")]
        pair[0] += row.get("reported") or 0
        pair[1] += row.get("verified") or 0
    targets: dict[Any, list[Any]] = defaultdict(list)
    for line in lines:
        targets[line.metric_id].append(line)
    blocks = []
    for task in tasks:
        block = TaskBlock(task=task)
        for metric in task.metrics.all():
            reported, verified = sums.get(metric.pk, (0, 0))
            line = MetricLine(metric=metric, reported=reported, verified=verified)
            goals = targets.get(metric.pk)
            if goals:
                line.target = sum(goal.value for goal in goals)
                reported = sum(goal.reported for goal in goals)
                line.achieved = reported / line.target if line.target else None
                line.behind = any(goal.behind for goal in goals)
            block.metrics.append(line)
        blocks.append(block)
    return blocks


def _daily(period: Period, district: Any = None) -> list[dict]:
    """The period's sums by date and metric: one read of the rollups serves the headline
    figures (summed by metric) and the trend chart (by day)."""
    return figures(start=period.start, end=period.end, district=district, by=("date", "metric"))


def _rates(value: Any) -> Rates:
    """``tasks17``'s counts of reporting seats and booths, as shares per window."""
    if value is None:
        return Rates()
    return Rates(
        **{f"seats_{days}": value.seat_share(days) for days in (1, 3, 7)},
        **{f"booths_{days}": value.booth_share(days) for days in (1, 3, 7)},
    )


def coordinators() -> dict[int, Worker]:
    """Each district's coordinator: its active worker with the coordinator role (the first by
    name when there are several). Workers, not portal users, because a worker has the phone
    number the state office calls. One query: the first coordinator of each district is found
    through the (district, role) index, rather than loading every coordinator of the state."""
    first = (
        Worker.objects.filter(district=OuterRef("pk"), role=WorkerRole.DISTRICT_COORDINATOR, is_active=True)
        .order_by("name", "pk")
        .values("pk")[:1]
    )
    chosen = District.objects.annotate(coordinator=Subquery(first)).values("coordinator")
    return {
        worker.district_id: worker
        for worker in Worker.objects.filter(pk__in=chosen).only("pk", "name", "phone", "district_id")
    }


def _trend(tasks: list[Task], period: Period, daily: list[dict]) -> dict:
    """Per task, the daily reported and verified sums of each metric over ``period``."""
    days = [period.start + datetime.timedelta(days=n) for n in range(period.days)]
    index = {day: n for n, day in enumerate(days)}
    series: dict[Any, list[list[int]]] = {}
    for row in daily:
        metric_id = _row_id(row, "metric")
        day = row.get("date")
        if day not in index:
            continue
        reported, verified = series.setdefault(metric_id, [[0] * len(days), [0] * len(days)])
        reported[index[day]] += row.get("reported") or 0
        verified[index[day]] += row.get("verified") or 0
    return {
        "days": [day.isoformat() for day in days],
        "tasks": [
            {
                "code": task.code,
                "metrics": [
                    {
                        "code": metric.code,
                        "metric_id": metric.pk,
                        "reported": series.get(metric.pk, [[0] * len(days)] * 2)[0],
                        "verified": series.get(metric.pk, [[0] * len(days)] * 2)[1],
                    }
                    for metric in task.metrics.all()
                ],
            }
            for task in tasks
        ],
    }


def state_dashboard(*, period: Period, today: datetime.date | None = None) -> StateDashboard:
    """The state dashboard for ``period``, cached with the state's figures version."""
    today = today or timezone.localdate()
    version = figures_version()
    return _cached(
        f"dashboard:state:{period.start}:{period.end}:{today}",
        version,
        lambda: _build_state(period, today, version),
    )


def _build_state(period: Period, today: datetime.date, version: int) -> StateDashboard:
    tasks = active_tasks()
    lines = progress(start=period.start, end=period.end, today=today)
    daily = _daily(period)
    cells = district_task_progress(start=period.start, end=period.end, today=today, lines=lines)
    rates = reporting_rates(today=today)
    silent = {_pk(d) for d in districts_silent_since(hours=SILENT_HOURS)}
    people = coordinators()
    rows = []
    for district in District.objects.order_by("position", "name_en"):
        row_cells = []
        for task in tasks:
            cell = cells.get((district.pk, task.pk))
            row_cells.append(
                Cell(achieved=getattr(cell, "achieved", None), behind=bool(getattr(cell, "behind", False)))
            )
        rows.append(
            DistrictRow(
                district=district,
                cells=row_cells,
                rates=_rates(rates.get(district.pk)),
                coordinator=people.get(district.pk),
                silent=district.pk in silent,
            )
        )
    measured = sorted(
        (row for row in rows if row.mean_achieved is not None), key=lambda row: row.mean_achieved
    )
    return StateDashboard(
        version=version,
        period=period,
        today=today,
        tasks=_task_blocks(tasks, daily, lines),
        districts=rows,
        silent=[row for row in rows if row.silent],
        lowest=measured[:LOWEST_SHOWN],
        trend=_trend(tasks, period, daily),
        rates_chart={
            "districts": [row.district.code for row in rows],
            "seats": [
                [row.rates.seats_1 or 0, row.rates.seats_3 or 0, row.rates.seats_7 or 0] for row in rows
            ],
            "booths": [
                [row.rates.booths_1 or 0, row.rates.booths_3 or 0, row.rates.booths_7 or 0] for row in rows
            ],
        },
    )


def district_dashboard(
    *, district: District, period: Period, today: datetime.date | None = None
) -> DistrictDashboard:
    """One district's dashboard for ``period``, cached with the district's figures version."""
    today = today or timezone.localdate()
    key = f"dashboard:district:{district.pk}:{period.start}:{period.end}:{today}"
    return _cached(key, figures_version(district.pk), lambda: _build_district(district, period, today))


def _build_district(district: District, period: Period, today: datetime.date) -> DistrictDashboard:
    tasks = active_tasks()
    daily = _daily(period, district)
    primary = _primary(tasks)
    sums: dict[tuple[Any, Any], int] = {}
    for row in figures(start=period.start, end=period.end, district=district, by=("assembly_seat", "metric")):
        sums[(_row_id(row, "assembly_seat"), _row_id(row, "metric"))] = row.get("reported") or 0
    seats = [
        SeatRow(
            seat=seat, values=[sums.get((seat.pk, metric.pk), 0) if metric else 0 for _, metric in primary]
        )
        for seat in AssemblySeat.objects.filter(district=district).order_by("number")
    ]
    camps = dict(
        DonationCamp.objects.filter(district=district, date__gte=period.start, date__lte=period.end)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    booths = Booth.objects.in_district(district.pk)
    # Mandals with a report in the last 7 days, from each mandal's latest report date (kept
    # by the rollups like a booth's), as the booths' reporting rate reads them.
    since = today - datetime.timedelta(days=6)
    mandals = (
        Mandal.objects.in_district(district.pk)
        .order_by()
        .aggregate(
            total=Count("pk"),
            reporting=Count("pk", filter=Q(last_reported_on__gte=since, last_reported_on__lte=today)),
        )
    )
    return DistrictDashboard(
        period=period,
        today=today,
        district=district,
        tasks=_task_blocks(
            tasks, daily, progress(start=period.start, end=period.end, district=district, today=today)
        ),
        primary=primary,
        seats=seats,
        rates=_rates(reporting_rates(today=today).get(district.pk)),
        booths=booths.count(),
        mandals=mandals["total"],
        mandals_reporting=mandals["reporting"],
        active_workers=Worker.objects.in_district(district.pk).filter(is_active=True).count(),
        camps={status: camps.get(status, 0) for status in CampStatus.values},
        corona_free_booths=booths.filter(corona_free_since__isnull=False).count(),
        coordinator=coordinators().get(district.pk),
        trend=_trend(tasks, period, daily),
    )


def seat_dashboard(*, seat: AssemblySeat, period: Period) -> SeatDashboard:
    """A seat's booths x tasks (each task's first metric, reported) for ``period``.

    Read from the seat's reports through the index on ``Activity.assembly_seat``: the
    rollups stop at seats. Cached under the district's figures version.
    """
    key = f"dashboard:seat:{seat.pk}:{period.start}:{period.end}"
    return _cached(key, figures_version(seat.district_id), lambda: _build_seat(seat, period))


def _build_seat(seat: AssemblySeat, period: Period) -> SeatDashboard:
    primary = _primary(active_tasks())
    reports = dict(
        Activity.objects.filter(
            assembly_seat=seat, date__gte=period.start, date__lte=period.end, status__in=COUNTED_STATUSES
        )
        .values_list("booth")
        .annotate(n=Count("pk"))
        .order_by()
    )
    sums = {
        (booth_id, metric_id): total
        for booth_id, metric_id, total in ActivityValue.objects.filter(
            activity__assembly_seat=seat,
            activity__date__gte=period.start,
            activity__date__lte=period.end,
            activity__status__in=COUNTED_STATUSES,
        )
        .values_list("activity__booth", "metric")
        .annotate(total=Sum("value"))
        .order_by()
    }
    booths = [
        BoothRow(
            booth=booth,
            values=[sums.get((booth.pk, metric.pk), 0) if metric else 0 for _, metric in primary],
            reports=reports.get(booth.pk, 0),
        )
        for booth in Booth.objects.filter(assembly_seat=seat).order_by("number")
    ]
    return SeatDashboard(period=period, seat=seat, primary=primary, booths=booths)


def booth_reports(*, booth: Booth, period: Period) -> list[Activity]:
    """A booth's reports in ``period``, newest first, through the index on ``booth``; each
    with ``lines``: (metric label, number) in the task's order. Rejected and withdrawn
    reports are listed too (their status says they do not count); at most the latest 500."""
    reports = list(
        Activity.objects.filter(booth=booth, date__gte=period.start, date__lte=period.end)
        .select_related("task", "reported_by", "reporter_worker")
        .prefetch_related(Prefetch("task__metrics", Metric.objects.order_by("position", "code")))
        .order_by("-date", "-pk")[:500]
    )
    for report in reports:
        numbers = report.numbers or {}
        report.lines = [
            (metric.label, numbers[metric.code])
            for metric in report.task.metrics.all()
            if metric.code in numbers
        ]
    return reports
