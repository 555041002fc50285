"""Issue 11 in a real browser on a 360-px phone, in Hindi: the coordinator finds a booth by
its seat's Hindi name with no seat chosen, sends the report, sends another from the same
place with "report another", and sees his district's progress and silent seats at home."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from seva.geo.models import AssemblySeat
from tasks17.models import Activity, Task
from tasks17.services import target_create
from tests.browser import PASSWORD, screenshot, sign_in
from tests.factories import BoothFactory, district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_finds_a_booth_in_hindi_reports_twice_and_sees_his_progress(
    phone_page, live_server, coordinator
):
    bankipur = AssemblySeat.objects.get(name_en="Bankipur")
    booth = BoothFactory(assembly_seat=bankipur, number=77, name="Kadamkuan Primary School")
    BoothFactory(assembly_seat=AssemblySeat.objects.get(name_en="Danapur"), number=77, name="Danapur Hall")
    today = timezone.localdate()
    meals = Task.objects.get(code="meals")
    target_create(
        by=coordinator,
        task=meals,
        metric=meals.metrics.get(code="meals"),
        district=district("patna"),
        period_start=today - datetime.timedelta(days=10),
        period_end=today + datetime.timedelta(days=4),
        value=1000,
    )
    page = phone_page
    sign_in(page, live_server.url, "dc_patna_b", PASSWORD)
    page.click("[data-testid=lang-hi]")
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/activities/new/")
    assert 'value="blood-camp"' not in page.inner_html("#id_task")  # fed by its records
    page.select_option("#id_task", "meals")
    page.wait_for_selector("#id_metric_meals")
    page.fill("#id_metric_meals", "210")
    page.fill("#id_booth_q", "बाँकीपुर")  # no seat chosen: the district's booths
    page.wait_for_selector(f"#id_booth option[value='{booth.pk}']", state="attached")
    expect(page.locator("#id_booth option")).to_have_count(2)  # the empty choice and Bankipur's booth
    assert "बाँकीपुर" in page.locator(f"#id_booth option[value='{booth.pk}']").inner_text()
    page.select_option("#id_booth", str(booth.pk))
    page.click("[data-testid=activity-save]")
    page.wait_for_load_state("networkidle")
    first = Activity.objects.get()
    assert (first.booth_id, first.assembly_seat_id) == (booth.pk, bankipur.pk)

    page.click("[data-testid=report-another]")
    page.wait_for_load_state("networkidle")
    assert page.input_value("#id_task") == "meals"
    assert page.input_value("#id_assembly_seat") == str(bankipur.pk)
    assert page.input_value("#id_booth") == str(booth.pk)
    page.fill("#id_metric_meals", "40")
    page.click("[data-testid=activity-save]")
    page.wait_for_load_state("networkidle")
    assert Activity.objects.filter(booth=booth).count() == 2

    page.goto(f"{live_server.url}/")
    row = page.locator("[data-testid=progress-meals-meals]")
    text = row.inner_text()
    assert "1,000 में से 250" in text and "25 %" in text and "73 %" in text
    expect(row.locator("[data-testid=behind]")).to_be_visible()
    silent = page.locator("[data-testid=home-silent-seats]").inner_text()
    assert "बाँकीपुर" not in silent and "दानापुर" in silent
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "home-coordinator-progress-hi-360")
