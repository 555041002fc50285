"""In a real browser: state staff at desktop size ask for the state pack at /reports/, watch
its progress bar move, download the file, and the workbook holds the expected sheets and the
dashboard's figure."""

import datetime
import threading
import time

import pytest
from django.db import connections
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from seva.monitoring import selectors as dashboard
from seva.people.choices import PortalRole
from seva.people.services import user_create
from seva.reports import builders, tasks
from seva.reports.centre_services import report_build
from tasks17.models import Metric, Target
from tasks17.selectors import campaign_period
from tests.browser import PASSWORD, screenshot, sign_in
from tests.factories import district
from tests.factories_tasks import campaign_around_today, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Report files in a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def worker(monkeypatch):
    """A Celery worker stand-in: the build starts a moment after the page has answered, in
    another thread, and each step of the workbook takes a little time, so the progress bar is
    seen moving (eager Celery would build it inside the request)."""

    def build(report_id):
        try:
            report_build(report_id=report_id)
        finally:
            connections.close_all()  # this thread's own, so the test database can be dropped

    monkeypatch.setattr(
        tasks.build_report, "delay", lambda report_id: threading.Timer(1.0, build, args=[report_id]).start()
    )
    real = builders.state_pack_xlsx

    def slow(pack, out, on_progress=builders._no_progress):
        def step(percent):
            on_progress(percent)
            time.sleep(0.6)

        return real(pack, out, step)

    monkeypatch.setattr(builders, "state_pack_xlsx", slow)


def test_state_staff_build_and_download_the_state_pack(chromium, live_server, coordinator, worker, tmp_path):
    user_create(username="state_b", password=PASSWORD, role=PortalRole.STATE_STAFF)
    campaign_around_today(days_before=10, days_after=50)
    masks = Metric.objects.get(task__code="masks-sanitiser", code="masks")
    today = timezone.localdate()
    Target.objects.create(
        task=masks.task,
        metric=masks,
        district=district("patna"),
        period_start=today - datetime.timedelta(days=10),
        period_end=today + datetime.timedelta(days=50),
        value=2000,
    )
    report(coordinator, values={"masks": 500, "sanitiser": 20}, days_ago=1)
    context = chromium.new_context(
        viewport=DESKTOP, locale="en-US", service_workers="block", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(30000)
    try:
        sign_in(page, live_server.url, "state_b", PASSWORD)
        page.goto(f"{live_server.url}/reports/")
        page.select_option("select[name=kind]", "state_pack")
        page.click("form.report-request button[type=submit]")
        bar = page.locator(".report-file progress").first
        expect(bar).to_be_visible()
        seen = set()
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline and not page.locator("a.download").count():
            # Read in one step in the page: the swap that shows the download link can remove
            # the bar between a count() and a get_attribute(), which would then wait 30 s.
            seen.add(
                page.evaluate("() => document.querySelector('.report-file progress')?.getAttribute('value')")
            )
            time.sleep(0.2)
        assert len(seen - {None}) >= 2, seen  # the bar moved
        screenshot(page, "reports-centre-ready")
        with page.expect_download() as caught:
            page.click("a.download")
        path = tmp_path / "pack.xlsx"
        caught.value.save_as(path)
    finally:
        context.close()
    book = load_workbook(path)
    board = dashboard.state_dashboard(period=campaign_period())
    assert len(book.sheetnames) == 1 + len(board.tasks)
    summary = book[book.sheetnames[0]]
    column = [block.task.code for block in board.tasks].index("masks-sanitiser") + 1
    patna = next(row for row in board.districts if row.district.code == "patna")
    cells = next(
        row for row in summary.iter_rows(min_row=3, values_only=True) if row[0] and "Patna" in row[0]
    )
    assert cells[column] == pytest.approx(patna.cells[column - 1].achieved)
    assert cells[column] == pytest.approx(0.25)
