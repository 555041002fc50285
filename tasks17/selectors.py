"""Reads that matter in the tasks app: achievement against targets, totals per task."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, Sum
from django.utils import timezone

from .choices import COUNTED_STATUSES, ActivityStatus
from .models import Activity, ActivityValue, Metric, Target, Task


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def attach_achievement(targets: Iterable[Target]) -> list[Target]:
    """Set ``reported``, ``verified`` and their ``percent`` / ``verified_percent`` of each
    target, from one grouped query over the targets' metrics, districts and dates.

    Reported counts submitted and verified reports; rejected and withdrawn ones count nowhere.
    A correlated subquery per target walked every report of the district for each target
    (177 ms for a page of 50 at the state's size, bench/README.md); this reads the sums per
    metric, district and day once and adds them up here.
    """
    targets = list(targets)
    if not targets:
        return targets
    rows = (
        ActivityValue.objects.filter(
            metric_id__in={t.metric_id for t in targets},
            activity__district_id__in={t.district_id for t in targets},
            activity__date__gte=min(t.period_start for t in targets),
            activity__date__lte=max(t.period_end for t in targets),
            activity__status__in=COUNTED_STATUSES,
        )
        .order_by()
        .values_list("metric_id", "activity__district_id", "activity__date")
        .annotate(
            reported=Sum("value"),
            verified=Sum("value", filter=Q(activity__status=ActivityStatus.VERIFIED)),
        )
    )
    by_key: dict[tuple[int, int], list[tuple[datetime.date, int, int]]] = defaultdict(list)
    for metric_id, district_id, day, reported, verified in rows:
        by_key[(metric_id, district_id)].append((day, reported or 0, verified or 0))
    for target in targets:
        days = [
            (reported, verified)
            for day, reported, verified in by_key[(target.metric_id, target.district_id)]
            if target.period_start <= day <= target.period_end
        ]
        target.reported = sum(reported for reported, _ in days)
        target.verified = sum(verified for _, verified in days)
        target.percent = _percent(target.reported, target.value)
        target.verified_percent = _percent(target.verified, target.value)
    return targets


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
    for the period, so their history stays visible. Rejected reports do not count.
    """
    sums = (
        ActivityValue.objects.visible_to(user)
        .filter(activity__date__gte=start, activity__date__lte=end)
        .filter(activity__status__in=COUNTED_STATUSES)
        .order_by()
        .values("metric_id")
        .annotate(
            reported=Sum("value"),
            verified=Sum("value", filter=Q(activity__status=ActivityStatus.VERIFIED)),
        )
    )
    by_metric = {row["metric_id"]: row for row in sums}
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
    than one aggregate that would read every report of the state.
    """
    today = timezone.localdate()
    visible = Activity.objects.visible_to(user)
    return {
        "today": visible.filter(date=today).count(),
        "awaiting_review": visible.filter(status=ActivityStatus.SUBMITTED).count(),
        "my_rejected": visible.filter(
            reported_by=user, status=ActivityStatus.REJECTED, date__gte=today - datetime.timedelta(days=30)
        ).count(),
    }
