"""In a real browser at desktop size: the state admin opens Imports, uploads a booths file,
follows the job's progress page until it says what was written."""

import pytest
from playwright.sync_api import expect

from seva.geo.models import AssemblySeat, Booth
from seva.people.choices import PortalRole
from seva.people.services import user_create
from tests.browser import PASSWORD, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


def test_state_admin_uploads_booths_and_sees_them_written(
    chromium, live_server, geography, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    user_create(username="state_admin_b", password=PASSWORD, role=PortalRole.STATE_ADMIN)
    seat = AssemblySeat.objects.get(name_en="Bankipur")
    csv_file = tmp_path / "booths.csv"
    csv_file.write_text(
        "assembly_seat,number,name\n" + "".join(f"{seat.number},{n},Booth {n}\n" for n in range(1, 51)),
        encoding="utf-8",
    )
    context = chromium.new_context(viewport=DESKTOP, locale="en-US", service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        sign_in(page, live_server.url, "state_admin_b", PASSWORD)
        page.goto(f"{live_server.url}/imports/")
        page.click("text=Import Booths")
        page.set_input_files("input[type=file]", str(csv_file))
        page.click("[data-testid=import-submit]")
        page.wait_for_load_state("networkidle")
        expect(page.locator("#job-status")).to_contain_text("50 will be added")  # the preview
        assert not Booth.objects.exists()
        page.click("[data-testid=import-confirm]")
        page.wait_for_load_state("networkidle")
        expect(page.locator("[data-testid=job-status]")).to_have_attribute("data-status", "done")
        expect(page.locator("#job-status")).to_contain_text("50 added")
        screenshot(page, "imports-booths-desktop")
    finally:
        context.close()
    assert Booth.objects.filter(assembly_seat=seat).count() == 50
