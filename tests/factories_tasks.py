"""Factories and helpers for the tasks tests: reports go through the real service."""

import datetime
import uuid

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tasks17.models import Activity, Campaign, Metric, Task
from tasks17.services import activity_submit
from tests.factories import district


def task(code: str) -> Task:
    """A task shipped by the catalogue migration."""
    return Task.objects.get(code=code)


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = Task

    code = factory.Sequence(lambda n: f"test-task-{n}")
    number = factory.Sequence(lambda n: 100 + n)
    title_en = factory.Sequence(lambda n: f"Test task {n}")
    title_hi = factory.Sequence(lambda n: f"परीक्षण कार्य {n}")
    source = "Test"
    position = 100


class MetricFactory(DjangoModelFactory):
    class Meta:
        model = Metric

    task = factory.SubFactory(TaskFactory)
    code = factory.Sequence(lambda n: f"metric_{n}")
    label_en = "Things done"
    label_hi = "किए गए काम"
    unit_en = "things"
    unit_hi = "काम"
    max_per_report = 1000


def report(by, *, code="patna", task_code="masks-sanitiser", values=None, days_ago=0, **extra) -> Activity:
    """A report stored through ``activity_submit`` with sensible defaults."""
    return activity_submit(
        by=by,
        task=task(task_code),
        district=district(code),
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
        values=values if values is not None else {"masks": 100, "sanitiser": 10},
        client_uuid=extra.pop("client_uuid", uuid.uuid4()),
        **extra,
    )


def campaign_around_today(days_before: int = 30, days_after: int = 30) -> Campaign:
    """Make the active campaign cover today, as the demo does: the shipped 2021 campaign is
    long over, so without this every figure's default range ends in 2021."""
    today = timezone.localdate()
    Campaign.objects.update(is_active=False)
    return Campaign.objects.create(
        name="Test campaign",
        start_date=today - datetime.timedelta(days=days_before),
        end_date=today + datetime.timedelta(days=days_after),
        is_active=True,
    )
