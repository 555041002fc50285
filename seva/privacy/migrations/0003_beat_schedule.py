"""The nightly retention job, made once on beat's schedule (then the state admin's to pause or
retime in the admin's "Periodic tasks"). Asia/Kolkata."""

import json

from django.db import migrations

NAME = "privacy: anonymise closed help requests past retention"


def make_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="40",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Kolkata",
    )
    PeriodicTask.objects.create(
        name=NAME,
        task="seva.privacy.tasks.help_requests_expire",
        args=json.dumps([]),
        crontab=crontab,
        description="Callers' and patients' details of requests closed SEVA_HELP_REQUEST_RETENTION_DAYS ago.",
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0002_first_privacy_notice"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(make_schedule, remove_schedule)]
