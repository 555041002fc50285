"""A night at the desk, in a real browser at desktop size: open a request from the keyboard,
see it in the queue, find a free oxygen bed, assign the request, resolve it; the caller's
reference finds it again, and the helpline task's figures went up by one."""

import pytest
from django.db.models import Sum
from playwright.sync_api import expect

from seva.people.choices import PortalRole
from seva.people.services import user_create
from tasks17.models import DailyRollup
from tests.browser import PASSWORD, screenshot, sign_in
from tests.factories import WorkerFactory, district
from tests.factories_helplines import facility, helpline, member, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}


def _figures():
    rows = (
        DailyRollup.objects.filter(task__code="helpline").values("metric__code").annotate(n=Sum("reported"))
    )
    return {row["metric__code"]: row["n"] for row in rows}


def test_a_night_at_the_desk(chromium, live_server, geography):
    line = helpline("Patna Seva Helpline", "patna", serves=["gaya"])
    operator = member(
        user_create(
            username="op_b", password=PASSWORD, role=PortalRole.HELPLINE_OPERATOR, district=district("patna")
        ),
        line,
    )
    aiims = facility(name="AIIMS Patna")
    report(operator, aiims, beds_oxygen=3)
    report(operator, facility(name="PMCH"), beds_general=9)
    worker = WorkerFactory(name="Anil Singh", district=district("patna"))
    before = _figures()

    context = chromium.new_context(viewport=DESKTOP, locale="en-US", service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, live_server.url, "op_b", PASSWORD)
    page.goto(f"{live_server.url}/helplines/desk/")

    # The form is filled from the keyboard: the caller's name has the focus, Tab moves on.
    assert page.evaluate("document.activeElement.name") == "caller_name"
    page.keyboard.type("Sunita Devi")
    page.keyboard.press("Tab")
    page.keyboard.type("98123 45678")
    page.keyboard.press("Tab")
    page.keyboard.type("Mohan Lal")
    page.keyboard.press("Tab")
    page.keyboard.type("62")
    page.select_option("#id_district", str(district("patna").pk))
    page.select_option("#id_category", "oxygen_bed")
    page.select_option("#id_urgency", "critical")
    page.fill("#id_details", "SpO2 88, at home in Kankarbagh")
    page.click("[data-testid=save-request]")
    page.wait_for_load_state("networkidle")
    reference = page.locator("[data-testid=saved-reference]").inner_text()
    assert reference == "PAT-0001"
    expect(page.locator("[data-testid=queue]")).to_contain_text(reference)
    expect(page.locator("[data-testid=queue-row]").first).to_contain_text("Oxygen bed")
    screenshot(page, "helpline-desk-desktop")

    # Find a free oxygen bed in Patna.
    page.click("text=Find a bed or oxygen")
    page.select_option("#id_kind", "oxygen")
    page.select_option("#id_district", str(district("patna").pk))
    page.click("[data-testid=search]")
    page.wait_for_load_state("networkidle")
    rows = page.locator("[data-testid=facility-row]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("AIIMS Patna")

    # Back at the request: assign it to a worker of Patna, then resolve it.
    page.goto(f"{live_server.url}/helplines/desk/")
    page.click(f"[data-testid=queue] >> text={reference}")
    page.select_option("#id_worker", str(worker.pk))
    page.click("[data-testid=assign]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=assigned-to]")).to_have_text("Anil Singh")
    page.select_option("#id_outcome", "bed_arranged")
    page.fill("[data-testid=resolve-form] #id_note", "AIIMS Patna, oxygen bed 14")
    page.click("[data-testid=resolve]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=request-status]")).to_have_text("Resolved")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("Assigned")
    screenshot(page, "helpline-request-resolved-desktop")

    # The caller calls again and quotes his reference.
    page.goto(f"{live_server.url}/helplines/desk/")
    expect(page.locator("[data-testid=queue]")).not_to_contain_text(reference)
    page.fill("#id_ref", reference.lower())
    page.click("[data-testid=find]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=request-reference]")).to_contain_text(reference)
    context.close()

    after = _figures()
    assert after.get("calls", 0) == before.get("calls", 0) + 1
    assert after.get("beds", 0) == before.get("beds", 0) + 1


def test_the_desk_and_the_public_board_fit_a_phone_in_hindi(phone_page, live_server, geography):
    line = helpline("Patna Seva Helpline", "patna")
    operator = member(
        user_create(
            username="op_p", password=PASSWORD, role=PortalRole.HELPLINE_OPERATOR, district=district("patna")
        ),
        line,
    )
    report(operator, facility(name="AIIMS Patna"), beds_oxygen=3)
    page = phone_page
    sign_in(page, live_server.url, "op_p", PASSWORD)
    page.click("[data-testid=lang-hi]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/helplines/desk/")
    assert "हेल्पलाइन डेस्क" in page.locator("h1").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "helpline-desk-hi-360")
    page.goto(f"{live_server.url}/availability/?lang=hi")
    assert "अभी उपलब्ध बेड और ऑक्सीजन" in page.locator("header").inner_text()
    # Hindi in the vendored font, not boxes: the board's own CSS loads it.
    loaded = page.evaluate(
        "document.fonts.ready.then(() => [...document.fonts].some("
        "f => f.family.includes('Noto Sans Devanagari') && f.status === 'loaded'))"
    )
    assert loaded
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "availability-board-hi-360")
