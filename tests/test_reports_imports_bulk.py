"""The bulk import of booths and workers (seva/reports/bulk.py, ``import_booths`` /
``import_workers``): checked whole, every bad row named, nothing written while any row is bad,
the same file twice changes nothing, and no query per row."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seva.base.spreadsheets import xlsx_workbook
from seva.geo.models import Booth, Mandal
from seva.people.models import Worker
from seva.reports.bulk import BoothImport, ImportFileError, WorkerImport
from tests.factories import BoothFactory, seat_in


def _csv(lines):
    return io.BytesIO(("\n".join(lines) + "\n").encode())


def _booths_csv(seat, count, name="School"):
    return _csv(
        ["assembly_seat,number,name,locality"]
        + [f"{seat},{n},{name} {n},Ward {n % 7}" for n in range(1, count + 1)]
    )


def test_booths_are_added_then_the_same_file_changes_nothing(db):
    seat = seat_in("patna").number
    first = BoothImport().run(_booths_csv(seat, 300), "csv")
    assert first.ok and len(first.added) == 300
    assert Booth.objects.filter(assembly_seat__number=seat).count() == 300
    stamp = list(Booth.objects.order_by("pk").values_list("pk", "name", "locality"))
    with CaptureQueriesContext(connection) as queries:
        again = BoothImport().run(_booths_csv(seat, 300), "csv")
    assert again.ok and again.added == [] and again.changed == [] and again.unchanged == 300
    assert list(Booth.objects.order_by("pk").values_list("pk", "name", "locality")) == stamp
    assert len(queries) < 10  # look-ups once, not per row


def test_a_changed_booth_is_updated_in_place(db):
    seat = seat_in("patna")
    booth = BoothFactory(assembly_seat=seat, number=5, name="Old name")
    Mandal.objects.create(assembly_seat=seat, name="Kumhrar")
    result = BoothImport().run(_csv(["विधानसभा,बूथ संख्या,नाम,मंडल", f"{seat.number},5,New name,kumhrar"]), "csv")
    assert result.ok and len(result.changed) == 1
    booth.refresh_from_db()
    assert booth.name == "New name" and booth.mandal.name == "Kumhrar"


def test_a_bad_booths_file_writes_nothing_and_names_every_bad_row(db):
    seat = seat_in("patna").number
    result = BoothImport().run(
        _csv(
            [
                "assembly_seat,number,name,mandal",
                f"{seat},1,Good booth,",
                "999,2,Unknown seat,",
                f"{seat},1,Same number twice,",
                f"{seat},x,Not a number,",
                f"{seat},4,,",
                f"{seat},5,Unknown mandal,Nowhere",
            ]
        ),
        "csv",
    )
    assert not result.ok
    assert {(error.line, error.column) for error in result.errors} == {
        (3, "assembly_seat"),
        (4, "number"),
        (5, "number"),
        (6, "name"),
        (7, "mandal"),
    }
    assert Booth.objects.count() == 0


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("assembly_seat,number,name,colour", "Unknown columns: colour"),
        ("assembly_seat,name", "Missing columns: number"),
    ],
)
def test_unknown_or_missing_columns_are_refused_before_any_row(db, header, message):
    with pytest.raises(ImportFileError, match=message):
        BoothImport().run(_csv([header, "1,2,3,4"]), "csv")


def test_an_empty_file_or_a_file_that_is_not_a_spreadsheet_is_refused(db):
    with pytest.raises(ImportFileError):
        BoothImport().run(io.BytesIO(b""), "csv")
    with pytest.raises(ImportFileError):
        BoothImport().run(io.BytesIO(b"not a zip"), "xlsx")


def test_booths_from_xlsx(db):
    seat = seat_in("gaya").number
    out = io.BytesIO(
        xlsx_workbook([("Booths", ["assembly_seat", "number", "name"], [[seat, 1, "=HYPERLINK(1)"]])])
    )
    assert BoothImport().run(out, "xlsx").ok
    assert Booth.objects.get(assembly_seat__number=seat, number=1).name == "=HYPERLINK(1)"


def test_a_formula_escaped_in_csv_is_stored_as_its_text(db):
    seat = seat_in("patna").number
    assert BoothImport().run(_csv(["assembly_seat,number,name", f"{seat},1,'=SUM(A1)"]), "csv").ok
    assert Booth.objects.get().name == "=SUM(A1)"


def test_a_coordinator_imports_only_into_his_district(db, dc_gaya):
    patna_seat = seat_in("patna").number
    result = BoothImport(dc_gaya).run(_booths_csv(patna_seat, 3), "csv")
    assert not result.ok and result.error_count == 3
    assert Booth.objects.count() == 0
    assert BoothImport(dc_gaya).run(_booths_csv(seat_in("gaya").number, 3), "csv").ok


def _workers_csv(rows):
    return _csv(["name,phone,district,assembly_seat,booth,role,is_active", *rows])


def test_workers_are_added_by_mobile_and_a_second_run_changes_nothing(db):
    seat = seat_in("patna")
    BoothFactory(assembly_seat=seat, number=7)
    rows = [f"Worker {n},98{n:08d},patna,{seat.number},{seat.number}-7,volunteer,yes" for n in range(200)]
    first = WorkerImport().run(_workers_csv(rows), "csv")
    assert first.ok, first.errors[:3]
    assert Worker.objects.count() == 200 and Worker.objects.filter(booth__number=7).count() == 200
    assert Worker.history.count() == 200  # the history is kept, in bulk
    with CaptureQueriesContext(connection) as queries:
        again = WorkerImport().run(_workers_csv(rows), "csv")
    assert again.ok and again.unchanged == 200 and not again.added and not again.changed
    assert len(queries) < 10
    assert Worker.history.count() == 200


def test_a_worker_row_changes_the_stored_worker_with_that_number(db):
    WorkerImport().run(_workers_csv(["Old,+91 98123 45678,patna,,,volunteer,yes"]), "csv")
    result = WorkerImport().run(_workers_csv(["New,09812345678,patna,,,volunteer,no"]), "csv")
    assert result.ok and len(result.changed) == 1
    stored = Worker.objects.get()
    assert (stored.name, str(stored.phone), stored.is_active) == ("New", "+919812345678", False)
    assert list(stored.history.order_by("history_id").values_list("history_type", "name")) == [
        ("+", "Old"),
        ("~", "New"),
    ]


def test_consent_set_or_changed_by_a_sheet_is_recorded_as_the_pages_record_it(db, state_staff):
    from seva.privacy.models import ConsentRecord

    def sheet(*rows):
        return _csv(["name,phone,district,consent_to_contact,consent_date", *rows])

    first = WorkerImport(user=state_staff).run(
        sheet("Asha,9812345671,patna,yes,2021-05-01", "Binod,9812345672,patna,no,"), "csv"
    )
    assert first.ok, first.errors[:3]
    asha, binod = Worker.objects.get(name="Asha"), Worker.objects.get(name="Binod")
    given = ConsentRecord.objects.get()
    assert (given.subject_kind, given.subject_id, given.given) == ("worker", asha.pk, True)
    assert given.recorded_by == state_staff and given.notice is not None
    # Asha withdraws, Binod gives it, a third is new without consent: two records more.
    with CaptureQueriesContext(connection) as queries:
        second = WorkerImport(user=state_staff).run(
            sheet(
                "Asha,9812345671,patna,no,",
                "Binod,9812345672,patna,yes,2021-05-02",
                "Chandan,9812345673,patna,no,",
            ),
            "csv",
        )
    assert second.ok and len(second.changed) == 2 and len(second.added) == 1
    assert len(queries) < 20
    assert sorted(ConsentRecord.objects.values_list("subject_id", "given")) == sorted(
        [(asha.pk, True), (asha.pk, False), (binod.pk, True)]
    )
    # The same sheet again records nothing.
    WorkerImport(user=state_staff).run(
        sheet(
            "Asha,9812345671,patna,no,",
            "Binod,9812345672,patna,yes,2021-05-02",
            "Chandan,9812345673,patna,no,",
        ),
        "csv",
    )
    assert ConsentRecord.objects.count() == 3


def test_a_bad_workers_file_writes_nothing(db):
    rows = [
        "Good,9812345678,patna,,,volunteer,yes",
        "Bad phone,12345,patna,,,volunteer,yes",
        "Bad district,9812345679,atlantis,,,volunteer,yes",
        f"Seat elsewhere,9812345670,patna,{seat_in('gaya').number},,volunteer,yes",
        "Same number,9812345678,patna,,,volunteer,yes",
        "Bad role,9812345671,patna,,,king,yes",
        "Bad yes,9812345672,patna,,,volunteer,perhaps",
    ]
    result = WorkerImport().run(_workers_csv(rows), "csv")
    assert [(error.line, error.column) for error in result.errors] == [
        (3, "phone"),
        (4, "district"),
        (5, "assembly_seat"),
        (6, "phone"),
        (7, "role"),
        (8, "is_active"),
    ]
    assert Worker.objects.count() == 0


def test_a_coordinator_cannot_import_workers_of_another_district(db, dc_gaya):
    result = WorkerImport(dc_gaya).run(_workers_csv(["Patna man,9812345678,patna,,,volunteer,yes"]), "csv")
    assert not result.ok and Worker.objects.count() == 0


def test_the_commands_check_then_write(db, tmp_path):
    seat = seat_in("patna").number
    good = tmp_path / "booths.csv"
    good.write_bytes(_booths_csv(seat, 20).getvalue())
    out = io.StringIO()
    call_command("import_booths", str(good), stdout=out)
    assert "20 were added" in out.getvalue() and Booth.objects.count() == 20
    bad = tmp_path / "bad.csv"
    bad.write_text("assembly_seat,number,name\n999,1,x\n")
    with pytest.raises(CommandError, match="1 bad rows"):
        call_command("import_booths", str(bad), stderr=io.StringIO())
    workers = tmp_path / "workers.csv"
    workers.write_bytes(_workers_csv(["A,9812345678,patna,,,volunteer,yes"]).getvalue())
    call_command("import_workers", str(workers), stdout=io.StringIO())
    assert Worker.objects.count() == 1


def test_mandals_then_booths_naming_them(db):
    from seva.reports.bulk import MandalImport

    seat = seat_in("patna").number
    text = ["assembly_seat,name", f"{seat},Kumhrar", f"{seat},Bankipur"]
    assert len(MandalImport().run(_csv(text), "csv").added) == 2
    again = MandalImport().run(_csv(text), "csv")
    assert again.ok and again.unchanged == 2 and not again.added
    bad = MandalImport().run(
        _csv(["assembly_seat,name", "999,X", f"{seat},Kumhrar", f"{seat},kumhrar"]), "csv"
    )
    assert [(e.line, e.column) for e in bad.errors] == [(2, "assembly_seat"), (4, "name")]
    assert (
        BoothImport().run(_csv(["assembly_seat,number,name,mandal", f"{seat},1,School,Bankipur"]), "csv").ok
    )
    assert Booth.objects.get().mandal.name == "Bankipur"


def test_the_jobs_progress_is_written_while_the_file_is_checked(db, state_staff, monkeypatch):
    from seva.reports import bulk, imports_jobs
    from seva.reports.models import ImportJob, ImportStatus

    monkeypatch.setattr(bulk, "BATCH", 10)
    seen = []
    real = imports_jobs._progress

    def spy(job_id):
        update = real(job_id)

        def record(done):
            update(done)
            seen.append(ImportJob.objects.get(pk=job_id).rows_done)

        return record

    monkeypatch.setattr(imports_jobs, "_progress", spy)
    job = ImportJob.objects.create(
        kind="booths",
        file_name="b.csv",
        file_format="csv",
        content=_booths_csv(seat_in("patna").number, 35).getvalue(),
        created_by=state_staff,
    )
    assert imports_jobs.check_job(job.pk) == ImportStatus.READY
    assert seen == [10, 20, 30]
    job.refresh_from_db()
    assert (job.rows_total, job.added) == (35, 35)
