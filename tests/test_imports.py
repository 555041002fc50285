"""Bulk imports are checked whole: with any bad row nothing is written, every bad row is named."""

import tablib
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from seva.base.spreadsheets import SafeCSV as CSV
from seva.geo.models import Booth, Mandal
from seva.geo.resources import BoothResource, MandalResource
from seva.people.models import Worker
from seva.people.resources import WorkerResource
from tests.factories import seat_in


def _bad_rows(result):
    """Rows the admin would list: invalid (field errors) and failing (lookup errors)."""
    return {row.number for row in result.invalid_rows} | {number for number, _ in result.row_errors()}


def _messages(result):
    return str([row.error_dict for row in result.invalid_rows]) + str(
        [str(error.error) for _, errors in result.row_errors() for error in errors]
    )


def _dataset(headers, rows):
    return tablib.Dataset(*rows, headers=headers)


def test_it_imports_mandals_and_booths_by_seat_number(db):
    seat = seat_in("patna")
    mandals = MandalResource().import_data(
        _dataset(["assembly_seat", "name"], [[seat.number, "Kumhrar"]]), dry_run=False
    )
    assert not mandals.has_errors() and not mandals.has_validation_errors()
    booths = BoothResource().import_data(
        _dataset(
            ["assembly_seat", "number", "name", "locality", "mandal", "corona_free_since"],
            [
                [seat.number, 1, "Primary School, Room 1", "Ward 4", "Kumhrar", ""],
                [seat.number, 2, "Panchayat Bhawan", "", "", ""],
            ],
        ),
        dry_run=False,
    )
    assert not booths.has_errors() and not booths.has_validation_errors()
    assert Booth.objects.filter(assembly_seat=seat).count() == 2
    assert Booth.objects.get(number=1).mandal == Mandal.objects.get(name="Kumhrar")


def test_a_bad_booth_row_writes_nothing_and_is_named(db):
    seat = seat_in("patna")
    result = BoothResource().import_data(
        _dataset(
            ["assembly_seat", "number", "name", "locality", "mandal", "corona_free_since"],
            [
                [seat.number, 1, "Good booth", "", "", ""],
                [999, 2, "Seat that does not exist", "", "", ""],
                [seat.number, 3, "Booth with unknown mandal", "", "Nowhere", ""],
            ],
        ),
        dry_run=True,
    )
    # Both bad rows are field errors, so the admin lists them together (seva/imports.py).
    assert result.has_validation_errors() and not result.has_errors()
    assert _bad_rows(result) == {2, 3}
    messages = _messages(result)
    assert "No assembly seat number 999" in messages
    assert "Nowhere" in messages
    assert not Booth.objects.exists()


def test_worker_import_normalises_mobiles_and_rejects_bad_ones(state_admin):
    seat = seat_in("patna")
    headers = ["name", "phone", "role", "district", "assembly_seat", "booth", "blood_group", "is_active"]
    bad = WorkerResource().import_data(
        _dataset(
            headers,
            [
                ["Ok", "98765 43210", "volunteer", "patna", seat.number, "", "O+", 1],
                ["Bad", "12345", "volunteer", "patna", "", "", "", 1],
                ["Wrong seat", "9876543299", "volunteer", "gaya", seat.number, "", "", 1],
            ],
        ),
        dry_run=True,
        user=state_admin,
    )
    assert _bad_rows(bad) == {2, 3}
    assert "10 digits" in _messages(bad)
    assert not Worker.objects.exists()
    good = WorkerResource().import_data(
        _dataset(headers, [["Ok", "98765 43210", "volunteer", "patna", seat.number, "", "O+", 1]]),
        dry_run=False,
        user=state_admin,
    )
    assert not good.has_validation_errors() and not good.has_errors()
    assert Worker.objects.get().phone == "+919876543210"


WORKER_HEADERS = ["name", "phone", "role", "district", "assembly_seat", "booth", "blood_group", "is_active"]


def test_each_worker_row_is_written_by_the_service_in_the_importers_scope(dc_gaya, dc_patna):
    rows = [
        ["Gaya's own", "9876543201", "volunteer", "gaya", "", "", "", 1],
        ["Patna's", "9876543202", "volunteer", "patna", "", "", "", 1],
    ]
    result = WorkerResource().import_data(_dataset(WORKER_HEADERS, rows), dry_run=True, user=dc_gaya)
    assert _bad_rows(result) == {2}
    assert "You cannot add or change workers of this district." in _messages(result)
    assert not Worker.objects.exists()
    # A sheet imported again updates the worker named by his mobile: within the scope only.
    WorkerResource().import_data(_dataset(WORKER_HEADERS, rows[1:]), dry_run=False, user=dc_patna)
    moved = [["Patna's, renamed", "9876543202", "volunteer", "gaya", "", "", "", 1]]
    result = WorkerResource().import_data(_dataset(WORKER_HEADERS, moved), dry_run=False, user=dc_gaya)
    assert _bad_rows(result) == {1}
    assert "not in your scope" in _messages(result)
    assert Worker.objects.get().name == "Patna's"


def _upload(client, name, headers, rows):
    content = tablib.Dataset(*rows, headers=headers).export("csv").encode()
    formats = admin.site._registry[Worker].get_import_formats()
    return client.post(
        reverse(name),
        {
            "import_file": SimpleUploadedFile("sheet.csv", content),
            "format": str(formats.index(CSV)),
            "resource": "0",
        },
    )


def test_the_state_admin_imports_through_the_admin_pages(client_as, state_admin):
    client = client_as(state_admin)
    page = client.get(reverse("admin:geo_mandal_import"))
    assert page.status_code == 200 and 'name="import_file"' in page.content.decode()
    # Booths and workers: the admin's button leads to the background import of /imports/.
    for name, kind in [("admin:geo_booth_import", "booths"), ("admin:people_worker_import", "workers")]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"] == reverse("reports:import-upload", args=[kind])


def test_a_district_coordinator_has_no_admin(client_as, dc_patna):
    response = client_as(dc_patna).get(reverse("admin:geo_booth_import"))
    assert response.status_code == 302
