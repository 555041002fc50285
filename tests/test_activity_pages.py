"""The tasks pages: report form, list with filters and review, detail with history, targets."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tasks17.choices import ActivityOrigin, ActivityStatus
from tasks17.models import Activity, Target
from tests.factories import BoothFactory, MandalFactory, seat_in
from tests.factories_tasks import campaign_around_today, report, task

TODAY = timezone.localdate


def _form(place=None, **changes):
    booth = place
    data = {
        "task": "masks-sanitiser",
        "district": booth.assembly_seat.district_id if booth else "",
        "assembly_seat": booth.assembly_seat_id if booth else "",
        "booth": booth.pk if booth else "",
        "date": TODAY().isoformat(),
        "metric_masks": "300",
        "metric_sanitiser": "",
        "notes": "",
        "client_uuid": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


def test_the_form_offers_active_tasks_and_the_coordinators_district_only(client_as, dc_patna, patna):
    page = client_as(dc_patna).get(reverse("tasks17:activity-create")).content.decode()
    assert page.count('<option value="masks-sanitiser"') == 1
    assert 'value="telemedicine"' not in page
    assert f'<option value="{patna.pk}" selected>' in page
    assert "Gaya" not in page
    assert 'name="client_uuid"' in page and f'value="{TODAY().isoformat()}"' in page


def test_choosing_a_task_shows_its_numbers(client_as, dc_patna):
    # A typed task (issue 11: blood-camp, used here before, is fed by its records now).
    fragment = (
        client_as(dc_patna)
        .get(reverse("tasks17:metric-fields"), {"task": "elderly-medicine"})
        .content.decode()
    )
    for code in ("workers", "people"):
        assert f'name="metric_{code}"' in fragment
    assert 'inputmode="numeric"' in fragment
    assert "metric_masks" not in fragment


def test_a_coordinator_reports_and_sees_a_confirmation(client_as, dc_patna):
    booth = BoothFactory()
    client = client_as(dc_patna)
    response = client.post(reverse("tasks17:activity-create"), _form(booth), follow=True)
    activity = Activity.objects.get()
    assert response.redirect_chain[-1][0] == reverse("tasks17:activity-detail", args=[activity.pk])
    assert "your report is saved" in response.content.decode()
    assert (activity.booth, activity.numbers) == (booth, {"masks": 300})


def test_sending_the_same_form_twice_stores_it_once(client_as, dc_patna):
    client = client_as(dc_patna)
    data = _form(BoothFactory())
    client.post(reverse("tasks17:activity-create"), data)
    response = client.post(reverse("tasks17:activity-create"), data, follow=True)
    assert Activity.objects.count() == 1
    assert "already saved" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"metric_masks": "-4"}, "greater than or equal to 0"),
        ({"metric_masks": "2.5"}, "Enter a whole number"),
        ({"metric_masks": "100001"}, "less than or equal to 100000"),
        ({"metric_masks": "0"}, "at least one number above zero"),
        ({"date": "2099-01-01"}, "cannot be in the future"),
        ({"date": "2021-01-01"}, "at most 30 days"),
    ],
)
def test_bad_input_is_shown_next_to_the_field(client_as, dc_patna, changes, message):
    response = client_as(dc_patna).post(reverse("tasks17:activity-create"), _form(BoothFactory(), **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Activity.objects.exists()


def test_a_booth_of_another_district_cannot_be_chosen(client_as, dc_patna, patna):
    gaya_booth = BoothFactory(assembly_seat=seat_in("gaya"))
    data = _form(None, district=patna.pk, assembly_seat=seat_in("patna").pk, booth=gaya_booth.pk)
    response = client_as(dc_patna).post(reverse("tasks17:activity-create"), data)
    assert "Select a valid choice" in response.content.decode()
    assert not Activity.objects.exists()


def test_the_place_pickers_search_within_the_district(client_as, dc_patna):
    seat = seat_in("patna")
    BoothFactory(assembly_seat=seat, name="Kankarbagh school")
    BoothFactory(assembly_seat=seat, name="Rajendra Nagar hall")
    MandalFactory(assembly_seat=seat, name="Kankarbagh mandal")
    client = client_as(dc_patna)
    options = client.get(
        reverse("geo:booth-options"), {"assembly_seat": seat.pk, "q": "kankar"}
    ).content.decode()
    assert "Kankarbagh school" in options and "Rajendra" not in options
    assert (
        "Kankarbagh mandal"
        in client.get(reverse("geo:mandal-options"), {"assembly_seat": seat.pk}).content.decode()
    )
    gaya_seat = seat_in("gaya")
    BoothFactory(assembly_seat=gaya_seat, name="Bodh Gaya school")
    assert (
        "Bodh Gaya"
        not in client.get(reverse("geo:booth-options"), {"assembly_seat": gaya_seat.pk}).content.decode()
    )


def test_the_list_filters_and_pages(client_as, dc_patna):
    for _ in range(55):
        report(dc_patna)
    report(dc_patna, task_code="meals", values={"meals": 4}, days_ago=2)
    client = client_as(dc_patna)
    page = client.get(reverse("tasks17:activity-list")).content.decode()
    assert page.count('href="/activities/') >= 50 and "?page=2" in page
    meals = client.get(reverse("tasks17:activity-list"), {"task": "meals"}).content.decode()
    assert "Meals for infected families" in meals and "Masks given" not in meals
    fragment = client.get(reverse("tasks17:activity-list"), {"task": "meals"}, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode()


def test_the_list_query_count_stays_flat(client_as, dc_patna, django_assert_max_num_queries):
    client = client_as(dc_patna)
    for _ in range(3):
        report(dc_patna, booth=BoothFactory())
    with django_assert_max_num_queries(30) as few:
        response = client.get(reverse("tasks17:activity-list"))
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 3
    for _ in range(40):
        report(dc_patna, booth=BoothFactory())
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("tasks17:activity-list"))
    assert response.status_code == 200
    page = response.content.decode()
    shown = Activity.objects.order_by("-date", "-id")
    assert len(response.context["object_list"]) == 43
    assert all(reverse("tasks17:activity-detail", args=[a.pk]) in page for a in shown)
    assert all(f"booth {a.booth.number}" in page for a in shown)
    assert page.count("Masks given: <strong>100</strong>") == 43


def test_another_districts_report_is_a_404(client_as, dc_patna, dc_gaya):
    theirs = report(dc_gaya, code="gaya")
    client = client_as(dc_patna)
    assert client.get(reverse("tasks17:activity-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("tasks17:activity-update", args=[theirs.pk])).status_code == 404
    assert "Gaya" not in client.get(reverse("tasks17:activity-list")).content.decode()


def test_the_helpline_has_no_report_pages(client_as, helpline_patna):
    client = client_as(helpline_patna)
    for name in ("tasks17:activity-list", "tasks17:activity-create", "tasks17:target-list"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("tasks17:task-list")).status_code == 200


def test_the_reporter_corrects_his_report_until_it_is_reviewed(client_as, dc_patna, state_staff):
    activity = report(dc_patna, values={"masks": 10})
    client = client_as(dc_patna)
    edit = reverse("tasks17:activity-update", args=[activity.pk])
    form = client.get(edit).content.decode()
    assert 'value="10"' in form
    data = _form(None, district=activity.district_id, metric_masks="12", client_uuid=activity.client_uuid)
    assert client.post(edit, data).status_code == 302
    activity.refresh_from_db()
    assert activity.numbers == {"masks": 12}
    detail = client.get(reverse("tasks17:activity-detail", args=[activity.pk])).content.decode()
    assert "Masks given: 10" in detail and "Masks given: 12" in detail  # the history shows both
    client_as(state_staff).post(reverse("tasks17:activity-verify", args=[activity.pk]))
    client = client_as(dc_patna)
    assert client.get(edit).status_code == 302
    assert client.post(edit, {**data, "metric_masks": "99"}).status_code == 200
    activity.refresh_from_db()
    assert activity.numbers == {"masks": 12}


def test_state_staff_review_from_the_detail_and_the_reporter_sees_why(client_as, dc_patna, state_staff):
    activity = report(dc_patna)
    client = client_as(state_staff)
    detail = client.get(reverse("tasks17:activity-detail", args=[activity.pk])).content.decode()
    assert 'data-testid="verify"' in detail
    refused = client.post(reverse("tasks17:activity-reject", args=[activity.pk]), {"reason": ""}, follow=True)
    assert refused.redirect_chain[-1][0] == reverse("tasks17:activity-detail", args=[activity.pk])
    assert "Say why the report is rejected." in refused.content.decode()
    assert Activity.objects.get().status == ActivityStatus.SUBMITTED  # a reason is needed
    client.post(reverse("tasks17:activity-reject", args=[activity.pk]), {"reason": "Numbers look doubled"})
    client = client_as(dc_patna)
    detail = client.get(reverse("tasks17:activity-detail", args=[activity.pk])).content.decode()
    assert "Numbers look doubled" in detail and 'data-testid="verify"' not in detail
    assert "Numbers look doubled" in client.get(reverse("tasks17:activity-list")).content.decode()


def test_a_report_written_by_a_record_is_not_corrected_here(client_as, dc_patna):
    activity = report(dc_patna, origin=ActivityOrigin.CAMP)
    client = client_as(dc_patna)
    detail = reverse("tasks17:activity-detail", args=[activity.pk])
    assert "Correct this report" not in client.get(detail).content.decode()
    response = client.get(reverse("tasks17:activity-update", args=[activity.pk]), follow=True)
    assert response.redirect_chain[-1][0] == detail
    assert "correct that record instead" in response.content.decode()


def test_a_coordinator_cannot_review(client_as, dc_patna, dc_gaya):
    activity = report(dc_gaya, code="gaya")
    mine = report(dc_patna)
    client = client_as(dc_patna)
    assert client.post(reverse("tasks17:activity-verify", args=[activity.pk])).status_code == 404
    response = client.post(reverse("tasks17:activity-verify", args=[mine.pk]))
    assert response.status_code == 403
    assert Activity.objects.filter(status=ActivityStatus.VERIFIED).count() == 0


def test_bulk_verify_from_the_list(client_as, dc_patna, state_staff):
    reports = [report(dc_patna) for _ in range(3)]
    client = client_as(state_staff)
    page = client.get(reverse("tasks17:activity-list")).content.decode()
    assert page.count('name="ids"') == 3
    response = client.post(
        reverse("tasks17:activity-verify-bulk"),
        {"ids": [reports[0].pk, reports[1].pk], "query": "task=masks-sanitiser"},
    )
    assert response.url == reverse("tasks17:activity-list") + "?task=masks-sanitiser"
    assert Activity.objects.filter(status=ActivityStatus.VERIFIED).count() == 2
    response = client.post(
        reverse("tasks17:activity-verify-bulk"), {"ids": [reports[2].pk], "query": "//evil.example"}
    )
    assert response.url == reverse("tasks17:activity-list")


def test_the_tasks_page_shows_reported_and_verified_totals(client_as, dc_patna, state_staff):
    from tasks17 import services

    campaign_around_today()  # the page's default range is the campaign so far
    services.activity_verify(by=state_staff, activity=report(dc_patna, values={"masks": 40}))
    report(dc_patna, values={"masks": 2})
    page = client_as(state_staff).get(reverse("tasks17:task-list")).content.decode()
    assert '<td class="num">42</td><td class="num">40</td>' in page


def test_targets_page_and_form(client_as, state_staff, dc_patna, patna):
    client = client_as(state_staff)
    masks = task("masks-sanitiser").metrics.get(code="masks")
    data = {
        "task": masks.task_id,
        "metric": masks.pk,
        "district": patna.pk,
        "period_start": TODAY().isoformat(),
        "period_end": (TODAY() + datetime.timedelta(days=14)).isoformat(),
        "value": "1000",
    }
    assert client.post(reverse("tasks17:target-create"), {**data, "value": "0"}).status_code == 200
    meals = task("meals").metrics.first()
    response = client.post(reverse("tasks17:target-create"), {**data, "metric": meals.pk})
    assert "This metric belongs to another task." in response.content.decode()
    assert client.post(reverse("tasks17:target-create"), data).status_code == 302
    report(dc_patna, values={"masks": 250})
    page = client_as(dc_patna).get(reverse("tasks17:target-list")).content.decode()
    assert "25.0%" in page
    assert client_as(dc_patna).get(reverse("tasks17:target-create")).status_code == 403
    assert Target.objects.count() == 1


def test_the_report_form_speaks_hindi(client_as, dc_patna):
    page = (
        client_as(dc_patna)
        .get(reverse("tasks17:activity-create"), HTTP_ACCEPT_LANGUAGE="hi")
        .content.decode()
    )
    assert "मास्क-सेनेटाइजर वितरण" in page
    assert "रिपोर्ट भेजें" in page


def test_the_landing_page_points_to_reports(client_as, dc_patna, dc_gaya, state_staff, helpline_patna):
    from tasks17 import services

    services.activity_reject(by=state_staff, activity=report(dc_patna), reason="blurred")
    report(dc_patna)
    report(dc_gaya, code="gaya")
    home = client_as(dc_patna).get(reverse("home")).content.decode()
    assert 'data-testid="home-report"' in home
    assert "<strong>2</strong> reports for today" in home
    assert "<strong>1</strong> awaiting review" in home  # Gaya's is not counted
    assert "<strong>1</strong> of your reports were sent back" in home
    staff_home = client_as(state_staff).get(reverse("home")).content.decode()
    assert "<strong>2</strong> awaiting review" in staff_home
    helpline_home = client_as(helpline_patna).get(reverse("home")).content.decode()
    assert "home-report" not in helpline_home and "home-reports" not in helpline_home
