"""The daily rollups: kept by every write that changes what counts, rebuilt from the facts.

A service that changes a report calls :func:`apply_figures` once, inside its transaction, with
what the report counted before and after (:func:`figures_of`): the rollup rows the report
touches move by the difference. :func:`rebuild` recomputes the rows from the facts and says
what had drifted (nothing, when every write went through the services). After a rollup
changes, a version number in the cache moves on (:func:`figures_version`), so cached figures
keyed by it are fresh as soon as the write commits.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from seva.geo.models import AssemblySeat, Booth, Mandal

from .choices import COUNTED_STATUSES, ActivityStatus
from .models import Activity, ActivityValue, DailyRollup, DistrictReportClock, DistrictRollup

log = logging.getLogger(__name__)

VERSION_KEY = "figures:version"

T = TypeVar("T")

# date, district, seat, task, metric: the key of a rollup row.
RollupKey = tuple[datetime.date, int, int | None, int, int]


@dataclass(frozen=True)
class Figures:
    """What one report counts: where and when, its status, and its numbers by metric id."""

    date: datetime.date
    district_id: int
    seat_id: int | None
    task_id: int
    status: str
    values: Mapping[int, int] = field(hash=False)
    booth_id: int | None = None
    mandal_id: int | None = None

    @property
    def is_verified(self) -> bool:
        return self.status == ActivityStatus.VERIFIED


def figures_of(activity: Activity, values: Mapping[int, int] | None = None) -> Figures | None:
    """What ``activity`` counts now, or ``None`` if it counts nowhere (rejected, withdrawn).

    ``values`` (metric id -> number) saves the query when the caller holds the numbers; else
    they come from prefetched ``values`` or one query."""
    if activity.status not in COUNTED_STATUSES:
        return None
    if values is None:
        cache_ = getattr(activity, "_prefetched_objects_cache", {})
        if "values" in cache_:
            values = {value.metric_id: value.value for value in cache_["values"]}
        else:
            values = dict(ActivityValue.objects.filter(activity=activity).values_list("metric_id", "value"))
    return Figures(
        date=activity.date,
        district_id=activity.district_id,
        seat_id=activity.assembly_seat_id,
        task_id=activity.task_id,
        status=activity.status,
        values={metric_id: number for metric_id, number in values.items() if number},
        booth_id=activity.booth_id,
        mandal_id=activity.mandal_id,
    )


def _deltas(changes: Iterable[tuple[Figures | None, Figures | None]]) -> dict[RollupKey, list[int]]:
    """The net change of each rollup row (reported, verified, reports), zero changes dropped."""
    deltas: dict[RollupKey, list[int]] = defaultdict(lambda: [0, 0, 0])
    for before, after in changes:
        for sign, figures in ((-1, before), (1, after)):
            if figures is None:
                continue
            for metric_id, number in figures.values.items():
                key = (figures.date, figures.district_id, figures.seat_id, figures.task_id, metric_id)
                row = deltas[key]
                row[0] += sign * number
                row[1] += sign * number if figures.is_verified else 0
                row[2] += sign
    return {key: row for key, row in deltas.items() if any(row)}


def _add_sql(model: type, columns: list[str], conflict: str, rows: list[tuple]) -> tuple[str, list[Any]]:
    """``INSERT … ON CONFLICT DO UPDATE`` adding each row's three figures to the stored ones:
    the statement and its parameters. Only names and placeholders are formatted in."""
    table = connection.ops.quote_name(model._meta.db_table)
    slots = "(" + ", ".join(["%s"] * (len(columns) + 3)) + ")"
    params: list[Any] = [value for key, figures in rows for value in (*key, *figures)]
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}, reported, verified, reports) "  # noqa: S608
        f"VALUES {', '.join([slots] * len(rows))} "
        f"ON CONFLICT {conflict} DO UPDATE SET "
        f"reported = {table}.reported + excluded.reported, "
        f"verified = {table}.verified + excluded.verified, "
        f"reports = {table}.reports + excluded.reports"
    )
    return sql, params


def _upsert_statements(deltas: dict[RollupKey, list[int]]) -> list[tuple[str, list[Any]]]:
    """Add the deltas to their rows, creating missing rows: the seat rows of ``DailyRollup``
    and the district rows of ``DistrictRollup`` (the same deltas summed over seats).

    ``INSERT … ON CONFLICT DO UPDATE SET reported = reported + excluded.reported`` adds under
    the row's lock, so concurrent writers to the same row each add their part (PostgreSQL and
    SQLite both take it). Every writer writes the tables in the same order and each table's
    rows in key order, so two writers lock rows in the same order and cannot deadlock. The two
    partial unique keys of ``DailyRollup`` are its conflict targets: one for seat rows, one for
    the district's "no seat" rows. On PostgreSQL the statements go as one (data-modifying
    ``WITH`` clauses, :func:`_execute`), so a report pays one round trip for all its rows.
    Returns the statements."""
    adapt = connection.ops.adapt_datefield_value
    districts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (day, district_id, _seat_id, task_id, metric_id), row in deltas.items():
        total = districts[(adapt(day), district_id, task_id, metric_id)]
        for n, number in enumerate(row):
            total[n] += number
    seat_columns = ["date", "district_id", "assembly_seat_id", "task_id", "metric_id"]
    statements = []
    for rows, conflict in (
        (
            sorted((key, row) for key, row in deltas.items() if key[2] is not None),
            "(date, district_id, assembly_seat_id, task_id, metric_id) WHERE assembly_seat_id IS NOT NULL",
        ),
        (
            sorted((key, row) for key, row in deltas.items() if key[2] is None),
            "(date, district_id, task_id, metric_id) WHERE assembly_seat_id IS NULL",
        ),
    ):
        if rows:
            rows = [((adapt(key[0]), *key[1:]), figures) for key, figures in rows]
            statements.append(_add_sql(DailyRollup, seat_columns, conflict, rows))
    district_rows = sorted((key, row) for key, row in districts.items() if any(row))
    if district_rows:
        statements.append(
            _add_sql(
                DistrictRollup,
                ["date", "district_id", "task_id", "metric_id"],
                "(date, district_id, task_id, metric_id)",
                district_rows,
            )
        )
    return statements


def _clock_statements(latest: dict[tuple[type, int], datetime.date]) -> list[tuple[str, list[Any]]]:
    """Move each place's ``last_reported_on`` forward to its new date (never back)."""
    adapt = connection.ops.adapt_datefield_value
    statements = []
    order = {place[0]: n for n, place in enumerate(_PLACES_WITH_CLOCKS)}
    for (model, pk), day in sorted(latest.items(), key=lambda item: (order[item[0][0]], item[0][1])):
        table = connection.ops.quote_name(model._meta.db_table)
        statements.append(
            (
                f"UPDATE {table} SET last_reported_on = %s WHERE id = %s "  # noqa: S608
                "AND (last_reported_on IS NULL OR last_reported_on < %s)",
                [adapt(day), pk, adapt(day)],
            )
        )
    return statements


def _execute(statements: list[tuple[str, list[Any]]]) -> None:
    """Run the statements in order; on PostgreSQL as one statement, all but the last as
    data-modifying ``WITH`` clauses (one round trip; every writer's statements take the same
    shape, so their locks come in the same order). No two of them touch the same row."""
    if not statements:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(statements) > 1:
            clauses = ", ".join(f"w{n} AS ({sql})" for n, (sql, _params) in enumerate(statements[:-1]))
            cursor.execute(
                f"WITH {clauses} {statements[-1][0]}",
                [value for _sql, params in statements for value in params],
            )
        else:
            for sql, params in statements:
                cursor.execute(sql, params)


def _district_clock_statement(district_ids: set[int]) -> tuple[str, list[Any]]:
    """Mark the districts as having sent a report now."""
    table = connection.ops.quote_name(DistrictReportClock._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = sorted(district_ids)
    value_slots = ", ".join(["(%s, %s)"] * len(rows))
    params: list[Any] = [value for district_id in rows for value in (district_id, now)]
    return (
        f"INSERT INTO {table} (district_id, last_report_at) VALUES {value_slots} "  # noqa: S608
        "ON CONFLICT (district_id) DO UPDATE SET last_report_at = excluded.last_report_at",
        params,
    )


# The places whose latest report date the rollups keep (``last_reported_on``), with the name
# of their id on ``Figures`` and of their field on ``Activity``: the reporting rates and the
# dashboards read those dates, never the reports.
_PLACES_WITH_CLOCKS = (
    (AssemblySeat, "seat_id", "assembly_seat"),
    (Mandal, "mandal_id", "mandal"),
    (Booth, "booth_id", "booth"),
)


def apply_figures(before: Figures | None, after: Figures | None) -> None:
    """Move the rollups from what one report counted (``before``) to what it counts now
    (``after``); ``None`` for "counted nowhere". Call it inside the writing transaction."""
    apply_figures_many([(before, after)])


def apply_figures_many(changes: Iterable[tuple[Figures | None, Figures | None]]) -> None:
    """:func:`apply_figures` for many reports at once (a bulk verify): the same rows, fewer
    statements. Also keeps each seat's, mandal's and booth's latest report date and each
    district's last-report time (for a report that newly counts), all in one round trip on
    PostgreSQL, and bumps the cache's figure versions now and on commit."""
    changes = list(changes)
    deltas = _deltas(changes)
    latest: dict[tuple[type, int], datetime.date] = {}
    sent: set[int] = set()
    for before, after in changes:
        if after is None:
            continue
        if before is None:
            sent.add(after.district_id)
        for model, name, _field in _PLACES_WITH_CLOCKS:
            place = getattr(after, name)
            if place and (before is None or (getattr(before, name), before.date) != (place, after.date)):
                latest[(model, place)] = max(after.date, latest.get((model, place), after.date))
    statements = _upsert_statements(deltas) if deltas else []
    statements += _clock_statements(latest)
    if sent:
        statements.append(_district_clock_statement(sent))
    _execute(statements)
    districts = {key[1] for key in deltas}
    if districts:
        # Now, so this transaction's own later reads do not meet figures cached before it,
        # and again on commit, so nothing cached in between (without this write) outlives it.
        bump_versions(districts)
        transaction.on_commit(lambda: bump_versions(districts))


# --- The change signal for caches ---------------------------------------------------------------


def _version_key(district_id: int | None) -> str:
    return VERSION_KEY if district_id is None else f"{VERSION_KEY}:{district_id}"


def _fresh_version() -> int:
    # A version that starts from the clock, so a key lost from the cache never starts again
    # at a number an older cached figure was stored under.
    return int(time.time() * 1000)


def bump_versions(district_ids: Iterable[int]) -> None:
    """Move the state's and the districts' figure versions on. A cache that is down only
    costs freshness of nothing (nothing is cached then), so errors are logged, not raised."""
    for key in [_version_key(None), *(_version_key(d) for d in sorted(set(district_ids)))]:
        try:
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, _fresh_version(), timeout=None)
        except Exception as error:  # noqa: BLE001 - the cache is an optimisation here
            log.warning("figures version not bumped (%s): %s", key, error)
            return


def figures_version(district_id: int | None = None) -> int:
    """The version of the state's figures (or one district's): it changes whenever a rollup
    row of theirs changes, so a dashboard keys its cached figures by it. ``0`` when the cache
    cannot be reached."""
    key = _version_key(district_id)
    try:
        version = cache.get(key)
        if version is None:
            version = _fresh_version()
            if not cache.add(key, version, timeout=None):
                version = cache.get(key, version)
        return int(version)
    except Exception as error:  # noqa: BLE001 - the cache is an optimisation here
        log.warning("figures version not read (%s): %s", key, error)
        return 0


def fresh_cached(key: str, compute: Callable[[], T], *, district_id: int | None = None) -> T:
    """``compute()``, cached under ``key`` for as long as the figures it reads have not changed
    (:func:`figures_version` of ``district_id``, or the state's) and, while reports arrive,
    for at most ``SEVA_FIGURES_STALE_SECONDS`` (5) after they change: a new report shows
    within that, and a busy evening does not recompute a state-wide figure for every request.
    Without a cache it computes every time."""
    max_age = float(getattr(settings, "SEVA_FIGURES_STALE_SECONDS", 5))
    version = figures_version(district_id)
    if not version:
        return compute()
    full_key = f"figures:cached:{district_id or 'state'}:{key}"
    try:
        hit = cache.get(full_key)
    except Exception:  # noqa: BLE001 - the cache is an optimisation here
        hit = None
    now = time.time()
    if hit is not None and (hit[0] == version or now - hit[1] < max_age):
        return hit[2]
    value = compute()
    try:
        cache.set(full_key, (version, now, value), timeout=600)
    except Exception as error:  # noqa: BLE001
        log.warning("figures not cached (%s): %s", key, error)
    return value


# --- Rebuilding from the facts -----------------------------------------------------------------


@dataclass
class Drift:
    """What a rebuild found: rows missing, extra or with other figures than the facts give,
    district rows that were not the sum of their seat rows, seats, mandals and booths whose
    latest report date was wrong, and the rows written."""

    start: datetime.date | None
    end: datetime.date | None
    missing: int = 0
    extra: int = 0
    differing: int = 0
    booths: int = 0
    seats: int = 0
    mandals: int = 0
    districts: int = 0
    rows: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (
            self.missing
            + self.extra
            + self.differing
            + self.seats
            + self.mandals
            + self.booths
            + self.districts
        )

    def __str__(self) -> str:
        period = f"{self.start or '…'} – {self.end or '…'}"
        return (
            f"rollups {period}: {self.rows} rows from the facts; drift: {self.missing} missing, "
            f"{self.extra} extra, {self.differing} differing, {self.districts} district rows "
            f"not the sum of their seat rows; last report date: {self.seats} seats', "
            f"{self.mandals} mandals', {self.booths} booths'"
        )


def _in_range(queryset: Any, field_name: str, start: datetime.date | None, end: datetime.date | None) -> Any:
    if start is not None:
        queryset = queryset.filter(**{f"{field_name}__gte": start})
    if end is not None:
        queryset = queryset.filter(**{f"{field_name}__lte": end})
    return queryset


def facts(
    start: datetime.date | None = None, end: datetime.date | None = None
) -> dict[RollupKey, tuple[int, int, int]]:
    """The rollup rows as the fact table gives them (one grouped query)."""
    rows = (
        _in_range(ActivityValue.objects.all(), "activity__date", start, end)
        .filter(activity__status__in=COUNTED_STATUSES, value__gt=0)
        .order_by()
        .values_list(
            "activity__date",
            "activity__district_id",
            "activity__assembly_seat_id",
            "activity__task_id",
            "metric_id",
        )
        .annotate(
            reported=Sum("value"),
            verified=Sum("value", filter=Q(activity__status=ActivityStatus.VERIFIED), default=0),
            reports=Count("pk"),
        )
    )
    return {tuple(row[:5]): (row[5], row[6], row[7]) for row in rows}


def _stored(start: datetime.date | None, end: datetime.date | None) -> dict[RollupKey, tuple[int, int, int]]:
    rows = _in_range(DailyRollup.objects.all(), "date", start, end).values_list(
        "date", "district_id", "assembly_seat_id", "task_id", "metric_id", "reported", "verified", "reports"
    )
    # A row brought back to zero is the same as no row.
    return {tuple(row[:5]): tuple(row[5:]) for row in rows if any(row[5:])}


def _clock_drift(model: type, link: str, fix: bool) -> int:
    """Places (seats, mandals, booths) whose latest report date is behind their reports (the date of
    the latest report ever sent from the place, whatever its review: a place that sent a
    report has reported). A correction that moves a report to an earlier day leaves the date
    ahead until a rebuild, which sets every place's date exactly; only dates behind count as
    drift."""
    latest = (
        Activity.objects.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(latest=Max("date"))
        .values("latest")
    )
    places = model.objects.annotate(latest=Subquery(latest))
    behind = Q(latest__isnull=False) & (
        Q(last_reported_on__isnull=True) | Q(last_reported_on__lt=F("latest"))
    )
    ahead = Q(last_reported_on__isnull=False) & (Q(latest__isnull=True) | Q(last_reported_on__gt=F("latest")))
    count = places.filter(behind).count()
    if fix:
        wrong = places.filter(behind | ahead).values("pk")
        model.objects.filter(pk__in=wrong).update(last_reported_on=Subquery(latest))
    return count


def _district_sums(start: datetime.date | None, end: datetime.date | None) -> Any:
    """``DailyRollup`` summed over seats: what ``DistrictRollup`` must hold (a queryset)."""
    return (
        _in_range(DailyRollup.objects.all(), "date", start, end)
        .order_by()
        .values_list("date", "district_id", "task_id", "metric_id")
        .annotate(r=Sum("reported"), v=Sum("verified"), n=Sum("reports"))
    )


def _district_drift(start: datetime.date | None, end: datetime.date | None, examples: list[str]) -> int:
    """District rows that are not the sum of their seat rows (missing, extra or other)."""
    wanted = {tuple(row[:4]): tuple(row[4:]) for row in _district_sums(start, end) if any(row[4:])}
    stored = {
        tuple(row[:4]): tuple(row[4:])
        for row in _in_range(DistrictRollup.objects.all(), "date", start, end).values_list(
            "date", "district_id", "task_id", "metric_id", "reported", "verified", "reports"
        )
        if any(row[4:])
    }
    wrong = {key for key in wanted.keys() | stored.keys() if wanted.get(key) != stored.get(key)}
    for key in sorted(wrong)[: max(0, 10 - len(examples))]:
        examples.append(f"district {key}: stored {stored.get(key)}, seat rows {wanted.get(key)}")
    return len(wrong)


def _rebuild_districts(start: datetime.date | None, end: datetime.date | None) -> None:
    _in_range(DistrictRollup.objects.all(), "date", start, end).delete()
    DistrictRollup.objects.bulk_create(
        (
            DistrictRollup(
                date=day,
                district_id=district_id,
                task_id=task_id,
                metric_id=metric_id,
                reported=reported,
                verified=verified,
                reports=reports,
            )
            for day, district_id, task_id, metric_id, reported, verified, reports in _district_sums(
                start, end
            ).iterator()
        ),
        batch_size=5000,
    )


@transaction.atomic
def rebuild(
    *, start: datetime.date | None = None, end: datetime.date | None = None, check_only: bool = False
) -> Drift:
    """Recompute the rollups between ``start`` and ``end`` (all dates when not given) from the
    facts, report the drift, and (unless ``check_only``) replace the rows of the range, and the
    district rows (``DistrictRollup``) with the sums of the new seat rows. With no range, each
    seat's, mandal's and booth's latest report date is checked (and set) too."""
    drift = Drift(start=start, end=end)
    wanted = facts(start, end)
    stored = _stored(start, end)
    drift.rows = len(wanted)
    for key, figures in wanted.items():
        if key not in stored:
            drift.missing += 1
        elif stored[key] != figures:
            drift.differing += 1
        else:
            continue
        if len(drift.examples) < 10:
            drift.examples.append(f"{key}: stored {stored.get(key)}, facts {figures}")
    for key in stored.keys() - wanted.keys():
        drift.extra += 1
        if len(drift.examples) < 10:
            drift.examples.append(f"{key}: stored {stored[key]}, facts none")
    drift.districts = _district_drift(start, end, drift.examples)
    if start is None and end is None:
        drift.seats = _clock_drift(AssemblySeat, "assembly_seat", fix=not check_only)
        drift.mandals = _clock_drift(Mandal, "mandal", fix=not check_only)
        drift.booths = _clock_drift(Booth, "booth", fix=not check_only)
    if not check_only:
        _in_range(DailyRollup.objects.all(), "date", start, end).delete()
        DailyRollup.objects.bulk_create(
            (
                DailyRollup(
                    date=day,
                    district_id=district_id,
                    assembly_seat_id=seat_id,
                    task_id=task_id,
                    metric_id=metric_id,
                    reported=reported,
                    verified=verified,
                    reports=reports,
                )
                for (day, district_id, seat_id, task_id, metric_id), (
                    reported,
                    verified,
                    reports,
                ) in wanted.items()
            ),
            batch_size=5000,
        )
        _rebuild_districts(start, end)
        districts = {key[1] for key in wanted} | {key[1] for key in stored}
        if districts:
            transaction.on_commit(lambda: bump_versions(districts))
    if drift.total:
        log.warning("%s; for example: %s", drift, "; ".join(drift.examples))
    else:
        log.info("%s", drift)
    return drift
