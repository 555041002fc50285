"""A broadcast in a real browser at desktop size: state staff write to Patna's coordinators, see
the live SMS counter and the preview's count, send, and watch the delivery counts reach
"sent" (Celery runs in-process in tests; e-mail goes to the locmem outbox)."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from seva.notify.models import Broadcast, Notification
from seva.people.choices import PortalRole
from seva.people.services import user_create
from tests.browser import PASSWORD, PHONE, screenshot, sign_in
from tests.factories import district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}


def test_state_staff_broadcast_to_patnas_coordinators(chromium, live_server, geography, settings):
    settings.SEVA_QUIET_HOURS = (0, 0)
    user_create(username="staff_b", password=PASSWORD, role=PortalRole.STATE_STAFF)
    for n in (1, 2):
        user_create(
            username=f"dc_patna_{n}",
            password=None,
            role=PortalRole.DISTRICT_COORDINATOR,
            district=district("patna"),
            email=f"dc_patna_{n}@example.org",
        )
    user_create(
        username="dc_gaya_b", password=None, role=PortalRole.DISTRICT_COORDINATOR, district=district("gaya")
    )

    context = chromium.new_context(viewport=DESKTOP, locale="en-US", service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, live_server.url, "staff_b", PASSWORD)
    page.goto(f"{live_server.url}/messages/")
    page.click("[data-testid=new-broadcast]")

    page.fill("#id_text", "Report today's work by 7 pm. — State office")
    expect(page.get_by_test_id("sms-counter")).to_contain_text("1 SMS part")
    page.fill("#id_text", "आज शाम 7 बजे तक रिपोर्ट भेजें। " * 3)
    expect(page.get_by_test_id("sms-counter")).to_contain_text("2 SMS part")
    page.select_option("#id_audience", "coordinators")
    page.check(f"input[name=districts][value='{district('patna').pk}']")
    page.click("[data-testid=preview]")

    expect(page.get_by_test_id("preview-total")).to_contain_text("2 people will receive it")
    expect(page.get_by_test_id("preview-email")).to_contain_text("2")
    assert not Broadcast.objects.exists()
    screenshot(page, "notify-preview")
    page.click("[data-testid=send]")

    expect(page.get_by_test_id("count-sent")).to_have_text("2")
    expect(page.get_by_test_id("count-queued")).to_have_text("0")
    expect(page.get_by_test_id("delivery")).to_have_attribute("data-polling", "0")
    screenshot(page, "notify-delivery")

    # The same pages on a 360-px phone: nothing wider than the screen.
    page.set_viewport_size(PHONE)
    pages = {
        "delivery": page.url,
        "form": f"{live_server.url}/messages/new/",
        "list": f"{live_server.url}/messages/",
    }
    for name, path in pages.items():
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        screenshot(page, f"notify-{name}-phone")
    broadcast = Broadcast.objects.get()
    assert list(broadcast.districts.values_list("code", flat=True)) == ["patna"]
    assert Notification.objects.filter(broadcast=broadcast).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["dc_patna_1@example.org", "dc_patna_2@example.org"]
    context.close()
