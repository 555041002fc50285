"""Each district's short reference code (``PAT``), the prefix of a helpline request's
reference: a nullable unique column (filled by the data migration 0005)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("geo", "0006_booth_name_hi")]

    operations = [
        migrations.AddField(
            model_name="district",
            name="ref_code",
            field=models.CharField(
                blank=True, max_length=4, null=True, unique=True, verbose_name="reference code"
            ),
        ),
    ]
