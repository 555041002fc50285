"""Synthetic reports and targets at campaign size, for benchmarks (``manage.py seed_scale``).

``size`` is the number of booths ``seed_scale`` made (1,06,515 at Bihar's size). A campaign
of 60 days makes about three reports a booth: ~3,20,000 activities with two or three values
each (~7,00,000 activity values), spread over every district by its booths, 60 days back
from today, and about 60 % reviewed (verified, a few rejected). One scale coordinator per
district reports; state staff (``state_staff`` of ``seed_demo``, when present) review.
Targets: every district × every active metric, for the current fortnight.

This writes with ``bulk_create``, **bypassing** ``services.activity_submit``: the rows are
built valid here (active tasks and metrics, places inside their district, numbers within
each metric's limit) and nothing else (history, rollups) is written. It is for synthetic
benchmark data only; every real report goes through the service.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.utils import timezone

from seva.geo.models import Booth, District
from seva.people.choices import PortalRole
from seva.people.services import user_create

from .choices import ActivityStatus
from .demo import current_fortnight
from .models import Activity, ActivityValue, Metric, Target, Task

REPORTS_PER_BOOTH = 3
DAYS = 60
BATCH = 5_000
NOTE = "Scale report"


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


def _targets(rng: random.Random) -> int:
    start, end = current_fortnight(timezone.localdate())
    metrics = list(Metric.objects.filter(is_active=True, task__is_active=True))
    rows = [
        Target(
            task_id=metric.task_id,
            metric=metric,
            district=district,
            period_start=start,
            period_end=end,
            value=rng.randint(10, 200) * 100,
        )
        for district in District.objects.all()
        for metric in metrics
    ]
    Target.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return len(rows)


def seed(log: Callable[[str], object], size: int) -> None:
    if Activity.objects.filter(notes=NOTE).exists():
        log("tasks17: scale reports already present")
        return
    rng = random.Random(17)  # noqa: S311 - synthetic data, reproducible
    today = timezone.localdate()
    staff = get_user_model().objects.filter(username="state_staff").values_list("pk", flat=True).first()
    reporters = _coordinators()
    booths = list(
        Booth.objects.values_list("pk", "assembly_seat_id", "mandal_id", "assembly_seat__district_id")
    )
    tasks = [
        (task.pk, [m for m in task.metrics.all() if m.is_active])
        for task in Task.objects.active().prefetch_related("metrics")
    ]
    tasks = [(pk, metrics) for pk, metrics in tasks if metrics]
    has_numbers = any(f.name == "numbers" for f in Activity._meta.get_fields())
    total = size * REPORTS_PER_BOOTH
    made = values_made = 0
    while made < total:
        activities, numbers = [], []
        for _ in range(min(BATCH, total - made)):
            booth_id, seat_id, mandal_id, district_id = rng.choice(booths)
            task_id, metrics = rng.choice(tasks)
            days_ago = rng.randrange(DAYS)
            # Older reports are mostly reviewed; the last few days mostly await review.
            roll = rng.random()
            if (days_ago > 3 and roll < 0.75) or (days_ago <= 3 and roll < 0.2):
                status = ActivityStatus.REJECTED if roll < 0.05 else ActivityStatus.VERIFIED
            else:
                status = ActivityStatus.SUBMITTED
            reviewed = status != ActivityStatus.SUBMITTED
            chosen = {m: rng.randint(1, min(m.max_per_report, 500)) for m in metrics if rng.random() < 0.9}
            chosen = chosen or {metrics[0]: rng.randint(1, min(metrics[0].max_per_report, 500))}
            activity = Activity(
                task_id=task_id,
                district_id=district_id,
                assembly_seat_id=seat_id,
                mandal_id=mandal_id,
                booth_id=booth_id,
                date=today - datetime.timedelta(days=days_ago),
                notes=NOTE,
                reported_by_id=reporters[district_id],
                client_uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                status=status,
                reviewed_by_id=staff if reviewed else None,
                reviewed_at=timezone.now() if reviewed else None,
                rejection_reason="Scale: numbers do not match." if status == ActivityStatus.REJECTED else "",
            )
            if has_numbers:
                activity.numbers = {m.code: n for m, n in chosen.items()}
            activities.append(activity)
            numbers.append(chosen)
        Activity.objects.bulk_create(activities, batch_size=BATCH)
        rows = [
            ActivityValue(activity_id=activity.pk, metric=metric, value=value)
            for activity, chosen in zip(activities, numbers, strict=True)
            for metric, value in chosen.items()
        ]
        ActivityValue.objects.bulk_create(rows, batch_size=BATCH)
        made += len(activities)
        values_made += len(rows)
    targets = _targets(rng)
    log(f"tasks17: {made} scale reports with {values_made} values; {targets} targets")
