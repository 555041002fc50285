"""In a real browser on a 360-px phone, in Hindi: a Patna coordinator logs masks and
sanitiser for a booth, sees it in the list, and the same form sent twice is stored once."""

import pytest
from playwright.sync_api import expect

from seva.people.choices import PortalRole
from seva.people.services import user_create
from tasks17.models import Activity
from tests.browser import PASSWORD, screenshot, sign_in
from tests.factories import BoothFactory, district, seat_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_logs_masks_for_a_booth_in_hindi_and_a_resend_is_stored_once(
    phone_page, live_server, coordinator
):
    seat = seat_in("patna")
    BoothFactory(assembly_seat=seat, number=41, name="Rajkiya Madhya Vidyalaya, Phulwari")
    booth = BoothFactory(assembly_seat=seat, number=42, name="Kanya Vidyalaya, Danapur")
    page = phone_page
    sign_in(page, live_server.url, "dc_patna_b", PASSWORD)
    page.click("[data-testid=lang-hi]")
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/activities/new/")
    assert page.locator("html").get_attribute("lang") == "hi"
    assert "काम की रिपोर्ट" in page.locator("h1").inner_text()
    page.select_option("#id_task", "masks-sanitiser")
    page.wait_for_selector("#id_metric_masks")  # htmx brings the task's numbers
    assert "बाँटे गए मास्क" in page.locator("#metric-fields").inner_text()
    assert page.get_attribute("#id_metric_masks", "inputmode") == "numeric"
    page.fill("#id_metric_masks", "500")
    page.fill("#id_metric_sanitiser", "40")

    page.select_option("#id_assembly_seat", str(seat.pk))
    page.wait_for_selector(f"#id_booth option[value='{booth.pk}']", state="attached")
    page.fill("#id_booth_q", "Danapur")  # the booth search narrows the list
    expect(page.locator("#id_booth option")).to_have_count(2)  # the empty choice and the match
    page.select_option("#id_booth", str(booth.pk))
    assert page.input_value("#id_date")  # today, by default
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "activity-form-hi-360")

    # A weak network: the first answer is lost and the coordinator taps "send" again,
    # which posts the very same form (same client_uuid) a second time.
    form_data = page.evaluate(
        "Object.fromEntries(new FormData(document.querySelector('[data-testid=activity-form]')))"
    )
    page.click("[data-testid=activity-save]")
    page.wait_for_load_state("networkidle")
    assert "धन्यवाद" in page.locator("main").inner_text()
    assert "बाँटे गए मास्क" in page.locator("main").inner_text()
    screenshot(page, "activity-saved-hi-360")

    resend = page.request.post(
        f"{live_server.url}/activities/new/",
        form=form_data,
        headers={"Referer": f"{live_server.url}/activities/new/"},
    )
    assert resend.ok
    assert "दो बार" in resend.text()  # "already saved; not stored twice"
    assert Activity.objects.count() == 1
    activity = Activity.objects.get()
    assert (activity.booth_id, activity.numbers) == (booth.pk, {"masks": 500, "sanitiser": 40})

    page.goto(f"{live_server.url}/activities/")
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert "मास्क-सेनेटाइजर वितरण" in rows.first.inner_text()
    assert "500" in rows.first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "activity-list-hi-360")


def test_a_bad_number_is_explained_next_to_the_field(phone_page, live_server, coordinator):
    page = phone_page
    sign_in(page, live_server.url, "dc_patna_b", PASSWORD)
    page.goto(f"{live_server.url}/activities/new/")
    page.select_option("#id_task", "meals")
    page.wait_for_selector("#id_metric_meals")
    page.fill("#id_metric_meals", "-5")
    page.click("[data-testid=activity-save]")
    page.wait_for_load_state("networkidle")
    error = page.locator(".field.has-error").first.inner_text()
    assert "0" in error  # "greater than or equal to 0", next to the meals input
    assert page.input_value("#id_metric_meals") == "-5"  # what was typed is kept
    assert Activity.objects.count() == 0


@pytest.mark.parametrize(
    "path", ["/activities/", "/donors/", "/camps/", "/conferences/", "/booths/corona-free/"]
)
def test_list_pages_fit_a_phone_and_show_another_district_nothing(phone_page, live_server, coordinator, path):
    from seva.people.choices import BloodGroup
    from tasks17.records.services import donor_register
    from tests.factories_tasks import report

    report(coordinator, booth=BoothFactory(assembly_seat=seat_in("patna")))
    donor_register(
        by=coordinator,
        name="Patna donor",
        phone="9876500001",
        blood_group=BloodGroup.B_POS,
        district=district("patna"),
        consent_to_contact=True,
    )
    page = phone_page
    sign_in(page, live_server.url, "dc_patna_b", PASSWORD)
    page.goto(f"{live_server.url}{path}")
    # Tables scroll inside their frame; nothing may widen the page itself.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    gaya = user_create(
        username="dc_gaya_b",
        password=PASSWORD,
        role=PortalRole.DISTRICT_COORDINATOR,
        district=district("gaya"),
    )
    page.context.clear_cookies()
    sign_in(page, live_server.url, gaya.username, PASSWORD)
    page.goto(f"{live_server.url}{path}")
    main = page.locator("main").inner_text()
    assert "Patna" not in main and "Patna donor" not in main
