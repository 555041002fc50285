"""Synthetic reports and targets at a campaign's full size, for benchmarks (``manage.py seed_scale``).

``size`` is the number of booths ``seed_scale`` made (1,06,515 at Bihar's size). Every booth
works on a few of the active tasks and reports on them over the last 60 days: 20 reports a
booth, so ~21,30,000 activities with one to three values each (~40,00,000 activity values),
about 60 % reviewed (verified, a few rejected); the last three districts (by code) have sent
nothing for three days, so the laggards show. One scale coordinator per district reports;
state staff (``state_staff`` of ``seed_demo``, when present) review. Targets: every district ×
active metric, for the current fortnight and for the whole (scale) campaign, which becomes the
active campaign: its 60 days end 30 days from today.

This writes the fact rows directly — PostgreSQL ``COPY`` (``copy_expert``) on PostgreSQL,
``bulk_create`` in batches elsewhere — **bypassing** ``services.activity_submit``: the rows
are built valid here (active tasks and metrics, places inside their district, numbers within
each metric's limit) and no history is written. The rollups, the booths' latest report dates
and the districts' report clocks are then built from these facts by ``rollups.rebuild``. It
is for synthetic benchmark data only; every real report goes through the service.
"""

from __future__ import annotations

import datetime
import io
import json
import random
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from seva.geo.models import Booth, District
from seva.people.choices import PortalRole
from seva.people.services import user_create

from .choices import ActivityOrigin, ActivityStatus
from .demo import current_fortnight
from .models import Activity, ActivityValue, Campaign, DistrictReportClock, Metric, Target, Task
from .rollups import rebuild
from .services import campaign_save

REPORTS_PER_BOOTH = 20
TASKS_PER_BOOTH = 4
DAYS = 60
SILENT_DISTRICTS = 3
BATCH = 5_000
COPY_CHUNK = 1_00_000
NOTE = "Scale report"
CAMPAIGN = "Scale campaign"


def _coordinators() -> dict[int, int]:
    """A user id per district id: one synthetic coordinator each (no usable password)."""
    users = get_user_model().objects
    result = {}
    for district in District.objects.order_by("code"):
        username = f"scale_dc_{district.code}"[:150]
        user = users.filter(username=username).first() or user_create(
            username=username, password=None, role=PortalRole.DISTRICT_COORDINATOR, district=district
        )
        result[district.pk] = user.pk
    return result


def _campaign(today: datetime.date) -> Campaign:
    campaign = Campaign.objects.filter(name=CAMPAIGN).first() or Campaign(name=CAMPAIGN)
    campaign.start_date = today - datetime.timedelta(days=DAYS - 1)
    campaign.end_date = today + datetime.timedelta(days=30)
    campaign.is_active = True
    return campaign_save(campaign=campaign)


def _targets(rng: random.Random, campaign: Campaign) -> int:
    periods = [current_fortnight(timezone.localdate()), (campaign.start_date, campaign.end_date)]
    metrics = list(Metric.objects.filter(is_active=True, task__is_active=True))
    rows = [
        Target(
            task_id=metric.task_id,
            metric=metric,
            district=district,
            period_start=start,
            period_end=end,
            value=rng.randint(10, 200) * 100 * (1 if (end - start).days < 20 else 6),
        )
        for district in District.objects.all()
        for metric in metrics
        for start, end in periods
    ]
    Target.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return len(rows)


class _Facts:
    """The synthetic reports, made booth by booth: activity rows (in column order) and their
    value rows, with ids assigned here so both tables load without a round trip per row."""

    def __init__(self, rng: random.Random, size: int) -> None:
        self.rng = rng
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.staff = (
            get_user_model().objects.filter(username="state_staff").values_list("pk", flat=True).first()
        )
        self.reporters = _coordinators()
        self.booths = list(
            Booth.objects.order_by("pk").values_list(
                "pk", "assembly_seat_id", "mandal_id", "assembly_seat__district_id"
            )[:size]
        )
        codes = list(District.objects.order_by("code").values_list("pk", flat=True))
        self.silent = set(codes[-SILENT_DISTRICTS:])
        self.tasks = [
            (task.pk, [(m.pk, m.code, min(m.max_per_report, 50)) for m in task.metrics.all() if m.is_active])
            # Typed reports only for typed tasks: a task fed by its records takes none.
            for task in Task.objects.active().filter(fed_by_records=False).prefetch_related("metrics")
        ]
        self.tasks = [(pk, metrics) for pk, metrics in self.tasks if metrics]
        self.first_id = (Activity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def rows(self) -> Iterator[tuple[tuple[Any, ...], list[tuple[int, str, int]]]]:
        """``(activity row, [(metric id, metric code, value), ...])`` for every report, the row
        in ``_COLUMNS`` order with ``numbers`` left ``None`` (each loader writes it from the
        values). Plain values only: this runs two million times."""
        rng, next_id = self.rng, self.first_id
        random_, randrange, choice = rng.random, rng.randrange, rng.choice
        verified, rejected, submitted = (
            ActivityStatus.VERIFIED,
            ActivityStatus.REJECTED,
            ActivityStatus.SUBMITTED,
        )
        dates = [self.today - datetime.timedelta(days=n) for n in range(DAYS)]
        report, now, staff = ActivityOrigin.REPORT, self.now, self.staff
        reason = "Scale: numbers do not match."
        for booth_id, seat_id, mandal_id, district_id in self.booths:
            tasks = rng.sample(self.tasks, min(TASKS_PER_BOOTH, len(self.tasks)))
            first_day = 3 if district_id in self.silent else 0
            reporter = self.reporters[district_id]
            for _ in range(REPORTS_PER_BOOTH):
                task_id, metrics = choice(tasks)
                days_ago = randrange(first_day, DAYS)
                roll = random_()
                if (days_ago > 3 and roll < 0.75) or (days_ago <= 3 and roll < 0.2):
                    status = rejected if roll < 0.05 else verified
                else:
                    status = submitted
                chosen = [
                    (pk, code, int(random_() * top) + 1) for pk, code, top in metrics if random_() < 0.9
                ]
                if not chosen:
                    pk, code, top = metrics[0]
                    chosen = [(pk, code, int(random_() * top) + 1)]
                reviewed = status != submitted
                activity = (
                    next_id,
                    task_id,
                    district_id,
                    seat_id,
                    mandal_id,
                    booth_id,
                    dates[days_ago],
                    NOTE,
                    reporter,
                    "%032x" % rng.getrandbits(128),  # noqa: UP031 - the fastest way, two million times
                    status,
                    staff if reviewed else None,
                    now if reviewed else None,
                    reason if status == rejected else "",
                    None,
                    report,
                    now,
                )
                yield activity, chosen
                next_id += 1


# The activity columns the rows above fill, in their order.
_COLUMNS = [
    "id",
    "task_id",
    "district_id",
    "assembly_seat_id",
    "mandal_id",
    "booth_id",
    "date",
    "notes",
    "reported_by_id",
    "client_uuid",
    "status",
    "reviewed_by_id",
    "reviewed_at",
    "rejection_reason",
    "numbers",
    "origin",
    "created_at",
]


def _other_columns() -> list[tuple[str, Any]]:
    """Columns another change added to ``Activity`` since: filled with their defaults."""
    extra = []
    for field in Activity._meta.concrete_fields:
        if field.column not in _COLUMNS:
            value = field.get_default()
            extra.append((field.column, value))
    return extra


def _copy_text(value: Any) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, dict):
        value = json.dumps(value, separators=(",", ":"))
    elif isinstance(value, datetime.datetime | datetime.date):
        value = value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _copy(table: str, columns: list[str], lines: list[str]) -> None:
    buffer = io.StringIO("".join(lines))
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(table)} ({', '.join(columns)}) FROM STDIN",
            buffer,
        )


def _load_postgresql(facts: _Facts, log: Callable[[str], object]) -> tuple[int, int]:
    extra = _other_columns()
    columns = _COLUMNS + [column for column, _ in extra]
    suffix = "".join("\t" + _copy_text(value) for _, value in extra) + "\n"
    now = _copy_text(facts.now)
    made = values_made = 0
    activities: list[str] = []
    values: list[str] = []

    def flush() -> None:
        _copy(Activity._meta.db_table, columns, activities)
        _copy(ActivityValue._meta.db_table, ["activity_id", "metric_id", "value"], values)
        activities.clear()
        values.clear()

    na = r"\N"
    for row, chosen in facts.rows():
        pk, task_id, district_id, seat_id, mandal_id, booth_id, day, note, reporter, ref, status = row[:11]
        reviewer, reviewed_at, reason = row[11:14]
        numbers = ",".join(f'"{code}":{number}' for _, code, number in chosen)
        mandal = na if mandal_id is None else mandal_id
        activities.append(
            f"{pk}\t{task_id}\t{district_id}\t{seat_id}\t{mandal}\t{booth_id}\t"
            f"{day}\t{note}\t{reporter}\t{ref}\t{status}\t{na if reviewer is None else reviewer}\t"
            f"{na if reviewed_at is None else now}\t{reason}\t{{{numbers}}}\t{row[15]}\t{now}{suffix}"
        )
        values.extend(f"{pk}\t{metric_id}\t{number}\n" for metric_id, _, number in chosen)
        made += 1
        values_made += len(chosen)
        if len(activities) >= COPY_CHUNK:
            flush()
            log(f"tasks17: {made} reports loaded")
    if activities:
        flush()
    with connection.cursor() as cursor:
        for model in (Activity, ActivityValue):
            table = model._meta.db_table
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM "  # noqa: S608
                f"{connection.ops.quote_name(table)}))",
                [table],
            )
    return made, values_made


def _load_orm(facts: _Facts) -> tuple[int, int]:
    made = values_made = 0
    activities: list[Activity] = []
    values: list[ActivityValue] = []

    def flush() -> None:
        Activity.objects.bulk_create(activities, batch_size=BATCH)
        ActivityValue.objects.bulk_create(values, batch_size=BATCH)
        activities.clear()
        values.clear()

    for row, chosen in facts.rows():
        activity = Activity(**dict(zip(_COLUMNS, row, strict=True)))
        activity.numbers = {code: number for _, code, number in chosen}
        activities.append(activity)
        values.extend(ActivityValue(activity_id=activity.pk, metric_id=m, value=n) for m, _, n in chosen)
        made += 1
        values_made += len(chosen)
        if len(activities) >= BATCH:
            flush()
    if activities:
        flush()
    return made, values_made


def _skip_foreign_key_checks() -> None:
    """Skip the foreign-key triggers for this transaction where the database lets us (a
    superuser, as on a bench machine): every id above was read from the database, and checking
    six million rows' keys at COMMIT took five minutes. Elsewhere the checks simply run."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass


def _clocks(facts: _Facts) -> None:
    """Every district sent its last report now, but the silent ones three days ago."""
    DistrictReportClock.objects.all().delete()
    DistrictReportClock.objects.bulk_create(
        DistrictReportClock(
            district_id=district_id,
            last_report_at=facts.now - datetime.timedelta(days=3 if district_id in facts.silent else 0),
        )
        for district_id in facts.reporters
    )


def seed(log: Callable[[str], object], size: int) -> None:
    if Activity.objects.filter(notes=NOTE).exists():
        log("tasks17: scale reports already present")
        return
    started = time.monotonic()
    rng = random.Random(17)  # noqa: S311 - synthetic data, reproducible
    campaign = _campaign(timezone.localdate())
    facts = _Facts(rng, size)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _skip_foreign_key_checks()
            made, values_made = _load_postgresql(facts, log)
        else:
            made, values_made = _load_orm(facts)
        _clocks(facts)
    log(f"tasks17: {made} scale reports with {values_made} values in {time.monotonic() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Activity._meta.db_table}, {ActivityValue._meta.db_table}")
    drift = rebuild()
    log(f"tasks17: rollups built: {drift.rows} rows in {time.monotonic() - started:.0f} s")
    targets = _targets(rng, campaign)
    log(f"tasks17: {targets} targets; campaign {campaign.start_date} – {campaign.end_date}")
