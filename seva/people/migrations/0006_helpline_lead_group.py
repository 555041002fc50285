"""Data migration: the "Helpline lead" group (manages a helpline's shifts, sees its whole
queue). Its permissions, like every group's, are set after migrate from the apps' declared
``role_permissions`` (``seva/people/roles.py``; the helplines app declares them)."""

from django.db import migrations

GROUP = "Helpline lead"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0005_district_president_group"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_group, remove_group)]
