"""Booths imported in a real browser at desktop size: state staff upload a file, see the check's
preview ("N will be added"), confirm, and see the job done (Celery runs in-process in tests)."""

import pytest
from playwright.sync_api import expect

from seva.geo.models import Booth
from seva.people.choices import PortalRole
from seva.people.services import user_create
from tests.browser import PASSWORD, screenshot, sign_in
from tests.factories import seat_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}


def test_state_staff_import_booths(chromium, live_server, geography, tmp_path):
    user_create(username="staff_i", password=PASSWORD, role=PortalRole.STATE_STAFF)
    seat = seat_in("patna").number
    sheet = tmp_path / "booths.csv"
    sheet.write_text("assembly_seat,number,name\n" + "".join(f"{seat},{n},Booth {n}\n" for n in range(1, 41)))

    context = chromium.new_context(viewport=DESKTOP, locale="en-US", service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, live_server.url, "staff_i", PASSWORD)
    page.goto(f"{live_server.url}/imports/")
    page.click("[data-testid=import-booths]")
    page.set_input_files("#id_file", str(sheet))
    page.click("[data-testid=check]")

    expect(page.get_by_test_id("preview")).to_contain_text("40 will be added")
    assert not Booth.objects.exists()
    screenshot(page, "imports-preview")
    page.click("[data-testid=confirm]")
    expect(page.get_by_test_id("done")).to_contain_text("40 added")
    expect(page.get_by_test_id("import-job")).to_have_attribute("data-status", "done")
    assert Booth.objects.filter(assembly_seat__number=seat).count() == 40
    context.close()
