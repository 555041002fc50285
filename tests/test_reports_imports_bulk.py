"""The bulk import of booths and workers (seva/reports/bulk.py, ``import_booths`` and
``import_workers``): checked whole, all-or-nothing, idempotent, no query per row."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from seva.geo.models import AssemblySeat, Booth
from seva.people.models import Worker
from seva.reports.bulk import BulkImportError, import_booths, import_workers


def _csv(tmp_path, text, name="rows.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _seat(code):
    return AssemblySeat.objects.filter(district__code=code).order_by("number").first()


def _booth_rows(seat, n):
    return "".join(f"{seat.number},{i},Booth {i},Ward {i}\n" for i in range(1, n + 1))


def test_booths_are_written_once_and_a_second_run_changes_nothing(db, tmp_path):
    seat = _seat("patna")
    path = _csv(tmp_path, "assembly_seat,number,name,locality\n" + _booth_rows(seat, 30))
    first = import_booths(path)
    assert first.ok and (first.created, first.changed) == (30, 0)
    assert Booth.objects.filter(assembly_seat=seat).count() == 30
    second = import_booths(path)
    assert (second.created, second.changed, second.unchanged) == (0, 0, 30)
    changed = _csv(tmp_path, "assembly_seat,number,name\n" + f"{seat.number},3,Renamed\n", "b.csv")
    third = import_booths(changed)
    assert (third.created, third.changed) == (0, 1)
    assert Booth.objects.get(assembly_seat=seat, number=3).name == "Renamed"


def test_a_bad_row_anywhere_writes_nothing_and_each_bad_row_is_named(db, tmp_path):
    seat = _seat("patna")
    gaya = _seat("gaya")
    text = (
        "assembly_seat,number,name,locality,district\n"
        + _booth_rows(seat, 5).replace("\n", ",patna\n")
        + "999,1,Nowhere,,\n"  # line 7: no such seat
        + f"{seat.number},2,Twice,,patna\n"  # line 8: duplicate number in the seat
        + f"{gaya.number},1,Elsewhere,,patna\n"  # line 9: seat not in that district
        + f"{seat.number},x,Bad number,,\n"  # line 10
        + f"{seat.number},11,,,\n"  # line 11: no name
    )
    result = import_booths(_csv(tmp_path, text))
    assert not result.ok
    lines = dict(result.errors)
    assert set(lines) == {7, 8, 9, 10, 11}
    assert "999" in lines[7] and "line 3" in lines[8] and "patna" in lines[9]
    assert Booth.objects.filter(assembly_seat=seat).count() == 0


def test_missing_unknown_columns_empty_file_and_other_formats_are_refused(db, tmp_path):
    with pytest.raises(BulkImportError, match="Missing columns: name"):
        import_booths(_csv(tmp_path, "assembly_seat,number\n1,1\n"))
    with pytest.raises(BulkImportError, match="Unknown columns: colour"):
        import_booths(_csv(tmp_path, "assembly_seat,number,name,colour\n1,1,A,red\n"))
    with pytest.raises(BulkImportError, match="empty"):
        import_booths(_csv(tmp_path, ""))
    with pytest.raises(BulkImportError, match="CSV or XLSX"):
        import_booths(_csv(tmp_path, "a,b\n", "rows.txt"))


def test_the_queries_do_not_grow_with_the_rows(db, tmp_path):
    seat = _seat("patna")
    counts = []
    for n in (10, 200):
        Booth.objects.all().delete()
        path = _csv(tmp_path, "assembly_seat,number,name\n" + _booth_rows(seat, n).replace(",Ward", ";Ward"))
        with CaptureQueriesContext(connection) as queries:
            assert import_booths(path).ok
        counts.append(len(queries))
    # The look-ups are loaded once; the writes go in batches (SQLite caps a statement's
    # parameters, so 200 rows may take two INSERTs), never one query a row.
    assert counts[1] <= counts[0] + 2 and counts[1] < 20


def test_a_formula_like_cell_is_stored_as_text(db, tmp_path):
    seat = _seat("patna")
    path = _csv(tmp_path, f'assembly_seat,number,name\n{seat.number},1,\'=HYPERLINK("x")\n')
    assert import_booths(path).ok
    assert Booth.objects.get(assembly_seat=seat, number=1).name == '=HYPERLINK("x")'


def test_xlsx_booths_are_read_too(db, tmp_path):
    seat = _seat("gaya")
    book = Workbook()
    book.active.append(["Assembly seat", "Number", "Name"])
    book.active.append([seat.number, 7, "Booth seven"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    assert import_booths(buffer, name="booths.xlsx").created == 1
    assert Booth.objects.filter(assembly_seat=seat, number=7).exists()


def test_a_coordinator_cannot_import_into_another_district(db, tmp_path, gaya):
    seat = _seat("patna")
    path = _csv(tmp_path, f"assembly_seat,number,name\n{seat.number},1,A\n")
    result = import_booths(path, district_ids={gaya.id})
    assert not result.ok and "outside" in result.errors[0][1]
    assert not Booth.objects.exists()


def test_workers_by_mobile_number_idempotent_and_checked(db, tmp_path):
    seat = _seat("patna")
    import_booths(_csv(tmp_path, "assembly_seat,number,name\n" + _booth_rows(seat, 3), "b.csv"))
    text = (
        "name,phone,district,assembly_seat,booth,role,blood_group\n"
        f"Asha,98765 43210,patna,{seat.number},2,booth_president,O+\n"
        "Ravi,+91 91234 56789,patna,,,,\n"
    )
    path = _csv(tmp_path, text)
    assert import_workers(path).created == 2
    asha = Worker.objects.get(phone="+919876543210")
    assert asha.booth.number == 2 and asha.assembly_seat == seat and asha.role == "booth_president"
    again = import_workers(path)
    assert (again.created, again.changed, again.unchanged) == (0, 0, 2)
    bad = _csv(
        tmp_path,
        "name,phone,district,assembly_seat,booth\n"
        "A,12345,patna,,\n"
        f"B,9000000001,gaya,{seat.number},\n"
        "C,9000000002,nowhere,,\n"
        "D,9000000002,patna,,\n"
        f"E,9000000003,patna,{seat.number},99\n",
        "bad.csv",
    )
    result = import_workers(bad)
    assert {line for line, _ in result.errors} == {2, 3, 4, 5, 6}
    assert Worker.objects.count() == 2


def test_the_commands_report_and_fail_on_bad_rows(db, tmp_path, capsys):
    seat = _seat("patna")
    good = _csv(tmp_path, "assembly_seat,number,name\n" + _booth_rows(seat, 4).replace(",Ward", ";W"))
    call_command("import_booths", str(good), "--dry-run")
    assert not Booth.objects.exists()
    call_command("import_booths", str(good))
    assert "4 were added" in capsys.readouterr().out and Booth.objects.count() == 4
    bad = _csv(tmp_path, "name,phone,district\nA,1,patna\n", "w.csv")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_workers", str(bad))
