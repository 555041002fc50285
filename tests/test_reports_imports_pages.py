"""The /imports/ pages: upload → check (every bad row listed, or what would change) → confirm →
a background job whose progress the page polls; permission and scope; exports logged."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from seva.geo.models import Booth
from seva.people.models import Worker
from seva.reports.models import ExportLog, ImportJob, ImportStatus
from tests.factories import BoothFactory, seat_in


@pytest.fixture(autouse=True)
def _on_commit_at_once(monkeypatch):
    """The test's transaction never commits: run what waits for the commit (the job's task) at
    once, as the commit would."""
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())


def _upload(client, kind, text, name="file.csv"):
    return client.post(
        reverse("reports:import-upload", args=[kind]), {"file": SimpleUploadedFile(name, text.encode())}
    )


def _booths(seat, count):
    return "assembly_seat,number,name\n" + "".join(f"{seat},{n},Booth {n}\n" for n in range(1, count + 1))


def test_state_staff_upload_booths_see_the_preview_confirm_and_see_it_done(client_as, state_staff):
    client = client_as(state_staff)
    seat = seat_in("patna").number
    index = client.get(reverse("reports:imports"))
    assert index.status_code == 200 and b'data-testid="import-booths"' in index.content
    response = _upload(client, "booths", _booths(seat, 30))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:import-job", args=[job.pk]
    )
    page = client.get(response["Location"])
    assert job.__class__.objects.get().status == ImportStatus.READY
    assert "30 will be added" in page.content.decode() and Booth.objects.count() == 0
    client.post(reverse("reports:import-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.rows_done == 30 and job.content == b""
    assert Booth.objects.count() == 30
    fragment = client.get(reverse("reports:import-job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert b'data-status="done"' in fragment.content and b"hx-trigger" not in fragment.content
    # A second click does not import again.
    client.post(reverse("reports:import-confirm", args=[job.pk]))
    assert ImportJob.objects.get().status == ImportStatus.DONE


def test_a_file_with_bad_rows_lists_them_and_cannot_be_confirmed(client_as, state_staff):
    client = client_as(state_staff)
    seat = seat_in("patna").number
    _upload(client, "booths", f"assembly_seat,number,name\n{seat},1,Good\n999,2,Bad seat\n{seat},1,Twice\n")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID and job.error_count == 2
    page = client.get(reverse("reports:import-job", args=[job.pk])).content.decode()
    assert "No assembly seat number “999”" in page and "also on line 2" in page
    assert 'data-testid="confirm"' not in page
    client.post(reverse("reports:import-confirm", args=[job.pk]))
    assert Booth.objects.count() == 0


def test_the_checking_page_polls_until_checked(client_as, state_staff):
    job = ImportJob.objects.create(
        kind="booths", file_name="b.csv", file_format="csv", created_by=state_staff
    )
    ImportJob.objects.filter(pk=job.pk).update(rows_done=5000)
    fragment = client_as(state_staff).get(
        reverse("reports:import-job", args=[job.pk]), HTTP_HX_REQUEST="true"
    )
    text = fragment.content.decode()
    assert 'hx-trigger="every 2s"' in text and "5,000 rows so far" in text


@override_settings(SEVA_IMPORT_MAX_BYTES=100)
def test_a_file_too_large_not_a_spreadsheet_empty_or_with_unknown_columns_is_refused(client_as, state_staff):
    client = client_as(state_staff)
    for name, text, message in [
        ("big.csv", "x" * 101, "at most 100"),
        ("booths.pdf", "a,b", "Upload a CSV or XLSX file"),
        ("empty.csv", "", "empty"),
        ("cols.csv", "assembly_seat,number,colour\n", "Unknown columns: colour"),
        ("cols.csv", "assembly_seat,number\n", "Missing columns: name"),
    ]:
        response = _upload(client, "booths", text, name)
        assert response.status_code == 200 and message in response.content.decode(), name
    assert ImportJob.objects.count() == 0


def test_the_page_speaks_hindi(client_as, state_staff):
    client = client_as(state_staff)
    response = client.get(reverse("reports:import-upload", args=["booths"]), HTTP_ACCEPT_LANGUAGE="hi")
    client.cookies["django_language"] = "hi"
    response = client.get(reverse("reports:import-upload", args=["booths"]))
    assert re.search(r"[\u0900-\u097F]{3,}", response.content.decode())


def test_who_may_import_is_who_may_add_and_change(client_as, dc_patna, helpline_patna):
    # A coordinator adds workers, not booths.
    client = client_as(dc_patna)
    assert client.get(reverse("reports:import-upload", args=["workers"])).status_code == 200
    assert client.get(reverse("reports:import-upload", args=["booths"])).status_code == 403
    assert (
        client_as(helpline_patna).get(reverse("reports:import-upload", args=["workers"])).status_code == 403
    )


def test_a_gaya_coordinator_imports_no_patna_worker(client_as, dc_gaya):
    client = client_as(dc_gaya)
    _upload(client, "workers", "name,phone,district\nRam,9812345678,patna\n")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID and Worker.objects.count() == 0
    _upload(client, "workers", "नाम,मोबाइल नंबर,जिला\nश्याम,9812345679,gaya\n")
    job = ImportJob.objects.order_by("-pk").first()
    assert job.status == ImportStatus.READY
    client.post(reverse("reports:import-confirm", args=[job.pk]))
    assert Worker.objects.get().name == "श्याम"


def test_another_users_job_does_not_exist(client_as, state_staff, dc_gaya):
    job = ImportJob.objects.create(
        kind="booths", file_name="b.csv", file_format="csv", created_by=state_staff
    )
    assert client_as(dc_gaya).get(reverse("reports:import-job", args=[job.pk])).status_code == 404


def test_the_export_respects_scope_is_logged_and_imports_back_unchanged(client_as, state_admin, dc_gaya):
    patna, gaya = seat_in("patna"), seat_in("gaya")
    BoothFactory(assembly_seat=patna, number=1, name="=cmd|' /C calc'!A0")
    BoothFactory(assembly_seat=gaya, number=2, name="Gaya booth")
    response = client_as(dc_gaya).get(reverse("reports:import-export", args=["booths"]) + "?format=csv")
    text = response.content.decode("utf-8-sig")
    assert "Gaya booth" in text and "calc" not in text
    log = ExportLog.objects.get()
    assert (log.user, log.what, log.file_format, log.rows) == (dc_gaya, "booths", "csv", 1)
    client = client_as(state_admin)
    text = client.get(reverse("reports:import-export", args=["booths"]) + "?format=csv").content.decode(
        "utf-8-sig"
    )
    assert "'=cmd" in text  # escaped on the way out
    _upload(client, "booths", text)
    job = ImportJob.objects.get()
    assert (job.status, job.added, job.changed, job.unchanged) == (ImportStatus.READY, 0, 0, 2)
    assert Booth.objects.get(number=1).name == "=cmd|' /C calc'!A0"
    hindi = client.get(reverse("reports:import-export", args=["booths"]) + "?format=xlsx&headers=hi")
    assert hindi.status_code == 200 and ExportLog.objects.count() == 3


def test_with_the_broker_down_the_upload_is_checked_in_the_request(client_as, state_admin, monkeypatch):
    """A broker outage must not leave the job waiting for nobody, nor answer a 500."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from seva.celery import app
    from seva.reports import tasks
    from seva.reports.models import ImportJob
    from tests.factories import seat_in

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.check_import, "delay", broker_down)
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())
    app.conf.task_always_eager = False  # conftest's fixture puts it back
    seat = seat_in("patna").number
    upload = SimpleUploadedFile("booths.csv", f"assembly_seat,number,name\n{seat},1,Booth 1\n".encode())
    response = client_as(state_admin).post("/imports/booths/", {"file": upload})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == "ready"
