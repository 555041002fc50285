"""The activity register: every report in a user's scope with its values, place, reporter,
reviewer, status and dates, as rows for a CSV stream or an XLSX file.

One row a report, one column a metric ("wide" form). A spreadsheet user filters by task and
sums a column, or builds a pivot over the rows; one row a report also keeps the row count
equal to the number of reports (the "long" form, a row per value, would repeat the place,
reporter and status of each report once per metric and double the rows of a 20-lakh export).
Without a task filter the columns are the metrics of every task, in the catalogue's order,
each headed "task number · metric"; a report leaves the other tasks' columns empty.

Constant memory at any size: the reports are read as ``values()`` tuples over a server-side
cursor (``.iterator(chunk_size=…)``) and their values are fetched a chunk at a time, one
query per :data:`CHUNK` reports (never one a row).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from helplines.privacy import mask_name, mask_phone
from seva.base.spreadsheets import escape_csv_cell
from tasks17.models import Activity, ActivityValue, Metric

# Reports per server-side fetch and per values query.
CHUNK = 2000

# A phone number inside free text (notes): 8 or more digits, spaces or dashes between them.
PHONE_IN_TEXT = re.compile(r"\+?\d[\d\s-]{6,}\d")

PERSONAL_DATA_PERMISSION = "reports.view_personal_data"


@dataclass
class RegisterQuery:
    """What one register holds: the reports of ``activities`` (already scoped and filtered),
    with the columns of ``metrics``; personal data masked unless ``masked`` is false."""

    activities: QuerySet
    metrics: Sequence[Metric]
    masked: bool = True
    rows: int = field(default=0, init=False)


def register_query(
    *,
    user: Any,
    start: date,
    end: date,
    district: Any = None,
    task: Any = None,
    status: str = "",
    using: str = "default",
) -> RegisterQuery:
    """The register of the reports ``user`` may see from ``start`` to ``end`` (inclusive), of
    one ``district`` / ``task`` / ``status`` when given, read from the database ``using``."""
    activities = Activity.objects.using(using).visible_to(user).filter(date__range=(start, end))
    if district is not None:
        activities = activities.filter(district=district)
    if task is not None:
        activities = activities.filter(task=task)
    if status:
        activities = activities.filter(status=status)
    metrics = (
        Metric.objects.using(using)
        .select_related("task")
        .order_by("task__position", "task__number", "position", "code")
    )
    metrics = list(metrics.filter(task=task) if task is not None else metrics)
    return RegisterQuery(
        activities=activities.order_by("date", "id"),
        metrics=metrics,
        masked=not user.has_perm(PERSONAL_DATA_PERMISSION),
    )


_FIELDS = (
    "id",
    "date",
    "task__code",
    "district__code",
    "assembly_seat__number",
    "mandal__name",
    "booth__number",
    "booth__name",
    "status",
    "reported_by__username",
    "reported_by__first_name",
    "reported_by__last_name",
    "reviewed_by__username",
    "reviewed_at",
    "rejection_reason",
    "notes",
    "origin",
    "created_at",
)


def headers(query: RegisterQuery) -> list[str]:
    """The column headings, in the active language."""
    fixed = [
        _("report id"),
        _("date"),
        _("task"),
        _("district code"),
        _("assembly seat number"),
        _("mandal"),
        _("booth number"),
        _("booth name"),
        _("status"),
        _("reported by"),
        _("reporter's name"),
        _("reviewed by"),
        _("reviewed at"),
        _("reason for rejection"),
        _("notes"),
        _("written by"),
        _("sent at"),
    ]
    return fixed + [f"{metric.task.number or metric.task.code} · {metric.label}" for metric in query.metrics]


def _mask_notes(text: str) -> str:
    return PHONE_IN_TEXT.sub(lambda match: mask_phone(re.sub(r"\D", "", match.group())), text)


def _local(moment: Any) -> Any:
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0) if moment else None


def rows(query: RegisterQuery) -> Iterator[list[Any]]:
    """The register's rows, as Python values (dates as dates, numbers as numbers, empty cells
    as ``None``); ``query.rows`` counts them as they go."""
    column = {metric.pk: index for index, metric in enumerate(query.metrics)}
    width = len(query.metrics)
    database = query.activities.db
    chunk: list[tuple] = []
    reports = query.activities.values_list(*_FIELDS).iterator(chunk_size=CHUNK)
    for report in reports:
        chunk.append(report)
        if len(chunk) >= CHUNK:
            yield from _chunk_rows(query, chunk, column, width, database)
            chunk = []
    if chunk:
        yield from _chunk_rows(query, chunk, column, width, database)


def _chunk_rows(
    query: RegisterQuery, chunk: list[tuple], column: dict[int, int], width: int, database: str
) -> Iterator[list[Any]]:
    values: dict[int, list[Any]] = {}
    found = (
        ActivityValue.objects.using(database)
        .filter(activity_id__in=[report[0] for report in chunk])
        .order_by()
        .values_list("activity_id", "metric_id", "value")
    )
    for activity_id, metric_id, value in found:
        index = column.get(metric_id)
        if index is not None:
            values.setdefault(activity_id, [None] * width)[index] = value
    masked = query.masked
    for (
        pk,
        day,
        task,
        district,
        seat,
        mandal,
        booth,
        booth_name,
        status,
        reporter,
        first_name,
        last_name,
        reviewer,
        reviewed_at,
        reason,
        notes,
        origin,
        created_at,
    ) in chunk:
        name = f"{first_name} {last_name}".strip()
        query.rows += 1
        yield [
            pk,
            day,
            task,
            district,
            seat,
            mandal,
            booth,
            booth_name,
            status,
            reporter,
            mask_name(name) if masked else name,
            reviewer,
            _local(reviewed_at),
            reason,
            _mask_notes(notes) if masked and notes else notes,
            origin,
            _local(created_at),
            *values.get(pk, [None] * width),
        ]


# Rows written to the socket at a time: big enough that writing is cheap, small enough that
# the first bytes leave at once and the buffer stays small.
ROWS_PER_WRITE = 500


class _Line:
    """What csv.writer writes to: it hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(query: RegisterQuery, *, on_finish: Any = None) -> Iterator[str]:
    """The register as CSV text, a few hundred rows at a time, each formula-like cell
    escaped (seva.base.spreadsheets); ``on_finish(rows)`` runs when the last row is out."""
    writer = csv.writer(_Line())
    # A byte-order mark, so Excel reads the Hindi as UTF-8 rather than as Latin-1.
    yield "\ufeff" + writer.writerow(headers(query))
    # Inside a transaction PostgreSQL's server-side cursor is declared WITHOUT HOLD and hands
    # out rows as it finds them. Outside one (autocommit) Django declares it WITH HOLD, and the
    # whole result is computed at the first commit: the first byte would wait for the last row,
    # and the statement timeout of the web processes would cut a big export.
    with transaction.atomic(using=query.activities.db):
        lines: list[str] = []
        for row in rows(query):
            lines.append(writer.writerow([escape_csv_cell(cell) for cell in row]))
            if len(lines) >= ROWS_PER_WRITE:
                yield "".join(lines)
                lines = []
        if lines:
            yield "".join(lines)
    if on_finish is not None:
        on_finish(query.rows)
