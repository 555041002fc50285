"""The report centre: asking for a report, its build and progress, who may download it, the
expiry job, the printable pages; and the state pack's figures equal to the dashboard's."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from openpyxl import load_workbook

from seva.monitoring import selectors as dashboard
from seva.reports.builders import state_pack_figures
from seva.reports.centre_services import reports_delete_expired
from seva.reports.models import ExportLog, ReportFile
from seva.reports.tasks import delete_expired_reports
from tasks17.models import Metric, Target
from tasks17.selectors import Period, campaign_period
from tests.factories import district
from tests.factories_tasks import campaign_around_today, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Report files in a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


CENTRE = "/reports/"


@pytest.fixture
def seeded_state(dc_patna, dc_gaya):
    """Two districts with targets for masks and reports against them, one of them behind."""
    campaign_around_today(days_before=20, days_after=40)
    today = timezone.localdate()
    masks = Metric.objects.get(task__code="masks-sanitiser", code="masks")
    for code, value in (("patna", 1000), ("gaya", 5000)):
        Target.objects.create(
            task=masks.task,
            metric=masks,
            district=district(code),
            period_start=today - datetime.timedelta(days=20),
            period_end=today + datetime.timedelta(days=40),
            value=value,
        )
    report(dc_patna, values={"masks": 400, "sanitiser": 10}, days_ago=1)
    report(dc_patna, values={"masks": 150, "sanitiser": 3}, days_ago=5)
    report(dc_gaya, code="gaya", values={"masks": 90, "sanitiser": 1}, days_ago=2)
    return Period(today - datetime.timedelta(days=20), today)


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """POST to the centre and run what waits for the commit (the Celery task, eager here)."""

    def post(client, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(CENTRE, {"kind": "state_pack", **data})

    return post


def test_the_pack_figures_equal_the_dashboards(seeded_state):
    period = seeded_state
    board = dashboard.state_dashboard(period=period)
    pack = state_pack_figures(period=period, today=board.today)
    tasks = [block.task for block in board.tasks]
    assert [t.pk for t in pack.tasks] == [t.pk for t in tasks]
    compared = 0
    for row in board.districts:
        for task_, cell in zip(tasks, row.cells, strict=True):
            assert pack.achieved.get((row.district.pk, task_.pk)) == cell.achieved
            assert pack.behind.get((row.district.pk, task_.pk), False) == cell.behind
            compared += cell.achieved is not None
    assert compared == 2
    for block in board.tasks:
        for line in block.metrics:
            mine = pack.state_metrics[line.metric.pk]
            assert (mine.reported, mine.verified, mine.target, mine.achieved) == (
                line.reported,
                line.verified,
                line.target,
                line.achieved,
            )
    laggards = {(row.district.code, row.task.code) for row in pack.laggards}
    assert ("gaya", "masks-sanitiser") in laggards


def test_state_staff_ask_for_the_pack_and_download_it(ask, client_as, state_staff, seeded_state):
    client = client_as(state_staff)
    response = ask(client)
    assert response.status_code == 302
    built = ReportFile.objects.get()
    # Celery runs in-process in the tests (eager), as with `make run` without Redis.
    assert (built.status, built.progress, built.requested_by) == ("ready", 100, state_staff)
    page = client.get(CENTRE).content.decode()
    assert f"/reports/files/{built.pk}/download/" in page
    download = client.get(f"/reports/files/{built.pk}/download/")
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert len(book.sheetnames) == 1 + len(dashboard.active_tasks())
    summary = book[book.sheetnames[0]]
    assert summary.freeze_panes == "A2"
    assert summary["A1"].value.endswith(" / District")  # Hindi and English headings
    assert "\u093f\u0932\u093e" in summary["A1"].value  # (ज़)िला
    assert summary.column_dimensions["A"].width == 24
    board = dashboard.state_dashboard(period=campaign_period())
    masks_column = 1 + [b.task.code for b in board.tasks].index("masks-sanitiser") + 1
    patna_row = next(row for row in board.districts if row.district.code == "patna")
    patna_cell = next(
        cells for cells in summary.iter_rows(min_row=3, values_only=True) if cells[0] and "Patna" in cells[0]
    )
    assert patna_cell[masks_column - 1] == pytest.approx(patna_row.cells[masks_column - 2].achieved)
    assert ExportLog.objects.filter(what="state pack", user=state_staff).exists()


def test_only_the_asker_and_state_admins_may_download(ask, client_as, state_staff, state_admin, dc_patna):
    ask(client_as(dc_patna), kind="district", district="patna")
    built = ReportFile.objects.get()
    assert built.status == "ready"
    url = f"/reports/files/{built.pk}/download/"
    assert client_as(dc_patna).get(url).status_code == 200
    assert client_as(state_staff).get(url).status_code == 404
    assert client_as(state_admin).get(url).status_code == 200
    assert client_as(state_staff).get(f"/reports/files/{built.pk}/").status_code == 404


def test_a_coordinator_may_not_ask_for_another_district_or_the_state_pack(client_as, dc_gaya):
    client = client_as(dc_gaya)
    response = client.post(CENTRE, {"kind": "district", "district": "patna"})
    assert response.status_code == 200
    assert "district" in response.context["form"].errors
    response = client.post(CENTRE, {"kind": "state_pack"})
    assert "kind" in response.context["form"].errors
    assert not ReportFile.objects.exists()
    assert client.get("/reports/districts/patna/").status_code == 404
    assert client.get("/reports/state-pack/").status_code == 404


def test_the_register_is_built_as_xlsx_with_its_rows(ask, client_as, state_admin, dc_patna):
    report(dc_patna, notes="=1+1")
    ask(client_as(state_admin), kind="register")
    built = ReportFile.objects.get()
    assert built.status == "ready", built.error
    book = load_workbook(built.file.open("rb"))
    sheet = book[book.sheetnames[0]]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    notes = rows[0].index("notes")
    assert rows[1][notes] == "=1+1"
    assert sheet.cell(row=2, column=notes + 1).data_type == "s"  # text, not a formula


def test_the_progress_fragment_polls_until_the_file_is_ready(client_as, state_staff):
    queued = ReportFile.objects.create(
        requested_by=state_staff, kind="state_pack", progress=40, status="building"
    )
    html = client_as(state_staff).get(f"/reports/files/{queued.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert 'value="40"' in html
    ReportFile.objects.filter(pk=queued.pk).update(status="ready", progress=100)
    html = client_as(state_staff).get(f"/reports/files/{queued.pk}/").content.decode()
    assert "hx-trigger" not in html
    assert "/download/" in html


def test_a_failed_build_says_so(ask, client_as, state_staff, monkeypatch):
    from seva.reports import builders

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(builders, "state_pack_figures", broken)
    ask(client_as(state_staff))
    built = ReportFile.objects.get()
    assert (built.status, built.error) == ("failed", "disk full")
    assert "could not be built" in client_as(state_staff).get(CENTRE).content.decode()


def test_the_expiry_job_deletes_old_files_and_keeps_new_ones(state_staff):
    old = ReportFile.objects.create(requested_by=state_staff, kind="state_pack", status="ready")
    old.file.save("old.xlsx", ContentFile(b"old"))
    ReportFile.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    new = ReportFile.objects.create(requested_by=state_staff, kind="state_pack", status="ready")
    storage, name = old.file.storage, old.file.name
    assert storage.exists(name)
    assert delete_expired_reports.delay().get() == 1
    assert list(ReportFile.objects.all()) == [new]
    assert not storage.exists(name)
    assert reports_delete_expired() == 0


def test_files_are_kept_for_the_set_number_of_days(state_staff, settings):
    settings.SEVA_REPORT_KEEP_DAYS = 3
    made = ReportFile.objects.create(requested_by=state_staff, kind="state_pack")
    assert (made.expires_at - timezone.now()).days == 2  # 3 days less the instant since


def test_the_printable_pages_show_the_figures(client_as, state_staff, dc_patna, seeded_state):
    html = client_as(state_staff).get("/reports/state-pack/").content.decode()
    assert "Patna" in html and "55%" in html  # 550 masks of 1,000
    html = client_as(dc_patna).get("/reports/districts/patna/").content.decode()
    assert "550" in html
    assert "reports.css" in html


def test_the_menu_shows_the_centre_to_those_allowed(client_as, state_staff, helpline_patna):
    assert 'href="/reports/"' in client_as(state_staff).get("/").content.decode()
    assert 'href="/reports/"' not in client_as(helpline_patna).get("/").content.decode()
    assert client_as(helpline_patna).get(CENTRE).status_code == 403
