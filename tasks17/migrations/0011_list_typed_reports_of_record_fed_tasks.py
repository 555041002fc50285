"""Lists (changes nothing) the reports typed in by a person for tasks fed by their records
(``Task.fed_by_records``, marked by 0009): each counted the record's work a second time.
``manage.py withdraw_typed_record_reports --reason "…"`` takes them out of the figures."""

from django.db import migrations
from django.db.models import Count, Q

COUNTED = ("submitted", "verified")


def list_typed_reports(apps, schema_editor):
    Activity = apps.get_model("tasks17", "Activity")
    rows = (
        Activity.objects.filter(origin="report", task__fed_by_records=True)
        .values_list("task__code")
        .annotate(total=Count("pk"), counted=Count("pk", filter=Q(status__in=COUNTED)))
        .order_by("task__code")
    )
    for code, total, counted in rows:
        print(
            f"\n  tasks17: {total} typed reports for record-fed task {code!r} ({counted} still counted); "
            'withdraw them with: manage.py withdraw_typed_record_reports --reason "…"',
        )


class Migration(migrations.Migration):
    dependencies = [
        ("tasks17", "0010_district_rollup"),
    ]

    operations = [migrations.RunPython(list_typed_reports, migrations.RunPython.noop, elidable=True)]
