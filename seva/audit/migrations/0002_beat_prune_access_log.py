"""The nightly job that deletes access events older than ``SEVA_ACCESS_LOG_DAYS``, made once:
from here on it is the state admin's, in the admin's "Periodic tasks". Asia/Kolkata."""

from django.db import migrations

NAME = "audit: prune the access log"


def make_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="50",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Kolkata",
    )
    PeriodicTask.objects.create(
        name=NAME,
        task="seva.audit.tasks.prune_access_log",
        args="[]",
        crontab=crontab,
        description="Delete access events older than SEVA_ACCESS_LOG_DAYS (at least a year).",
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_access_log"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(make_schedule, remove_schedule)]
