"""Data migration: load Bihar's 38 districts, 40 Lok Sabha seats and 243 assembly seats."""

from django.db import migrations


def load(apps, schema_editor):
    from seva.geo.loader import load_geography

    load_geography(
        district_model=apps.get_model("geo", "District"),
        lok_sabha_model=apps.get_model("geo", "LokSabhaSeat"),
        assembly_model=apps.get_model("geo", "AssemblySeat"),
    )


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]

    # Reversing leaves the rows: later data (workers, activities) refers to them.
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
