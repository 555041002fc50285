"""The 2021 campaign, Seva Hi Sangathan – Abhiyan 2, as the active campaign.

The party launched it in the second wave, in April 2021; the dates are the state admin's to
correct in the admin (``Campaign``)."""

import datetime

from django.db import migrations

NAME = "Seva Hi Sangathan – Abhiyan 2"


def create(apps, schema_editor):
    Campaign = apps.get_model("tasks17", "Campaign")
    if not Campaign.objects.filter(is_active=True).exists():
        Campaign.objects.create(
            name=NAME,
            start_date=datetime.date(2021, 4, 20),
            end_date=datetime.date(2021, 6, 30),
            is_active=True,
        )


def remove(apps, schema_editor):
    apps.get_model("tasks17", "Campaign").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("tasks17", "0005_rollups_campaign_target_history")]

    operations = [migrations.RunPython(create, remove)]
