"""In a real browser: state staff at desktop size, and Patna's coordinator on a 360-px phone in
Hindi, open the dashboard, see the charts and the map drawn, follow a district and a seat, and
see a report just logged."""

import time

import pytest
from playwright.sync_api import expect

from seva.people.choices import PortalRole
from seva.people.services import user_create
from tests.browser import PASSWORD, screenshot, sign_in
from tests.factories import BoothFactory, seat_in
from tests.factories_tasks import report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


def _shows_within_seconds(page, selector: str, text: str, seconds: float = 6.5) -> None:
    """Reload until ``selector`` shows ``text``: a report shows on the dashboards at most
    ``FRESH_SECONDS`` (5) after it is stored."""
    deadline = time.monotonic() + seconds
    while True:
        page.reload()
        if text in page.locator(selector).inner_text() or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    expect(page.locator(selector)).to_contain_text(text)


def _drawn(page, selector: str) -> int:
    """How many canvases matching ``selector`` hold a drawn chart (pixels not all blank)."""
    return page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector)).filter((canvas) => {
            if (canvas.dataset.drawn !== "true" || !canvas.width || !canvas.height) return false;
            const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
            return false;
        }).length""",
        selector,
    )


def test_state_staff_follow_the_dashboard_down_to_a_booth_and_see_a_new_report(
    chromium, live_server, coordinator
):
    user_create(username="state_b", password=PASSWORD, role=PortalRole.STATE_STAFF)
    seat = seat_in("patna")
    booth = BoothFactory(assembly_seat=seat, number=23, name="Kanya Vidyalaya, Danapur")
    report(coordinator, values={"masks": 310, "sanitiser": 20}, assembly_seat=seat, booth=booth)
    context = chromium.new_context(viewport=DESKTOP, locale="en-US", service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        sign_in(page, live_server.url, "state_b", PASSWORD)
        page.goto(f"{live_server.url}/dashboard/")
        page.click("[data-testid=quick-7]")
        page.wait_for_load_state("networkidle")
        masks = page.locator("[data-testid=metric-masks-sanitiser-masks] [data-testid=reported]")
        expect(masks).to_have_text("310")
        expect(page.locator("svg[data-testid=map] a.tile")).to_have_count(38)
        page.wait_for_function("document.querySelectorAll('canvas[data-drawn=true]').length > 0")
        assert _drawn(page, "canvas[data-trend]") >= 1
        assert _drawn(page, "canvas[data-rates]") == 2
        page.hover("[data-testid=tile-patna]")
        expect(page.locator("[data-testid=map-detail]")).to_contain_text("Patna")
        screenshot(page, "dashboard-state-desktop")

        page.click("[data-testid=district-table] [data-testid=row-patna] th a")
        page.wait_for_load_state("networkidle")
        assert "/dashboard/districts/patna/" in page.url
        expect(page.locator(f"[data-testid=seat-{seat.number}]")).to_contain_text("310")
        page.click(f"[data-testid=seat-{seat.number}] th a")
        page.wait_for_load_state("networkidle")
        expect(page.locator("[data-testid=booth-23]")).to_contain_text("310")

        report(coordinator, values={"masks": 45, "sanitiser": 5}, assembly_seat=seat, booth=booth)
        _shows_within_seconds(page, "[data-testid=booth-23]", "355")
        page.goto(f"{live_server.url}/dashboard/?days=7")
        _shows_within_seconds(
            page, "[data-testid=metric-masks-sanitiser-masks] [data-testid=reported]", "355"
        )
    finally:
        context.close()


def test_a_coordinator_on_a_phone_in_hindi_sees_his_district_and_a_report_just_logged(
    phone_page, live_server, coordinator
):
    seat = seat_in("patna")
    booth = BoothFactory(assembly_seat=seat, number=8, name="Madhya Vidyalaya")
    report(coordinator, values={"masks": 120, "sanitiser": 12}, assembly_seat=seat, booth=booth)
    page = phone_page
    sign_in(page, live_server.url, "dc_patna_b", PASSWORD)
    page.click("[data-testid=lang-hi]")
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/dashboard/?days=7")  # the state dashboard sends him home
    assert "/dashboard/districts/patna/" in page.url
    assert page.locator("html").get_attribute("lang") == "hi"
    expect(page.locator("h1")).to_contain_text("पटना का डैशबोर्ड")
    masks = page.locator("[data-testid=metric-masks-sanitiser-masks] [data-testid=reported]")
    expect(masks).to_have_text("120")
    page.wait_for_function("document.querySelectorAll('canvas[data-drawn=true]').length > 0")
    assert _drawn(page, "canvas[data-trend]") >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "dashboard-district-hi-360")

    page.click(f"[data-testid=seat-{seat.number}] th a")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=booth-8]")).to_contain_text("120")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    report(coordinator, values={"masks": 30, "sanitiser": 3}, assembly_seat=seat, booth=booth)
    _shows_within_seconds(page, "[data-testid=booth-8]", "150")
    page.click("[data-testid=booth-8] th a")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=booth-reports] tbody tr")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "dashboard-booth-hi-360")

    another = page.goto(f"{live_server.url}/dashboard/districts/gaya/")
    assert another.status == 404
