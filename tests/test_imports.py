"""Bulk imports are checked whole: with any bad row nothing is written, every bad row is named."""

import tablib
from django.urls import reverse

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


def test_worker_import_normalises_mobiles_and_rejects_bad_ones(db):
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
    )
    assert _bad_rows(bad) == {2, 3}
    assert "10 digits" in _messages(bad)
    assert not Worker.objects.exists()
    good = WorkerResource().import_data(
        _dataset(headers, [["Ok", "98765 43210", "volunteer", "patna", seat.number, "", "O+", 1]]),
        dry_run=False,
    )
    assert not good.has_validation_errors() and not good.has_errors()
    assert Worker.objects.get().phone == "+919876543210"


def test_the_state_admin_reaches_the_import_pages(client_as, state_admin):
    client = client_as(state_admin)
    for name in ["admin:geo_booth_import", "admin:geo_mandal_import", "admin:people_worker_import"]:
        assert client.get(reverse(name)).status_code == 200


def test_a_district_coordinator_has_no_admin(client_as, dc_patna):
    response = client_as(dc_patna).get(reverse("admin:geo_booth_import"))
    assert response.status_code == 302
