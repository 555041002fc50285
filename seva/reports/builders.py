"""What the report centre builds: the state daily review pack, the district report and the
activity register, as XLSX (openpyxl, write-only), and the figures behind the printable pages.

Every figure comes from the selectors the dashboards read (``tasks17.selectors``: progress
against targets, the "behind" rule, the sums over the rollups; ``helplines.selectors``: the
helpline figures), never from a calculation of its own, so the pack and the dashboard agree.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyCell

from helplines.selectors import helpline_figures, state_helpline_figures
from seva.base.spreadsheets import xlsx_cell_value
from seva.geo.models import AssemblySeat, District
from tasks17.choices import CampStatus
from tasks17.models import DonationCamp, Metric, Task
from tasks17.selectors import Period, district_task_progress, figures, progress

from . import register

# Rows of one register sheet: below XLSX's 10,48,576, with room for the heading row.
SHEET_ROWS = 1_000_000
# Past this many rows the register is built as CSV only (a workbook of many million-row
# sheets opens in no spreadsheet program anyone uses).
XLSX_MAX_ROWS = 3 * SHEET_ROWS

Progress = Callable[[int], None]

# Characters a sheet title may not hold.
INVALID_TITLE = re.compile(r"[\\/*?:\[\]]")


def _no_progress(percent: int) -> None:
    return None


# --- Figures ----------------------------------------------------------------------------------


def active_tasks() -> list[Task]:
    """The active tasks with their active metrics, in the dashboard's order."""
    return list(
        Task.objects.active().prefetch_related(
            Prefetch("metrics", Metric.objects.filter(is_active=True).order_by("position", "code"))
        )
    )


@dataclass
class MetricFigures:
    metric: Metric
    reported: int = 0
    verified: int = 0
    target: int | None = None
    achieved: float | None = None
    behind: bool = False


@dataclass
class Laggard:
    district: District
    task: Task
    achieved: float
    share_gone: float


@dataclass
class StatePack:
    """The figures of the state daily review pack for ``period``."""

    period: Period
    today: datetime.date
    tasks: list[Task]
    districts: list[District]
    # (district id, task id) -> achievement (0..1) or None where no target
    achieved: dict[tuple[int, int], float | None]
    behind: dict[tuple[int, int], bool]
    laggards: list[Laggard]
    helplines: dict[str, Any]
    helplines_by_district: list[dict[str, Any]]
    # task id -> district id -> metric id -> MetricFigures
    task_sheets: dict[int, dict[int, dict[int, MetricFigures]]] = field(default_factory=dict)
    # metric id -> MetricFigures (the state's totals, as the dashboard's task blocks)
    state_metrics: dict[int, MetricFigures] = field(default_factory=dict)


def _metric_figures(
    metrics: Iterable[Metric], sums: dict[Any, tuple[int, int]], lines: Iterable[Any]
) -> dict[int, MetricFigures]:
    """Reported and verified (``sums`` by metric) against the sum of the targets (``lines``),
    achievement = what was reported against those targets / their sum: the dashboard's rule
    (seva.monitoring.selectors._task_blocks)."""
    goals: dict[int, list[Any]] = defaultdict(list)
    for line in lines:
        goals[line.metric_id].append(line)
    result = {}
    for metric in metrics:
        reported, verified = sums.get(metric.pk, (0, 0))
        one = MetricFigures(metric=metric, reported=reported, verified=verified)
        if goals.get(metric.pk):
            one.target = sum(goal.value for goal in goals[metric.pk])
            one.achieved = (
                sum(goal.reported for goal in goals[metric.pk]) / one.target if one.target else None
            )
            one.behind = any(goal.behind for goal in goals[metric.pk])
        result[metric.pk] = one
    return result


def state_pack_figures(*, period: Period, today: datetime.date | None = None) -> StatePack:
    """Every figure of the state pack, from the dashboard's selectors."""
    today = today or timezone.localdate()
    tasks = active_tasks()
    districts = list(District.objects.order_by("position", "name_en"))
    lines = progress(start=period.start, end=period.end, today=today)
    cells = district_task_progress(start=period.start, end=period.end, today=today, lines=lines)
    helplines, by_district = state_helpline_figures(start=period.start, end=period.end)
    by_id = {district.pk: district for district in districts}
    tasks_by_id = {task.pk: task for task in tasks}
    laggards = [
        Laggard(by_id[d], tasks_by_id[t], cell.achieved, cell.share_gone)
        for (d, t), cell in cells.items()
        if cell.behind and d in by_id and t in tasks_by_id
    ]
    laggards.sort(key=lambda row: (row.achieved - row.share_gone, row.district.position))
    pack = StatePack(
        period=period,
        today=today,
        tasks=tasks,
        districts=districts,
        achieved={key: cell.achieved for key, cell in cells.items()},
        behind={key: bool(cell.behind) for key, cell in cells.items()},
        laggards=laggards,
        helplines=helplines,
        helplines_by_district=by_district,
    )
    sums: dict[tuple[int, int], tuple[int, int]] = {}
    state_sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in figures(start=period.start, end=period.end, by=("district", "metric")):
        district_id, metric_id = row["district_id"], row["metric_id"]
        reported, verified = row.get("reported") or 0, row.get("verified") or 0
        sums[(district_id, metric_id)] = (reported, verified)
        state_sums[metric_id][0] += reported
        state_sums[metric_id][1] += verified
    lines_by_district: dict[int, list[Any]] = defaultdict(list)
    for line in lines:
        lines_by_district[line.district_id].append(line)
    all_metrics = [metric for task in tasks for metric in task.metrics.all()]
    pack.state_metrics = _metric_figures(all_metrics, {k: tuple(v) for k, v in state_sums.items()}, lines)
    for task in tasks:
        metrics = list(task.metrics.all())
        pack.task_sheets[task.pk] = {
            district.pk: _metric_figures(
                metrics,
                {metric.pk: sums.get((district.pk, metric.pk), (0, 0)) for metric in metrics},
                lines_by_district.get(district.pk, ()),
            )
            for district in districts
        }
    return pack


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


@dataclass
class DistrictReport:
    period: Period
    district: District
    tasks: list[Task]
    seats: list[AssemblySeat]
    # (seat id, metric id) -> reported
    seat_sums: dict[tuple[int, int], int]
    metrics: dict[int, MetricFigures]
    camps: dict[str, int]
    helplines: dict[str, Any]


def district_report_figures(
    *, district: District, period: Period, today: datetime.date | None = None
) -> DistrictReport:
    """The district report: seats × tasks, camps by status, help requests, from the selectors
    the district dashboard reads."""
    today = today or timezone.localdate()
    tasks = active_tasks()
    seat_sums = {
        (row["assembly_seat_id"], row["metric_id"]): row.get("reported") or 0
        for row in figures(
            start=period.start, end=period.end, district=district, by=("assembly_seat", "metric")
        )
    }
    sums = {
        row["metric_id"]: (row.get("reported") or 0, row.get("verified") or 0)
        for row in figures(start=period.start, end=period.end, district=district, by=("metric",))
    }
    lines = progress(start=period.start, end=period.end, district=district, today=today)
    camps = dict(
        DonationCamp.objects.filter(district=district, date__gte=period.start, date__lte=period.end)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return DistrictReport(
        period=period,
        district=district,
        tasks=tasks,
        seats=list(AssemblySeat.objects.filter(district=district).order_by("number")),
        seat_sums=seat_sums,
        metrics=_metric_figures([m for task in tasks for m in task.metrics.all()], sums, lines),
        camps={status.label: camps.get(status.value, 0) for status in CampStatus},
        helplines=helpline_figures(district=district, start=period.start, end=period.end),
    )


# --- XLSX -------------------------------------------------------------------------------------


def _both(text: Any) -> str:
    """A heading in Hindi and English, whatever the asker's language: "जिला / District"
    (``text`` is a lazy translation)."""
    with override("hi"):
        hindi = str(text)
    with override("en"):
        english = str(text)
    return english if hindi == english else f"{hindi} / {english}"


class _Sheet:
    """A write-only sheet with a bold, frozen heading row and set column widths."""

    def __init__(
        self, book: Workbook, title: str, headings: Sequence[str], widths: Sequence[int] = ()
    ) -> None:
        self.sheet = book.create_sheet(title=INVALID_TITLE.sub("·", title)[:31].strip())
        self.sheet.freeze_panes = "A2"
        for index, heading in enumerate(headings, start=1):
            width = widths[index - 1] if index - 1 < len(widths) else max(12, min(40, len(heading) + 2))
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.bold = Font(bold=True)
        self.append([self._bold(heading) for heading in headings])

    def _bold(self, value: Any) -> Cell:
        cell = WriteOnlyCell(self.sheet, value=xlsx_cell_value(value))
        cell.font = self.bold
        return cell

    def append(self, row: Iterable[Any]) -> None:
        cells = []
        for value in row:
            if isinstance(value, str):
                cell = WriteOnlyCell(self.sheet, value=xlsx_cell_value(value))
                cell.data_type = "s"  # text is text, never a formula
            elif isinstance(value, float):
                cell = WriteOnlyCell(self.sheet, value=value)
                cell.number_format = "0.0%"
            else:  # numbers, dates, empty cells and ready cells go in as they are (fast)
                cell = value
            cells.append(cell)
        self.sheet.append(cells)

    def section(self, title: str) -> None:
        self.append([])
        self.append([self._bold(title)])


def state_pack_xlsx(pack: StatePack, out: Any, on_progress: Progress = _no_progress) -> None:
    """Write the state pack to ``out`` (a path or a binary file)."""
    book = Workbook(write_only=True)
    tasks = pack.tasks
    summary = _Sheet(
        book,
        _both(gettext_lazy("Summary")),
        [
            _both(gettext_lazy("District")),
            *[f"{task.number or ''} {task.title_hi or task.title_en}".strip() for task in tasks],
        ],
        widths=[24],
    )
    summary.append([_both(gettext_lazy("Task")), *[task.title_en for task in tasks]])
    for district in pack.districts:
        summary.append(
            [f"{district.name_hi or district.name_en} / {district.name_en}"]
            + [pack.achieved.get((district.pk, task.pk)) for task in tasks]
        )
    summary.section(_both(gettext_lazy("Behind the share of the period gone")))
    summary.append(
        [
            _both(gettext_lazy("District")),
            _both(gettext_lazy("Task")),
            _both(gettext_lazy("Achieved")),
            _both(gettext_lazy("Share of period gone")),
        ]
    )
    for row in pack.laggards:
        summary.append([row.district.name_en, row.task.title_en, row.achieved, row.share_gone])
    summary.section(_both(gettext_lazy("Help requests")))
    for key, label in HELPLINE_FIGURES:
        summary.append([_both(label), pack.helplines.get(key)])
    summary.section(_both(gettext_lazy("Period")))
    summary.append([_both(gettext_lazy("From")), pack.period.start])
    summary.append([_both(gettext_lazy("To")), pack.period.end])
    on_progress(20)
    for number, task in enumerate(tasks, start=1):
        metrics = list(task.metrics.all())
        headings = [_both(gettext_lazy("District"))]
        for metric in metrics:
            label = metric.label_en
            headings += [
                f"{label}: " + _both(gettext_lazy("Reported")),
                f"{label}: " + _both(gettext_lazy("Verified")),
                f"{label}: " + _both(gettext_lazy("Target")),
                f"{label}: " + _both(gettext_lazy("Achieved")),
            ]
        sheet = _Sheet(book, f"{task.number or number} {task.title_en}", headings, widths=[24])
        per_district = pack.task_sheets.get(task.pk, {})
        for district in pack.districts:
            row: list[Any] = [district.name_en]
            for metric in metrics:
                one = per_district.get(district.pk, {}).get(metric.pk) or MetricFigures(metric)
                row += [one.reported, one.verified, one.target, one.achieved]
            sheet.append(row)
        total: list[Any] = [_both(gettext_lazy("State"))]
        for metric in metrics:
            one = pack.state_metrics.get(metric.pk) or MetricFigures(metric)
            total += [one.reported, one.verified, one.target, one.achieved]
        sheet.append(total)
        on_progress(20 + 75 * number // max(1, len(tasks)))
    book.save(out)


HELPLINE_FIGURES = (
    ("open", gettext_lazy("Open")),
    ("resolved", gettext_lazy("Resolved")),
    ("closed", gettext_lazy("Closed")),
    ("median_minutes_to_first_action", gettext_lazy("Median minutes to first action")),
    ("median_minutes_to_resolution", gettext_lazy("Median minutes to resolution")),
    ("past_sla", gettext_lazy("Past the time allowed")),
    ("open_past_sla", gettext_lazy("Open past the time allowed")),
)


def district_report_xlsx(report: DistrictReport, out: Any, on_progress: Progress = _no_progress) -> None:
    """Write the district report to ``out``."""
    book = Workbook(write_only=True)
    primary = [(task, metric) for task in report.tasks for metric in task.metrics.all()]
    seats = _Sheet(
        book,
        _both(gettext_lazy("Assembly seats")),
        [
            _both(gettext_lazy("Assembly seat")),
            *[f"{task.number or ''} {metric.label_en}".strip() for task, metric in primary],
        ],
        widths=[28],
    )
    for seat in report.seats:
        seats.append(
            [f"{seat.number} {seat.name_en}"]
            + [report.seat_sums.get((seat.pk, metric.pk), 0) for _t, metric in primary]
        )
    on_progress(40)
    tasks = _Sheet(
        book,
        _both(gettext_lazy("Tasks")),
        [
            _both(gettext_lazy("Task")),
            _both(gettext_lazy("Metric")),
            _both(gettext_lazy("Reported")),
            _both(gettext_lazy("Verified")),
            _both(gettext_lazy("Target")),
            _both(gettext_lazy("Achieved")),
        ],
        widths=[40, 28],
    )
    for task, metric in primary:
        one = report.metrics.get(metric.pk) or MetricFigures(metric)
        tasks.append([task.title_en, metric.label_en, one.reported, one.verified, one.target, one.achieved])
    other = _Sheet(
        book,
        _both(gettext_lazy("Camps and help requests")),
        [_both(gettext_lazy("What")), _both(gettext_lazy("Number"))],
        widths=[40, 14],
    )
    for label, count in report.camps.items():
        other.append([_both(gettext_lazy("Camps")) + f": {label}", count])
    for key, label in HELPLINE_FIGURES:
        other.append([_both(label), report.helplines.get(key)])
    on_progress(90)
    book.save(out)


def register_xlsx(
    query: register.RegisterQuery, out: Any, total: int, on_progress: Progress = _no_progress
) -> None:
    """Write the activity register to ``out``, a new sheet every :data:`SHEET_ROWS` rows."""
    book = Workbook(write_only=True)
    headings = register.headers(query)
    sheet = None
    for written, row in enumerate(register.rows(query)):
        if written % SHEET_ROWS == 0:
            sheet = _Sheet(book, f"{_('Reports')} {written // SHEET_ROWS + 1}", headings)
        sheet.append(row)
        if total and (written + 1) % 20_000 == 0:
            on_progress(min(95, 100 * (written + 1) // total))
    if sheet is None:
        _Sheet(book, _("Reports"), headings)
    book.save(out)
