"""In a real browser, with two-factor sign-in required: state staff sign in with a password,
are sent to enrol, scan-or-type the key (here: compute the code from it), keep the recovery
codes, reach the dashboard; the next sign-in asks for the code. And in Hindi on a phone."""

import base64

import pytest
from django.test import override_settings
from django_otp.oath import totp
from playwright.sync_api import expect

from seva.people.choices import PortalRole
from seva.people.services import user_create
from tests.browser import PASSWORD, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


def _code_for(secret_text: str) -> str:
    """What the phone's app would show for the key the page shows."""
    key = secret_text.replace(" ", "")
    key += "=" * (-len(key) % 8)
    return f"{totp(base64.b32decode(key)):06d}"


@override_settings(SEVA_MFA_REQUIRED=True, OTP_TOTP_THROTTLE_FACTOR=0)
def test_state_staff_enrol_a_second_factor_and_are_asked_for_it_next_time(chromium, live_server, geography):
    user_create(username="state_b", password=PASSWORD, role=PortalRole.STATE_STAFF)
    context = chromium.new_context(viewport=DESKTOP, locale="en-US", service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        sign_in(page, live_server.url, "state_b", PASSWORD)
        page.goto(f"{live_server.url}/dashboard/")
        expect(page.locator("[data-testid=two-factor-setup]")).to_be_visible()
        assert "/accounts/two-factor/setup/" in page.url
        expect(page.locator("img.qr")).to_be_visible()
        secret = page.locator("[data-testid=totp-secret]").inner_text()
        page.fill("[data-testid=otp-code]", "000000")
        page.click("[data-testid=otp-confirm]")
        expect(page.locator("#code-error")).to_contain_text("not right")
        page.fill("[data-testid=otp-code]", _code_for(secret))
        page.click("[data-testid=otp-confirm]")
        expect(page.locator("[data-testid=recovery-codes] li")).to_have_count(10)
        screenshot(page, "two-factor-recovery-codes")
        page.click("[data-testid=codes-done]")
        page.wait_for_load_state("load")
        assert "/dashboard/" in page.url

        # Signed out, the password alone no longer opens the portal.
        context.clear_cookies()
        sign_in(page, live_server.url, "state_b", PASSWORD)
        expect(page.locator("[data-testid=two-factor]")).to_be_visible()
        page.goto(f"{live_server.url}/admin/")
        expect(page.locator("[data-testid=two-factor]")).to_be_visible()
    finally:
        context.close()


@override_settings(SEVA_MFA_REQUIRED=True)
def test_the_enrolment_page_reads_in_hindi_on_a_phone(phone_page, live_server, geography):
    user_create(username="state_b", password=PASSWORD, role=PortalRole.STATE_STAFF)
    page = phone_page
    sign_in(page, live_server.url, "state_b", PASSWORD)
    page.click("[data-testid=lang-hi]")
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_text("दो-चरणीय साइन-इन चालू करें")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide on a 360-px phone"
    screenshot(page, "two-factor-setup-phone-hi")
