"""The portal's beat schedule, made once: from here on it is the state admin's, in the admin's
"Periodic tasks" (pause a rule, retime it); settings never overwrite it. A task that already
has a row (an earlier release synced the housekeeping jobs from settings) is left as it is.

Times are Asia/Kolkata. Rules run ``seva.notify.tasks.run_rule`` with the rule's code."""

import json

from django.db import migrations

# name, task, args, (minute, hour, day_of_week), description
SCHEDULE = [
    ("clear-expired-sessions", "seva.tasks.clear_expired_sessions", [], ("15", "3", "*"), "Delete expired sessions."),
    ("clear-expired-tokens", "seva.accounts.tasks.clear_expired_tokens", [], ("20", "3", "*"), "Delete expired API tokens."),
    ("rebuild-rollups", "tasks17.tasks.rebuild_rollups", [], ("30", "2", "*"), "Recompute the figures and log drift."),
    ("notify: re-queue waiting messages", "seva.notify.tasks.requeue_due", [], ("*", "*", "*"),
     "Hand over messages left queued (broker outage, quiet hours over, retry due)."),
    ("notify: messages left sending", "seva.notify.tasks.recover_stale_sending", [], ("*/5", "*", "*"),
     "Messages whose worker died while sending: resend or mark for checking."),
    ("notify: evening report reminder", "seva.notify.tasks.run_rule", ["evening_report_reminder"], ("0", "19", "*"),
     "Coordinators of districts with no report today."),
    ("notify: weekly lag nudge", "seva.notify.tasks.run_rule", ["weekly_lag_nudge"], ("0", "10", "1"),
     "Districts below half of their target for the period so far."),
    ("notify: camp reminder", "seva.notify.tasks.run_rule", ["camp_reminder"], ("0", "18", "*"),
     "The day before a donation camp: its organiser and the district's consenting donors."),
    ("notify: shift reminder", "seva.notify.tasks.run_rule", ["shift_reminder"], ("*/5", "*", "*"),
     "Operators whose shift starts within 30 minutes."),
    ("notify: escalation", "seva.notify.tasks.run_rule", ["escalation"], ("*", "*", "*"),
     "Help requests untouched past their time limit: to the helpline lead and the coordinator."),
    ("notify: assignment", "seva.notify.tasks.run_rule", ["assignment"], ("*", "*", "*"),
     "The worker a help request was assigned to."),
    ("notify: report sent back", "seva.notify.tasks.run_rule", ["report_sent_back"], ("*", "*", "*"),
     "A coordinator whose report was rejected hears why."),
    ("notify: morning digest", "seva.notify.tasks.run_rule", ["morning_digest"], ("30", "7", "*"),
     "Yesterday's figures and the laggards, by e-mail to the state office."),
]


def make_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, args, (minute, hour, day_of_week), description in SCHEDULE:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone="Asia/Kolkata",
        )
        PeriodicTask.objects.create(
            name=name, task=task, args=json.dumps(args), crontab=crontab, description=description
        )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[row[0] for row in SCHEDULE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notify", "0001_outbox"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(make_schedule, remove_schedule)]
