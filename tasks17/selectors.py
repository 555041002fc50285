"""Reads that matter in the tasks app: achievement against targets, totals per task."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, Sum

from .choices import COUNTED_STATUSES, ActivityStatus
from .models import ActivityValue, Metric, Target, Task


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def achievement(*, target: Target) -> dict[str, Any]:
    """What has been reported (all but rejected) and verified against ``target``, and the share.

    ``percent`` is the reported share of the target, ``verified_percent`` the verified one.
    """
    annotated = Target.objects.with_achievement().get(pk=target.pk)
    return {
        "target": target.value,
        "reported": annotated.reported,
        "verified": annotated.verified,
        "percent": _percent(annotated.reported, target.value),
        "verified_percent": _percent(annotated.verified, target.value),
    }


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
