"""Districts gain their headquarters' Hindi name, filled from the namesake place in the data
(the districts file names headquarters in English only; see loader.fill_headquarters_hi)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from seva.geo.loader import fill_headquarters_hi

    district = apps.get_model("geo", "District")
    fill_headquarters_hi(
        district_model=district,
        place_models=(district, apps.get_model("geo", "AssemblySeat"), apps.get_model("geo", "LokSabhaSeat")),
    )


class Migration(migrations.Migration):
    dependencies = [("geo", "0008_district_ref_codes_fill")]

    operations = [
        migrations.AddField(
            model_name="district",
            name="headquarters_hi",
            field=models.CharField(blank=True, max_length=80, verbose_name="headquarters (Hindi)"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
