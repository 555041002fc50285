"""On a 360-px phone in Hindi, a Patna coordinator reports with no network: the reports wait
on the phone (IndexedDB), survive a reload, and are stored once each when the network returns;
one the server refuses comes back into the form with its Hindi error.

The network is cut with the DevTools protocol (``Network.emulateNetworkConditions``), which
also cuts the service worker's own requests; Playwright's ``set_offline`` does not."""

import datetime

import pytest
from playwright.sync_api import expect

from tasks17.models import Activity
from tests.browser import PASSWORD, screenshot, sign_in
from tests.factories import BoothFactory, seat_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAITING = "भेजने के इंतज़ार में"  # "waiting to send"


def network(cdp, *, offline: bool) -> None:
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )


def fill_report(page, *, seat, booth, masks: int, date: str | None = None) -> None:
    page.select_option("#id_task", "masks-sanitiser")
    page.wait_for_selector("#id_metric_masks")  # the task's numbers, from the worker's cache
    page.fill("#id_metric_masks", str(masks))
    if page.input_value("#id_assembly_seat") != str(seat.pk):
        page.select_option("#id_assembly_seat", str(seat.pk))
    page.wait_for_selector(f"#id_booth option[value='{booth.pk}']", state="attached")
    page.select_option("#id_booth", str(booth.pk))
    if date:
        page.fill("#id_date", date)


def test_reports_made_offline_wait_on_the_phone_and_are_stored_once_each(phone_page, live_server, coordinator):
    seat = seat_in("patna")
    booth = BoothFactory(assembly_seat=seat, number=42, name="Kanya Vidyalaya, Danapur")
    page = phone_page
    sign_in(page, live_server.url, "dc_patna_b", PASSWORD)
    page.click("[data-testid=lang-hi]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/activities/new/")
    # The service worker controls the page and has kept what the form needs offline.
    page.wait_for_function("document.documentElement.dataset.offlineReady === '1'")

    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    network(cdp, offline=True)
    page.wait_for_function("navigator.onLine === false")

    fill_report(page, seat=seat, booth=booth, masks=500)
    page.click("[data-testid=activity-save]")
    expect(page.get_by_test_id("offline-waiting")).to_have_text(f"{WAITING} (1)")
    assert "इस फ़ोन पर रख ली गई" in page.get_by_test_id("offline-note").inner_text()
    assert page.input_value("#id_metric_masks") == ""  # ready for the next one

    fill_report(page, seat=seat, booth=booth, masks=300)
    page.click("[data-testid=activity-save]")
    expect(page.get_by_test_id("offline-waiting")).to_have_text(f"{WAITING} (2)")

    # A reload with no network: the form comes from the worker's cache, the queue from the phone.
    page.reload()
    expect(page.get_by_test_id("offline-waiting")).to_have_text(f"{WAITING} (2)")
    assert "काम की रिपोर्ट" in page.locator("h1").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "offline-queue-hi-360")

    # A third report the server will refuse: dated further back than a coordinator may.
    too_old = (datetime.date.today() - datetime.timedelta(days=400)).isoformat()
    fill_report(page, seat=seat, booth=booth, masks=70, date=too_old)
    page.click("[data-testid=activity-save]")
    expect(page.get_by_test_id("offline-waiting")).to_have_text(f"{WAITING} (3)")
    assert Activity.objects.count() == 0

    network(cdp, offline=False)  # the `online` event sends what waits
    error = page.locator(".field.has-error")
    expect(error).to_contain_text("पुरानी तारीख")  # the refused one is back, its error in Hindi
    expect(page.get_by_test_id("offline-waiting")).to_have_count(0)
    assert page.input_value("#id_metric_masks") == "70"
    assert page.input_value("#id_date") == too_old
    screenshot(page, "offline-refused-hi-360")

    assert Activity.objects.count() == 2
    assert sorted(a.numbers["masks"] for a in Activity.objects.all()) == [300, 500]
    assert {a.booth_id for a in Activity.objects.all()} == {booth.pk}

    # Corrected and sent again, online: stored, once.
    page.fill("#id_date", datetime.date.today().isoformat())
    page.click("[data-testid=activity-save]")
    page.wait_for_load_state("networkidle")
    assert "धन्यवाद" in page.locator("main").inner_text()
    assert sorted(a.numbers["masks"] for a in Activity.objects.all()) == [70, 300, 500]
