"""Data migration: the four portal roles as Django groups.

Their permissions are set after every migrate from the apps' declared ``role_permissions``
(see ``seva/people/roles.py``), so an app added later brings its own.
"""

from django.db import migrations

GROUPS = ["State admin", "State staff", "District coordinator", "Helpline operator"]


def create_groups(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    for name in GROUPS:
        group_model.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
