"""Errors at the top (issue 11): after a refused submit, every form shows a box at its top
saying how many fields to correct, linking to each, with the errors about the whole form;
``role="alert"``, focused on load by a static script (no inline script: CSP)."""

import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from tasks17.choices import CampKind
from tasks17.records import services as records
from tests.factories import BoothFactory, district
from tests.factories_tasks import report

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def summary(page: str) -> str:
    match = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def _report(**changes):
    data = {
        "task": "masks-sanitiser",
        "district": district("patna").pk,
        "date": TODAY().isoformat(),
        "metric_masks": "300",
        "client_uuid": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


def test_a_refused_report_says_how_many_fields_to_correct_and_links_each(client_as, dc_patna):
    response = client_as(dc_patna).post(
        reverse("tasks17:activity-create"), _report(task="", date="yesterday")
    )
    assert response.status_code == 200
    box = summary(response.content.decode())
    assert "<h2>Please correct 2 fields</h2>" in box
    assert 'role="alert"' in box and 'tabindex="-1"' in box
    assert '<a href="#id_task">Task: This field is required.</a>' in box
    assert '<a href="#id_date">Date: Enter a valid date.</a>' in box
    page = response.content.decode()
    assert page.index("error-summary") < page.index('id="id_task"')  # at the top of the form
    assert 'src="/static/js/error-summary.js"' in page


def test_one_field_is_said_in_the_singular(client_as, dc_patna):
    page = client_as(dc_patna).post(reverse("tasks17:activity-create"), _report(metric_masks="-4")).content
    assert "<h2>Please correct 1 field</h2>" in summary(page.decode())


def test_errors_about_the_whole_form_are_in_it_too(client_as, dc_patna):
    page = (
        client_as(dc_patna)
        .post(reverse("tasks17:activity-create"), _report(metric_masks="0"))
        .content.decode()
    )
    box = summary(page)
    assert "Give at least one number above zero." in box
    assert "<h2>There is a problem</h2>" in box


def test_an_error_on_a_hidden_input_is_shown_without_a_link(client_as, dc_patna, dc_gaya):
    other = report(dc_gaya, code="gaya")
    page = (
        client_as(dc_patna)
        .post(reverse("tasks17:activity-create"), _report(client_uuid=str(other.client_uuid)))
        .content.decode()
    )
    box = summary(page)
    assert "This client reference is already in use." in box
    assert "#id_client_uuid" not in box


def test_it_is_in_hindi_in_hindi_mode(client_as, dc_patna):
    client = client_as(dc_patna)
    with override("hi"):
        page = client.post(
            reverse("tasks17:activity-create"),
            _report(task="", date="yesterday"),
            HTTP_ACCEPT_LANGUAGE="hi",
        ).content.decode()
    box = summary(page)
    assert "कृपया 2 फ़ील्ड ठीक करें" in box
    assert "Please correct" not in box


def test_a_form_sent_without_errors_or_not_sent_has_no_summary(client_as, dc_patna):
    client = client_as(dc_patna)
    assert "error-summary" not in client.get(reverse("tasks17:activity-create")).content.decode()
    response = client.post(reverse("tasks17:activity-create"), _report(), follow=True)
    assert "error-summary" not in response.content.decode()


@pytest.mark.parametrize(
    ("user", "url"),
    [
        ("state_staff", "tasks17:target-create"),
        ("dc_patna", "people:worker-create"),
        ("dc_patna", "tasks17:record-camp-create"),
        ("dc_patna", "tasks17:record-donor-create"),
        ("dc_patna", "tasks17:record-conference-create"),
        ("dc_patna", "tasks17:record-declaration-create"),
    ],
)
def test_every_form_has_the_summary_with_a_link_per_field(client_as, request, user, url):
    response = client_as(request.getfixturevalue(user)).post(reverse(url), {})
    form = response.context["form"]
    box = summary(response.content.decode())
    visible = [name for name in form.errors if name != "__all__" and not form[name].is_hidden]
    assert len(visible) >= 2
    assert f"<h2>Please correct {len(visible)} fields</h2>" in box
    for name in visible:
        anchor = form[name].id_for_label or form[name].auto_id
        assert f'<a href="#{anchor}">' in box
        assert f'id="{anchor}"' in response.content.decode()  # the link lands on the input


def test_a_refused_step_on_a_records_page_has_it(client_as, dc_patna, patna):
    camp = records.camp_create(
        by=dc_patna, kind=CampKind.BLOOD, district=patna, venue="Hall", date=TODAY(), organiser="Yuva Morcha"
    )
    response = client_as(dc_patna).post(reverse("tasks17:record-camp-hold", args=[camp.pk]), {"donors": "-1"})
    assert response.status_code == 400
    assert '<a href="#id_donors">' in summary(response.content.decode())


def test_the_sign_in_page_says_there_is_a_problem(client):
    page = client.post(reverse("login"), {"username": "nobody", "password": "wrong"}).content.decode()
    box = summary(page)
    assert "<h2>There is a problem</h2>" in box and "username" in box.lower()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_summary_is_in_view_and_focused_and_its_links_reach_the_field(
    phone_page, live_server, coordinator
):
    from tests.browser import PASSWORD, screenshot, sign_in

    BoothFactory(assembly_seat=district("patna").assembly_seats.first())
    page = phone_page
    sign_in(page, live_server.url, "dc_patna_b", PASSWORD)
    page.goto(f"{live_server.url}/activities/new/")
    page.select_option("#id_task", "meals")
    page.wait_for_selector("#id_metric_meals")
    page.fill("#id_metric_meals", "-5")
    page.fill("#id_notes", "x")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.click("[data-testid=activity-save]")
    page.wait_for_load_state("networkidle")
    box = page.locator("[data-testid=error-summary]")
    assert "Please correct 1 field" in box.inner_text()
    page.wait_for_function(
        "document.activeElement && document.activeElement.dataset.testid === 'error-summary'"
    )
    top = page.evaluate("document.querySelector('[data-testid=error-summary]').getBoundingClientRect().top")
    assert -1 <= top < 740  # in view on the 740-px-tall phone (scrolled to its top)
    screenshot(page, "error-summary-360")
    page.click("[data-testid=error-summary] a[href='#id_metric_meals']")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_metric_meals'")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
