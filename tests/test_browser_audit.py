"""The access log on a 360-px phone in Hindi: the state admin searches by user, and nothing
leaves the screen (the table scrolls in its own box)."""

import pytest
from playwright.sync_api import expect

from seva.audit.choices import AccessAction
from seva.audit.services import access_record
from seva.people.choices import PortalRole
from seva.people.services import user_create
from tests.browser import PASSWORD, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_state_admin_searches_the_access_log_on_a_phone_in_hindi(phone_page, live_server, geography):
    admin = user_create(
        username="state_admin_b", password=PASSWORD, role=PortalRole.STATE_ADMIN, district=None
    )
    for _ in range(3):
        access_record(action=AccessAction.SIGN_IN_FAILED, username="someone_typing_a_long_user_name")
    page = phone_page
    sign_in(page, live_server.url, admin.username, PASSWORD)
    page.click("[data-testid=lang-hi]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/audit/access/")
    expect(page.locator("h1")).to_have_text("पहुँच लॉग")
    page.fill("input[name=username]", "someone_typing_a_long_user_name")
    page.click("[data-testid=access-search] button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=access-events] tbody tr")).to_have_count(3)
    expect(page.locator("[data-testid=access-events]").first).to_contain_text("साइन इन विफल")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "access-log-hi-360")
