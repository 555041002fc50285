"""On a 360-px phone in Hindi, a Patna coordinator reports with no network: the reports wait
on the phone (IndexedDB), survive a reload, and are stored once each when the network returns;
one the server refuses comes back into the form with its Hindi error.

The network is cut with the DevTools protocol (``Network.emulateNetworkConditions``), which
also cuts the service worker's own requests; Playwright's ``set_offline`` does not."""

import datetime
import json
import re
import time

import pytest
from playwright.sync_api import expect

from tasks17.models import Activity
from tests.browser import PASSWORD, screenshot, sign_in
from tests.factories import BoothFactory, seat_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAITING = "भेजने के इंतज़ार में"  # "waiting to send"


class Network:
    """The phone's network, cut and restored with the DevTools protocol for the page and for
    the service worker: the page's emulation does not reach the worker's own requests (its
    Background Sync sent the queue while the page was "offline"), so the worker's target is
    attached through the browser's session and told the same."""

    def __init__(self, chromium, page) -> None:
        self.page_object = page
        self.page = page.context.new_cdp_session(page)
        self.page.send("Network.enable")
        self.browser = chromium.new_browser_cdp_session()
        targets = self.browser.send("Target.getTargets")["targetInfos"]
        workers = [t for t in targets if t["type"] == "service_worker"]
        assert workers, "no service worker is running"
        self.workers = [
            self.browser.send("Target.attachToTarget", {"targetId": t["targetId"], "flatten": False})[
                "sessionId"
            ]
            for t in workers
        ]
        self.answers: list[str] = []
        self.browser.on(
            "Target.receivedMessageFromTarget", lambda event: self.answers.append(event["message"])
        )
        self.calls = 0
        self._to_workers("Network.enable", {})

    def _to_workers(self, method: str, params: dict) -> None:
        for session in self.workers:
            self.calls += 1
            message = json.dumps({"id": self.calls, "method": method, "params": params})
            self.browser.send("Target.sendMessageToTarget", {"sessionId": session, "message": message})

    def set(self, *, offline: bool, latency: int = 0) -> None:
        conditions = {
            "offline": offline,
            "latency": latency,
            "downloadThroughput": -1,
            "uploadThroughput": -1,
        }
        self.page.send("Network.emulateNetworkConditions", conditions)
        self._to_workers("Network.emulateNetworkConditions", conditions)
        until(self.page_object, f"navigator.onLine === {'false' if offline else 'true'}")


def until(page, condition: str, seconds: float = 15) -> None:
    """Wait for a condition in the page (``wait_for_function`` evaluates a string, which the
    portal's CSP forbids; ``evaluate`` goes through the DevTools protocol)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(condition):
        assert time.monotonic() < deadline, f"not true after {seconds} s: {condition}"
        page.wait_for_timeout(100)


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


def test_reports_made_offline_wait_on_the_phone_and_are_stored_once_each(
    chromium, offline_phone_page, live_server, coordinator
):
    seat = seat_in("patna")
    booth = BoothFactory(assembly_seat=seat, number=42, name="Kanya Vidyalaya, Danapur")
    page = offline_phone_page
    sign_in(page, live_server.url, "dc_patna_b", PASSWORD)
    page.click("[data-testid=lang-hi]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/activities/new/")
    # The service worker controls the page and has kept what the form needs offline.
    page.wait_for_selector("html[data-offline-ready='1']", state="attached", timeout=60000)

    network = Network(chromium, page)
    network.set(offline=True)

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

    network.set(offline=False)  # the `online` event sends what waits
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


SEND_TWICE = """() => new Promise((resolve) => {
  const form = document.querySelector('[data-testid=activity-form]');
  const button = form.querySelector('[data-testid=activity-save]');
  const prevented = [];
  window.addEventListener('submit', (event) => prevented.push(event.defaultPrevented));
  form.requestSubmit(button);
  form.requestSubmit(button);
  setTimeout(() => resolve({prevented, disabled: button.disabled, label: button.textContent}), 50);
})"""


def test_a_slow_send_says_it_is_sending_and_goes_once(phone_page, live_server, coordinator):
    """Any form sent by POST (here the report form, without the service worker)."""
    seat = seat_in("patna")
    booth = BoothFactory(assembly_seat=seat, number=7, name="Middle School, Fatuha")
    page = phone_page
    sign_in(page, live_server.url, "dc_patna_b", PASSWORD)
    page.click("[data-testid=lang-hi]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/activities/new/")
    fill_report(page, seat=seat, booth=booth, masks=90)
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")  # a slow link: the answer takes seconds
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 2000, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    # A tap on "send" and, while it is on its way, a second one; then the button as it shows.
    seen = page.evaluate(SEND_TWICE)
    assert seen["prevented"] == [False, True]  # the second submit is cancelled
    assert seen["disabled"] is True
    assert seen["label"] == "भेजा जा रहा है…"
    page.wait_for_url(re.compile(r"/activities/\d+/$"), timeout=30000)
    assert "धन्यवाद" in page.locator("main").inner_text()
    assert posts == [f"{live_server.url}/activities/new/"]
    assert Activity.objects.count() == 1


def _queue_one_offline(chromium, page, live_server, *, masks: int):
    seat = seat_in("patna")
    booth = BoothFactory(assembly_seat=seat, number=11, name="Primary School, Masaurhi")
    sign_in(page, live_server.url, "dc_patna_b", PASSWORD)
    page.goto(f"{live_server.url}/activities/new/")
    page.wait_for_selector("html[data-offline-ready='1']", state="attached", timeout=60000)
    network = Network(chromium, page)
    network.set(offline=True)
    fill_report(page, seat=seat, booth=booth, masks=masks)
    page.click("[data-testid=activity-save]")
    expect(page.get_by_test_id("offline-waiting")).to_have_text("Waiting to send (1)")
    return network


def test_a_session_gone_while_offline_keeps_the_queue_until_the_next_sign_in(
    chromium, offline_phone_page, live_server, coordinator
):
    page = offline_phone_page
    network = _queue_one_offline(chromium, page, live_server, masks=25)
    page.context.clear_cookies()  # the session ends while the phone is offline
    network.set(offline=False)
    expect(page.get_by_test_id("offline-note")).to_contain_text("Sign in again")
    expect(page.get_by_test_id("offline-waiting")).to_have_text("Waiting to send (1)")
    assert Activity.objects.count() == 0

    # Signing in again (by hand: the landing page's warm-up keeps `networkidle` away) sends it.
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "dc_patna_b")
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-submit]")
    expect(page.get_by_test_id("offline-note")).to_contain_text("Sent")
    assert [a.numbers for a in Activity.objects.all()] == [{"masks": 25}]


def test_signing_out_warns_of_what_waits_then_sends_it_and_forgets_the_pages(
    chromium, offline_phone_page, live_server, coordinator
):
    page = offline_phone_page
    network = _queue_one_offline(chromium, page, live_server, masks=33)
    warnings: list[str] = []

    def refuse(dialog):
        warnings.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", refuse)
    page.click("[data-testid=nav-more]")  # on a phone, signing out is under "more"
    page.click("[data-testid=logout]")  # no network: nothing can go, so it asks first
    deadline = time.monotonic() + 15
    while not warnings and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    until(
        page, "document.querySelector('[data-testid=logout]').closest('form').dataset.sending === undefined"
    )
    assert warnings and warnings[0].startswith("1 reports could not be sent yet")
    assert page.locator("body").get_attribute("data-user")  # still signed in, the report kept

    network.set(offline=False)
    if page.get_attribute("[data-testid=nav-more]", "aria-expanded") != "true":
        page.click("[data-testid=nav-more]")
    page.click("[data-testid=logout]")  # with a network: sent first, then signed out
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert [a.numbers for a in Activity.objects.all()] == [{"masks": 33}]
    assert page.evaluate("caches.has('seva-pages')") is False
    assert page.evaluate("SevaQueue.all().then((all) => all.length)") == 0
