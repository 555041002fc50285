"""Demo reports and targets for Patna and Gaya, written through the services like real ones.

Each report has a fixed ``client_uuid`` (uuid5 of its key), so running ``seed_demo`` again
stores nothing twice.
"""

import datetime
import uuid
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.utils import timezone

from seva.geo.models import AssemblySeat, Booth, District

from .models import Metric, Target, Task
from .services import activity_submit, target_create

_NAMESPACE = uuid.UUID("5f0c1b7e-2b7a-4c53-9d51-3f6d1e0a2a17")

DEMO_ACTIVITIES = [
    # reporter, district, task, days ago, values, notes
    (
        "dc_patna",
        "patna",
        "corona-free-booth",
        1,
        {"households": 140, "booths_declared": 2},
        "Door-to-door survey.",
    ),
    (
        "dc_patna",
        "patna",
        "masks-sanitiser",
        2,
        {"masks": 1200, "sanitiser": 150},
        "Distributed at the market.",
    ),
    ("dc_patna", "patna", "meals", 3, {"meals": 320, "families": 64}, "Community kitchen, ward 12."),
    ("dc_gaya", "gaya", "migrant-help", 1, {"people": 85, "ration_kits": 80}, "At the railway station."),
    ("dc_gaya", "gaya", "health-awareness", 4, {"people": 600}, "Leaflets on vaccination centres."),
    ("dc_gaya", "gaya", "elderly-medicine", 2, {"workers": 12, "people": 90}, "Medicines delivered at home."),
]

DEMO_TARGETS = [
    ("patna", "corona-free-booth", "households", 5000),
    ("patna", "masks-sanitiser", "masks", 50000),
    ("gaya", "migrant-help", "people", 2000),
    ("gaya", "health-awareness", "people", 20000),
]


def seed(log: Callable[[str], object]) -> None:
    users = {
        user.username: user for user in get_user_model().objects.filter(username__in=["dc_patna", "dc_gaya"])
    }
    today = timezone.localdate()
    for reporter, code, task_code, days_ago, values, notes in DEMO_ACTIVITIES:
        user = users.get(reporter)
        task = Task.objects.filter(code=task_code, is_active=True).first()
        if user is None or task is None:
            continue
        district = District.objects.get(code=code)
        seat = AssemblySeat.objects.filter(district=district).order_by("number").first()
        booth = Booth.objects.filter(assembly_seat=seat).order_by("number").first()
        activity_submit(
            by=user,
            task=task,
            district=district,
            date=today - datetime.timedelta(days=days_ago),
            values=values,
            client_uuid=uuid.uuid5(_NAMESPACE, f"{reporter}:{task_code}:{days_ago}"),
            assembly_seat=seat,
            booth=booth,
            notes=f"Demo: {notes}",
        )
    start = today.replace(day=1)
    end = start + datetime.timedelta(days=59)
    staff = get_user_model().objects.filter(username="state_staff").first()
    targets = 0
    for code, task_code, metric_code, value in DEMO_TARGETS:
        metric = Metric.objects.filter(task__code=task_code, code=metric_code).select_related("task").first()
        district = District.objects.get(code=code)
        if staff is None or metric is None:
            continue
        if Target.objects.filter(metric=metric, district=district).exists():
            continue
        target_create(
            by=staff,
            task=metric.task,
            metric=metric,
            district=district,
            period_start=start,
            period_end=end,
            value=value,
        )
        targets += 1
    log(f"tasks17: {len(DEMO_ACTIVITIES)} demo reports in place; {targets} demo targets made")
