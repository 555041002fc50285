"""The bulk import's background job and its pages: upload → job → progress → result."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from seva.geo.models import AssemblySeat, Booth
from seva.reports.imports_models import ImportJob
from seva.reports.imports_tasks import job_progress


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _file(rows, name="booths.csv"):
    return SimpleUploadedFile(name, ("assembly_seat,number,name\n" + rows).encode(), content_type="text/csv")


def _seat(code):
    return AssemblySeat.objects.filter(district__code=code).order_by("number").first()


def test_state_staff_upload_booths_and_the_job_writes_them(
    client_as, state_admin, media, django_capture_on_commit_callbacks
):
    seat = _seat("patna")
    client = client_as(state_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:bulk-upload", args=["booths"]),
            {"file": _file(f"{seat.number},1,A\n{seat.number},2,B\n")},
        )
    check = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:import-job", args=[check.pk])
    assert check.status == "checked" and (check.rows_total, check.created) == (2, 2)
    assert not Booth.objects.exists()  # the preview writes nothing
    assert "2 will be added" in client.get(response.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:import-confirm", args=[check.pk]))
    job = ImportJob.objects.exclude(pk=check.pk).get()
    assert response.url == reverse("reports:import-job", args=[job.pk])
    assert job.status == "done" and (job.rows_total, job.created, job.rows_done) == (2, 2, 2)
    assert Booth.objects.filter(assembly_seat=seat).count() == 2
    page = client.get(response.url)
    assert "2 added" in page.content.decode()
    assert job_progress(job) == (2, 2)


def test_a_bad_file_fails_the_job_lists_the_rows_and_writes_nothing(
    client_as, state_admin, media, django_capture_on_commit_callbacks
):
    seat = _seat("patna")
    client = client_as(state_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reports:bulk-upload", args=["booths"]), {"file": _file(f"{seat.number},1,A\n999,1,B\n")}
        )
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.error_count == 1 and job.errors[0][0] == 3
    assert not Booth.objects.exists()
    page = client.get(reverse("reports:import-job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "999" in page.content.decode() and "hx-trigger" not in page.content.decode()


def test_a_running_job_polls_and_shows_progress(client_as, state_admin, media):
    job = ImportJob.objects.create(kind="booths", file_name="b.csv", user=state_admin, status="running")
    from django.core.cache import cache

    from seva.reports.imports_tasks import progress_key

    cache.set(progress_key(job.pk), (5000, 20000))
    page = client_as(state_admin).get(reverse("reports:import-job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="5000"' in page


def test_a_gaya_coordinator_cannot_import_patna_booths(
    client_as, dc_gaya, media, django_capture_on_commit_callbacks
):
    if not dc_gaya.has_perms(("geo.add_booth", "geo.change_booth")):
        response = client_as(dc_gaya).post(
            reverse("reports:bulk-upload", args=["booths"]), {"file": _file(f"{_seat('patna').number},1,A\n")}
        )
        assert response.status_code == 403
    else:
        with django_capture_on_commit_callbacks(execute=True):
            client_as(dc_gaya).post(
                reverse("reports:bulk-upload", args=["booths"]),
                {"file": _file(f"{_seat('patna').number},1,A\n")},
            )
        assert ImportJob.objects.get().status == "failed"
    assert not Booth.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("b.txt", b"a", "CSV or XLSX"), ("b.csv", b"", "empty")],
)
def test_bad_uploads_get_a_message_and_no_job(client_as, state_admin, media, name, content, message):
    response = client_as(state_admin).post(
        reverse("reports:bulk-upload", args=["booths"]), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client_as, state_admin, media, settings):
    settings.SEVA_IMPORT_MAX_BYTES = 10
    response = client_as(state_admin).post(
        reverse("reports:bulk-upload", args=["booths"]),
        {"file": _file("1,1,Long enough to pass ten bytes\n")},
    )
    assert "larger than" in response.content.decode() and not ImportJob.objects.exists()


def test_someone_else_job_is_a_404(client_as, state_admin, state_staff, media):
    job = ImportJob.objects.create(kind="booths", file_name="b.csv", user=state_admin)
    assert client_as(state_staff).get(reverse("reports:import-job", args=[job.pk])).status_code == 404


def test_a_gaya_coordinator_cannot_import_patna_workers(
    client_as, dc_gaya, media, django_capture_on_commit_callbacks
):
    from seva.people.models import Worker

    client = client_as(dc_gaya)
    assert "Import Workers" in client.get(reverse("reports:import-index")).content.decode()
    upload = SimpleUploadedFile("w.csv", b"name,phone,district\nAsha,9876543210,patna\n")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:bulk-upload", args=["workers"]), {"file": upload})
    job = ImportJob.objects.get()
    assert job.status == "failed" and "outside" in job.errors[0][1]
    assert not Worker.objects.exists()


def test_the_menu_shows_imports_to_those_who_may_import(client_as, state_admin, helpline_patna):
    from seva.navigation import menu_links

    assert "imports" in [link.key for link in menu_links(state_admin)]
    assert "imports" not in [link.key for link in menu_links(helpline_patna)]
