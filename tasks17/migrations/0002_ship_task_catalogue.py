"""Data migration: the task catalogue named by public sources (tasks17/catalogue.py, TASKS.md).

Existing rows (matched by code) are left as the state office edited them.
"""

from django.db import migrations

from tasks17.catalogue import TASKS


def ship_catalogue(apps, schema_editor):
    task_model = apps.get_model("tasks17", "Task")
    metric_model = apps.get_model("tasks17", "Metric")
    for position, entry in enumerate(TASKS, start=1):
        fields = {key: value for key, value in entry.items() if key not in ("code", "metrics")}
        task, created = task_model.objects.get_or_create(
            code=entry["code"], defaults={**fields, "position": position}
        )
        if not created:
            continue
        for metric_position, metric in enumerate(entry["metrics"], start=1):
            metric_model.objects.create(task=task, position=metric_position, **metric)


class Migration(migrations.Migration):
    dependencies = [("tasks17", "0001_initial")]

    operations = [migrations.RunPython(ship_catalogue, migrations.RunPython.noop)]
