"""axe-core (vendored: static/vendor/axe/axe.min.js) on the landing page, the report form, the
report list and the dashboard, in English and Hindi: no serious or critical violation.

The coordinator's pages are checked on a 360-px phone, the state dashboard at desktop size.
axe is loaded from our own origin as a script tag, which the CSP allows (no inline script).
"""

import json

import pytest

from seva.people.choices import PortalRole
from seva.people.services import user_create
from tests.browser import PASSWORD, PHONE, sign_in
from tests.factories_tasks import campaign_around_today, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
BLOCKING = {"serious", "critical"}


def axe_violations(page, base_url: str) -> list[dict]:
    """Serious and critical violations axe finds on the page as it is."""
    page.add_script_tag(url=f"{base_url}/static/vendor/axe/axe.min.js")
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


def _check(page, base_url: str, paths: list[str]) -> dict[str, list[dict]]:
    found = {}
    for path in paths:
        page.goto(f"{base_url}{path}")
        page.wait_for_load_state("networkidle")
        violations = axe_violations(page, base_url)
        if violations:
            found[path] = violations
    return found


@pytest.mark.parametrize("language", ["en", "hi"])
def test_no_serious_accessibility_issue_on_the_coordinators_pages(
    chromium, live_server, coordinator, language
):
    campaign_around_today()
    report(coordinator, values={"masks": 1200, "sanitiser": 30})
    context = chromium.new_context(viewport=PHONE, locale="en-US", service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        sign_in(page, live_server.url, "dc_patna_b", PASSWORD)
        if language == "hi":
            page.click("[data-testid=lang-hi]")
            page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language
        found = _check(page, live_server.url, ["/", "/activities/new/", "/activities/", "/dashboard/"])
        assert not found, json.dumps(found, ensure_ascii=False, indent=1)
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "hi"])
def test_no_serious_accessibility_issue_on_the_state_dashboard(chromium, live_server, coordinator, language):
    campaign_around_today()
    user_create(username="state_a11y", password=PASSWORD, role=PortalRole.STATE_STAFF)
    report(coordinator, values={"masks": 1200, "sanitiser": 30})
    context = chromium.new_context(viewport=DESKTOP, locale="en-US", service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        sign_in(page, live_server.url, "state_a11y", PASSWORD)
        if language == "hi":
            page.click("[data-testid=lang-hi]")
            page.wait_for_load_state("networkidle")
        found = _check(page, live_server.url, ["/", "/activities/", "/dashboard/"])
        assert not found, json.dumps(found, ensure_ascii=False, indent=1)
    finally:
        context.close()


def test_axe_finds_a_planted_violation(phone_page, live_server, coordinator):
    """The check can fail: an image without a text alternative is a critical violation."""
    page = phone_page
    sign_in(page, live_server.url, "dc_patna_b", PASSWORD)
    page.evaluate(
        "() => { const i = document.createElement('img'); i.src = '/static/favicon.svg';"
        " document.querySelector('main').appendChild(i); }"
    )
    assert any(v["id"] == "image-alt" for v in axe_violations(page, live_server.url))
