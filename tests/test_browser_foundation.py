"""In a real browser on a phone-sized screen: sign in, switch to Hindi, stay in scope."""

import pytest

from tests.browser import PASSWORD, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_signs_in_and_switches_to_hindi_on_a_phone(phone_page, live_server, coordinator):
    page = phone_page
    sign_in(page, live_server.url, "dc_patna_b", PASSWORD)
    assert page.locator("h1").inner_text().startswith("Welcome")
    assert "Patna" in page.locator("main").inner_text()

    page.click("[data-testid=lang-hi]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "hi"
    body = page.locator("body").inner_text()
    assert "स्वागत है" in body
    assert "पटना" in body
    # On a phone "Workers" is behind the menu's "more" (अधिक) button (issue 11's compact menu).
    page.click("[data-testid=nav-more]")
    assert "कार्यकर्ता" in page.locator("nav").inner_text()
    # The vendored Devanagari font is really used, not a missing system font.
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Devanagari\"', 'पटना')")
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "home-hi-360")

    page.click("[data-testid=lang-en]")
    page.wait_for_load_state("networkidle")
    assert "Welcome" in page.locator("h1").inner_text()


def test_a_wrong_password_shows_an_error_and_locks_out_after_five(phone_page, live_server, coordinator):
    page = phone_page
    for _ in range(5):
        sign_in(page, live_server.url, "dc_patna_b", "wrong-password")
    assert "locked" in page.locator("body").inner_text().lower()
    sign_in(page, live_server.url, "dc_patna_b", PASSWORD)
    assert "Welcome" not in page.locator("body").inner_text()


def test_the_coordinator_cannot_open_another_district(phone_page, live_server, coordinator):
    page = phone_page
    sign_in(page, live_server.url, "dc_patna_b", PASSWORD)
    response = page.goto(f"{live_server.url}/districts/gaya/")
    assert response.status == 404
    page.goto(f"{live_server.url}/districts/")
    table = page.locator("main").inner_text()
    assert "Patna" in table and "Gaya" not in table
