"""Targets come from the state office's spreadsheets: checked whole, every bad row named,
nothing written while any row is bad; a sheet imported again updates, never duplicates."""

import datetime

import pytest
import tablib
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from seva.base.spreadsheets import SafeCSV as CSV
from seva.base.spreadsheets import SafeXLSX as XLSX
from tasks17.models import Metric, Target
from tasks17.resources import TargetResource
from tests.factories import district
from tests.factories_tasks import task

HEADERS = ["task", "metric", "district", "period_start", "period_end", "value"]
START, END = datetime.date(2021, 5, 16), datetime.date(2021, 5, 31)
GOOD = [
    ["masks-sanitiser", "masks", "patna", "2021-05-16", "2021-05-31", 50000],
    ["masks-sanitiser", "sanitiser", "patna", "2021-05-16", "2021-05-31", 4000],
    ["migrant-help", "people", "gaya", "2021-05-16", "2021-05-31", 2000],
]
BAD = {
    # row number (1-based, after the header) -> (row, words the reason must contain)
    2: (["no-such-task", "people", "patna", "2021-05-16", "2021-05-31", 10], "no-such-task"),
    3: (["meals", "masks", "patna", "2021-05-16", "2021-05-31", 10], "has no metric “masks”"),
    4: (["meals", "meals", "atlantis", "2021-05-16", "2021-05-31", 10], "atlantis"),
    5: (["meals", "meals", "patna", "2021-05-31", "2021-05-16", 10], "cannot be before its start"),
    6: (["meals", "families", "patna", "2021-05-16", "2021-05-31", 0], "must be above zero, not 0"),
    7: (["meals", "meals", "gaya", "2021-05-16", "2021-05-31", -5], "must be above zero, not -5"),
    8: (["meals", "families", "gaya", "2021-05-16", "2021-05-31", 12.5], "“12.5” is not a whole number"),
    9: (["meals", "families", "gaya", "2021-05-16", "2021-05-31", "many"], "“many” is not a whole number"),
}


def _dataset(rows, headers=HEADERS):
    return tablib.Dataset(*rows, headers=headers)


def _bad_rows(result):
    """Rows the admin would list: invalid (field errors) and failing (lookup errors)."""
    return {row.number for row in result.invalid_rows} | {number for number, _ in result.row_errors()}


def _reasons(result):
    """The reasons given, by row number."""
    reasons = {row.number: str(row.error_dict) for row in result.invalid_rows}
    for number, errors in result.row_errors():
        reasons[number] = reasons.get(number, "") + str([str(error.error) for error in errors])
    return reasons


def _targets():
    return sorted(
        Target.objects.values_list(
            "task__code", "metric__code", "district__code", "period_start", "period_end", "value"
        )
    )


def test_a_good_sheet_imports_targets_by_codes(state_admin):
    result = TargetResource().import_data(_dataset(GOOD), dry_run=False, user=state_admin)
    assert not result.has_errors() and not result.has_validation_errors()
    assert _targets() == sorted(
        [
            ("masks-sanitiser", "masks", "patna", START, END, 50000),
            ("masks-sanitiser", "sanitiser", "patna", START, END, 4000),
            ("migrant-help", "people", "gaya", START, END, 2000),
        ]
    )
    # "people" is a metric of several tasks: the row's task decides which.
    assert Target.objects.get(district__code="gaya").metric == task("migrant-help").metrics.get(code="people")


def test_every_bad_row_is_named_with_its_reason_and_nothing_is_written(state_admin):
    rows = [GOOD[0]] + [row for _, (row, _) in sorted(BAD.items())]
    result = TargetResource().import_data(_dataset(rows), dry_run=True, user=state_admin)
    assert result.has_validation_errors() or result.has_errors()
    assert _bad_rows(result) == set(BAD)
    reasons = _reasons(result)
    for number, (_, words) in BAD.items():
        assert words in reasons[number], (number, reasons[number])
    assert not Target.objects.exists()


def test_a_fractional_target_is_refused_not_rounded(state_admin):
    result = TargetResource().import_data(
        _dataset([["meals", "meals", "patna", "2021-05-16", "2021-05-31", "99.9"]]),
        dry_run=False,
        user=state_admin,
    )
    assert _bad_rows(result) == {1}
    assert not Target.objects.exists()


def test_whole_numbers_written_as_spreadsheets_store_them_are_accepted(state_admin):
    rows = [
        ["meals", "meals", "patna", "2021-05-16", "2021-05-31", 1200.0],
        ["meals", "families", "patna", "2021-05-16", "2021-05-31", " 300 "],
        ["masks-sanitiser", "masks", "patna", "2021-05-16", "2021-05-31", "1,00,000"],
    ]
    result = TargetResource().import_data(_dataset(rows), dry_run=False, user=state_admin)
    assert not result.has_errors() and not result.has_validation_errors(), _reasons(result)
    assert sorted(Target.objects.values_list("value", flat=True)) == [300, 1200, 100000]


def test_importing_the_same_sheet_again_updates_instead_of_duplicating(state_admin):
    TargetResource().import_data(_dataset(GOOD), dry_run=False, user=state_admin)
    changed = [row[:] for row in GOOD]
    changed[0][5] = 60000
    result = TargetResource().import_data(_dataset(changed), dry_run=False, user=state_admin)
    assert not result.has_errors() and not result.has_validation_errors()
    assert (result.totals["update"], result.totals["skip"], result.totals["new"]) == (1, 2, 0)
    assert Target.objects.count() == 3
    assert Target.objects.get(metric__code="masks", district__code="patna").value == 60000


def test_a_new_period_for_the_same_metric_is_a_new_target(state_admin):
    TargetResource().import_data(_dataset(GOOD[:1]), dry_run=False, user=state_admin)
    next_fortnight = ["masks-sanitiser", "masks", "patna", "2021-06-01", "2021-06-15", 55000]
    TargetResource().import_data(_dataset([next_fortnight]), dry_run=False, user=state_admin)
    assert Target.objects.filter(metric__code="masks").count() == 2


def test_each_row_is_written_by_the_service_in_the_importers_scope(dc_patna):
    # target_create's rules hold for a sheet too: Patna's coordinator sets no target for Gaya.
    result = TargetResource().import_data(_dataset(GOOD), dry_run=True, user=dc_patna)
    assert _bad_rows(result) == {3}
    assert "You cannot set targets for this district." in _reasons(result)[3]
    assert not Target.objects.exists()
    result = TargetResource().import_data(_dataset(GOOD[:2]), dry_run=False, user=dc_patna)
    assert not result.has_errors() and not result.has_validation_errors()
    assert {code for _, code, *_ in _targets()} == {"masks", "sanitiser"}


def test_export_round_trips(state_admin):
    TargetResource().import_data(_dataset(GOOD), dry_run=False, user=state_admin)
    before = _targets()
    exported = TargetResource().export()
    assert exported.headers == HEADERS
    assert ["masks-sanitiser", "masks", "patna", "2021-05-16", "2021-05-31", "50000"] in [
        [str(value) for value in row] for row in exported
    ]
    csv = exported.export("csv")
    Target.objects.all().delete()
    result = TargetResource().import_data(
        tablib.Dataset().load(csv, format="csv"), dry_run=False, user=state_admin
    )
    assert not result.has_errors() and not result.has_validation_errors()
    assert _targets() == before
    # And importing the export again changes nothing.
    again = TargetResource().import_data(
        tablib.Dataset().load(csv, format="csv"), dry_run=False, user=state_admin
    )
    assert again.totals["skip"] == 3 and _targets() == before


def test_export_takes_the_same_queries_for_few_targets_and_many(db):
    metrics = list(Metric.objects.filter(task__is_active=True))

    def add(count, offset):
        Target.objects.bulk_create(
            Target(
                task_id=metric.task_id,
                metric=metric,
                district=district("patna"),
                period_start=START + datetime.timedelta(days=offset),
                period_end=END + datetime.timedelta(days=offset),
                value=100,
            )
            for metric in metrics[:count]
        )

    def queries():
        with CaptureQueriesContext(connection) as context:
            TargetResource().export()
        return len(context)

    add(2, 0)
    few = queries()
    add(len(metrics), 1)
    assert queries() == few


# --- Through the admin: upload, dry run, confirm ------------------------------------------


def _format_index(fmt):
    formats = admin.site._registry[Target].get_import_formats()
    return formats.index(fmt)


def _upload(client, dataset, fmt):
    content = dataset.export(fmt().get_title())
    if isinstance(content, str):
        content = content.encode()
    name = f"targets.{fmt().get_extension()}"
    return client.post(
        reverse("admin:tasks17_target_import"),
        {
            "import_file": SimpleUploadedFile(name, content),
            "format": str(_format_index(fmt)),
            "resource": "0",
        },
    )


@pytest.mark.parametrize("fmt", [CSV, XLSX])
def test_the_admin_imports_a_good_sheet_after_a_dry_run(client_as, state_admin, fmt):
    client = client_as(state_admin)
    rows = [[*row[:3], START, END, row[5]] for row in GOOD] if fmt is XLSX else GOOD
    preview = _upload(client, _dataset(rows), fmt)
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert not Target.objects.exists()  # the dry run wrote nothing
    confirm = preview.context["confirm_form"]
    response = client.post(reverse("admin:tasks17_target_process_import"), confirm.initial)
    assert response.status_code == 302
    assert len(_targets()) == 3
    assert Target.objects.get(metric__code="masks").value == 50000


def test_the_admin_lists_every_bad_row_and_offers_no_confirmation(client_as, state_admin):
    rows = [GOOD[0]] + [row for _, (row, _) in sorted(BAD.items())]
    preview = _upload(client_as(state_admin), _dataset(rows), CSV)
    assert preview.status_code == 200
    assert "confirm_form" not in preview.context
    assert _bad_rows(preview.context["result"]) == set(BAD)
    page = preview.content.decode()
    for words in ["no-such-task", "atlantis", "cannot be before its start", "12.5"]:
        assert words in page
    assert not Target.objects.exists()


def test_the_admin_exports_targets(client_as, state_admin):
    TargetResource().import_data(_dataset(GOOD), dry_run=False, user=state_admin)
    client = client_as(state_admin)
    page = client.get(reverse("admin:tasks17_target_export"))
    assert page.status_code == 200
    form = page.context["form"]
    data = {"format": str(admin.site._registry[Target].get_export_formats().index(CSV)), "resource": "0"}
    data.update({name: "on" for name in form.fields if name.startswith("targetresource_")})
    response = client.post(reverse("admin:tasks17_target_export"), data)
    assert response.status_code == 200, response.content.decode()[:2000]
    body = response.content.decode()
    assert body.splitlines()[0].strip() == ",".join(HEADERS)
    assert "masks-sanitiser,masks,patna,2021-05-16,2021-05-31,50000" in body


def test_only_state_admins_import_targets(client_as, state_staff, dc_patna):
    for user in [state_staff, dc_patna]:
        response = _upload(client_as(user), _dataset(GOOD), CSV)
        assert response.status_code == 302
    assert not Target.objects.exists()
