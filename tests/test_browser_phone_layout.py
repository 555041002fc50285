"""On a 360-px phone: a compact header (the role's three links and "more"), touch targets of
44 px, and lists that turn into cards with the status first and nothing off-screen."""

import pytest
from playwright.sync_api import expect

from tests.browser import PASSWORD, screenshot, sign_in
from tests.factories_tasks import campaign_around_today, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOUCH = 44


def _small_targets(page) -> list[str]:
    """Visible links and buttons of the menu and the main buttons shorter than 44 px."""
    return page.evaluate(
        """(min) => Array.from(document.querySelectorAll(
              '.topbar a, .topbar button, main button, main .button, main select, '
              + 'main input:not([type=hidden]):not([type=checkbox]), main td a, main .crumbs a'))
            .filter((el) => el.offsetParent !== null)
            .filter((el) => el.getBoundingClientRect().height < min - 0.5)
            .map((el) => el.outerHTML.slice(0, 80))""",
        TOUCH,
    )


def test_the_phone_header_is_compact_and_more_opens_the_rest(phone_page, live_server, coordinator):
    page = phone_page
    sign_in(page, live_server.url, "dc_patna_b", PASSWORD)
    page.click("[data-testid=lang-hi]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/activities/")

    header = page.evaluate("document.querySelector('header').getBoundingClientRect().height")
    assert header <= 110, header  # was 137 px with twelve wrapped links
    first = page.locator(".nav-first a")
    expect(first).to_have_count(3)
    assert first.all_inner_texts() == ["काम की रिपोर्ट करें", "रिपोर्ट", "होम"]
    expect(page.locator("[data-testid=nav-tasks]")).to_be_hidden()
    toggle = page.locator("[data-testid=nav-more]")
    expect(toggle).to_have_text("अधिक")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not _small_targets(page), _small_targets(page)

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    expect(page.locator("[data-testid=nav-tasks]")).to_be_visible()
    expect(page.locator("[data-testid=logout]")).to_be_visible()
    assert not _small_targets(page), _small_targets(page)
    screenshot(page, "phone-menu-open-hi-360")
    page.keyboard.press("Escape")
    expect(page.locator("[data-testid=nav-tasks]")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_desktop_shows_the_whole_menu(chromium, live_server, coordinator):
    context = chromium.new_context(
        viewport={"width": 1280, "height": 800}, locale="en-US", service_workers="block"
    )
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "dc_patna_b", PASSWORD)
        expect(page.locator("[data-testid=nav-more]")).to_be_hidden()
        for key in ("report", "reports", "home", "tasks", "camps", "workers"):
            expect(page.locator(f"[data-testid=nav-{key}]")).to_be_visible()
        expect(page.locator("[data-testid=logout]")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize(
    "path", ["/activities/", "/targets/", "/camps/", "/donors/", "/conferences/", "/workers/"]
)
def test_lists_are_cards_with_the_status_first_on_a_phone(phone_page, live_server, coordinator, path):
    campaign_around_today()
    report(coordinator, values={"masks": 1200, "sanitiser": 30})
    page = phone_page
    sign_in(page, live_server.url, "dc_patna_b", PASSWORD)
    page.goto(f"{live_server.url}{path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    assert not _small_targets(page), (path, _small_targets(page))
    for status in page.locator("table.cards tbody td.status").all()[:3]:
        box = status.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, (path, box)
    if path == "/activities/":
        row = page.locator("table.cards tbody tr").first
        first_cell = row.evaluate(
            "(tr) => Array.from(tr.children).filter((td) => td.offsetParent !== null)"
            ".sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)[0].className"
        )
        assert "status" in first_cell
        screenshot(page, "phone-report-cards-360")
