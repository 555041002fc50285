"""Data migration: the task catalogue named by public sources (tasks17/catalogue.py, TASKS.md).

Existing rows (matched by code) are left as the state office edited them.
"""

from django.db import migrations

from tasks17 import catalogue


def ship_catalogue(apps, schema_editor):
    catalogue.ship(apps.get_model("tasks17", "Task"), apps.get_model("tasks17", "Metric"))


class Migration(migrations.Migration):
    dependencies = [("tasks17", "0001_initial")]

    operations = [migrations.RunPython(ship_catalogue, migrations.RunPython.noop)]
