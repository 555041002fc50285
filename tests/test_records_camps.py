"""Donation camps: planning, holding (one activity, once), cancelling, scope, API and pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone

from tasks17.choices import COUNTED_STATUSES, ActivityOrigin, CampKind, CampStatus
from tasks17.models import Activity, ActivityValue, DonationCamp
from tasks17.records import services
from tests.factories import seat_in
from tests.factories_tasks import task

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def plan(by, district, **extra):
    values = {
        "kind": CampKind.BLOOD,
        "district": district,
        "venue": "Gandhi Maidan",
        "date": TODAY(),
        "organiser": "Yuva Morcha",
    }
    values.update(extra)
    return services.camp_create(by=by, **values)


def errors_of(excinfo):
    return excinfo.value.message_dict


def test_it_plans_a_camp_in_scope(dc_patna, patna):
    camp = plan(dc_patna, patna, assembly_seat=seat_in("patna"), organiser_phone="98765 43210")
    assert camp.status == CampStatus.PLANNED
    assert camp.organiser_phone == "+919876543210"


def test_it_refuses_a_camp_in_another_district(dc_gaya, patna):
    with pytest.raises(ValidationError) as excinfo:
        plan(dc_gaya, patna)
    assert "district" in errors_of(excinfo)


def test_it_refuses_a_seat_of_another_district(dc_patna, patna):
    with pytest.raises(ValidationError) as excinfo:
        plan(dc_patna, patna, assembly_seat=seat_in("gaya"))
    assert "assembly_seat" in errors_of(excinfo)


def test_holding_writes_one_activity_with_the_numbers(dc_patna, patna):
    camp = plan(dc_patna, patna)
    camp = services.camp_hold(by=dc_patna, camp=camp, donors=40, units=38)
    assert camp.status == CampStatus.HELD
    activity = camp.activity
    assert activity.origin == ActivityOrigin.CAMP
    assert activity.task == task("blood-camp")
    assert {v.metric.code: v.value for v in activity.values.all()} == {"camps": 1, "donors": 40, "units": 38}


def test_holding_again_does_not_add_an_activity(dc_patna, patna):
    camp = plan(dc_patna, patna)
    services.camp_hold(by=dc_patna, camp=camp, donors=10, units=10)
    before = Activity.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.camp_hold(by=dc_patna, camp=camp, donors=10, units=10)
    assert "status" in errors_of(excinfo)
    assert Activity.objects.count() == before
    total = ActivityValue.objects.filter(
        metric__code="camps", activity__task__code="blood-camp", activity__status__in=COUNTED_STATUSES
    ).aggregate(total=Sum("value"))["total"]
    assert total == 1


def test_a_plasma_camp_feeds_the_plasma_task(dc_patna, patna):
    camp = services.camp_hold(
        by=dc_patna, camp=plan(dc_patna, patna, kind=CampKind.PLASMA), donors=3, units=3
    )
    assert camp.activity.task == task("plasma-camp")


@pytest.mark.parametrize(
    ("donors", "units", "field"),
    [(-1, 5, "donors"), (5, -2, "units"), (2.5, 5, "donors"), (5, "many", "units"), (5, 100000, "units")],
)
def test_it_refuses_bad_numbers(dc_patna, patna, donors, units, field):
    camp = plan(dc_patna, patna)
    with pytest.raises(ValidationError) as excinfo:
        services.camp_hold(by=dc_patna, camp=camp, donors=donors, units=units)
    assert field in errors_of(excinfo)
    assert Activity.objects.count() == 0


def test_it_refuses_to_hold_a_camp_in_the_future(dc_patna, patna):
    camp = plan(dc_patna, patna, date=TODAY() + datetime.timedelta(days=3))
    with pytest.raises(ValidationError) as excinfo:
        services.camp_hold(by=dc_patna, camp=camp, donors=1, units=1)
    assert "date" in errors_of(excinfo)
    camp.refresh_from_db()
    assert camp.status == CampStatus.PLANNED


def test_a_district_user_cannot_hold_a_camp_long_past(dc_patna, patna, state_staff):
    camp = plan(dc_patna, patna, date=TODAY() - datetime.timedelta(days=60))
    with pytest.raises(ValidationError) as excinfo:
        services.camp_hold(by=dc_patna, camp=camp, donors=1, units=1)
    assert "date" in errors_of(excinfo)
    assert services.camp_hold(by=state_staff, camp=camp, donors=1, units=1).status == CampStatus.HELD


def test_it_refuses_when_the_task_is_retired(dc_patna, patna):
    blood = task("blood-camp")
    blood.is_active = False
    blood.save()
    camp = plan(dc_patna, patna)
    with pytest.raises(ValidationError) as excinfo:
        services.camp_hold(by=dc_patna, camp=camp, donors=1, units=1)
    assert "kind" in errors_of(excinfo)


def test_only_a_planned_camp_can_be_changed_or_cancelled(dc_patna, patna):
    camp = plan(dc_patna, patna)
    camp = services.camp_update(by=dc_patna, camp=camp, data={"venue": "Town hall"})
    assert camp.venue == "Town hall"
    with pytest.raises(ValidationError) as excinfo:
        services.camp_cancel(by=dc_patna, camp=camp, reason="  ")
    assert "reason" in errors_of(excinfo)
    camp = services.camp_cancel(by=dc_patna, camp=camp, reason="Heavy rain")
    assert camp.status == CampStatus.CANCELLED
    assert "Heavy rain" in camp.notes
    for call in (
        lambda: services.camp_update(by=dc_patna, camp=camp, data={"venue": "X"}),
        lambda: services.camp_hold(by=dc_patna, camp=camp, donors=1, units=1),
        lambda: services.camp_cancel(by=dc_patna, camp=camp, reason="again"),
    ):
        with pytest.raises(ValidationError) as excinfo:
            call()
        assert "status" in errors_of(excinfo)


def test_a_camp_activity_cannot_be_corrected_as_a_report(dc_patna, patna):
    from tasks17.services import activity_update

    camp = services.camp_hold(by=dc_patna, camp=plan(dc_patna, patna), donors=4, units=4)
    with pytest.raises(ValidationError) as excinfo:
        activity_update(
            by=dc_patna, activity=camp.activity, task=camp.activity.task, date=TODAY(), values={"camps": 2}
        )
    assert "origin" in errors_of(excinfo)


# --- API -----------------------------------------------------------------------------------


def test_api_plans_holds_and_cancels(api, dc_patna, patna):
    api.force_authenticate(dc_patna)
    response = api.post(
        "/api/v1/camps/",
        {
            "kind": "blood",
            "district": "patna",
            "venue": "PMCH",
            "date": TODAY().isoformat(),
            "organiser": "Unit 4",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    camp_id = response.json()["id"]
    response = api.patch(f"/api/v1/camps/{camp_id}/", {"venue": "PMCH hall 2"}, format="json")
    assert response.status_code == 200 and response.json()["venue"] == "PMCH hall 2"
    response = api.post(f"/api/v1/camps/{camp_id}/hold/", {"donors": 12, "units": 11}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "held" and response.json()["activity"]
    again = api.post(f"/api/v1/camps/{camp_id}/hold/", {"donors": 12, "units": 11}, format="json")
    assert again.status_code == 400 and "status" in again.json()
    assert Activity.objects.count() == 1
    other = api.post(
        "/api/v1/camps/",
        {
            "kind": "plasma",
            "district": "patna",
            "venue": "AIIMS",
            "date": TODAY().isoformat(),
            "organiser": "U",
        },
        format="json",
    ).json()["id"]
    assert api.post(f"/api/v1/camps/{other}/cancel/", {}, format="json").status_code == 400
    response = api.post(f"/api/v1/camps/{other}/cancel/", {"reason": "No doctors"}, format="json")
    assert response.json()["status"] == "cancelled"


def test_api_answers_field_errors(api, dc_patna, patna):
    api.force_authenticate(dc_patna)
    camp = plan(dc_patna, patna)
    response = api.post(f"/api/v1/camps/{camp.pk}/hold/", {"donors": 5, "units": 99999}, format="json")
    assert response.status_code == 400 and "units" in response.json()
    response = api.post(
        "/api/v1/camps/",
        {"kind": "blood", "district": "gaya", "venue": "V", "date": TODAY().isoformat(), "organiser": "O"},
        format="json",
    )
    assert response.status_code == 400 and "district" in response.json()


def test_api_hides_other_districts_camps(api, dc_patna, dc_gaya, patna):
    camp = plan(dc_patna, patna)
    api.force_authenticate(dc_gaya)
    assert api.get("/api/v1/camps/").json()["count"] == 0
    assert api.get(f"/api/v1/camps/{camp.pk}/").status_code == 404
    assert api.patch(f"/api/v1/camps/{camp.pk}/", {"venue": "X"}, format="json").status_code == 404
    assert (
        api.post(f"/api/v1/camps/{camp.pk}/hold/", {"donors": 1, "units": 1}, format="json").status_code
        == 404
    )


def test_api_refuses_camps_to_the_helpline(api, helpline_patna):
    api.force_authenticate(helpline_patna)
    assert api.get("/api/v1/camps/").status_code == 403
    response = api.post(
        "/api/v1/camps/",
        {"kind": "blood", "district": "patna", "venue": "V", "date": TODAY().isoformat(), "organiser": "O"},
        format="json",
    )
    assert response.status_code == 403


def test_api_filters_camps(api, state_staff, dc_patna, patna, gaya, dc_gaya):
    plan(dc_patna, patna)
    plan(dc_gaya, gaya, kind=CampKind.PLASMA)
    api.force_authenticate(state_staff)
    assert api.get("/api/v1/camps/").json()["count"] == 2
    assert api.get("/api/v1/camps/?district=gaya").json()["count"] == 1
    assert api.get("/api/v1/camps/?kind=blood&status=planned").json()["count"] == 1


# --- pages ---------------------------------------------------------------------------------


def test_pages_plan_and_hold_a_camp(client_as, dc_patna, patna):
    client = client_as(dc_patna)
    assert client.get("/camps/").status_code == 200
    assert client.get("/camps/new/").status_code == 200
    response = client.post(
        "/camps/new/",
        {
            "kind": "blood",
            "district": patna.pk,
            "venue": "Gandhi Maidan",
            "date": TODAY().isoformat(),
            "organiser": "Yuva Morcha",
        },
    )
    assert response.status_code == 302
    camp = DonationCamp.objects.get()
    assert client.get(f"/camps/{camp.pk}/").status_code == 200
    assert client.get(f"/camps/{camp.pk}/edit/").status_code == 200
    response = client.post(f"/camps/{camp.pk}/hold/", {"donors": "9", "units": "99999"})
    assert response.status_code == 400
    assert "at most" in response.content.decode()
    response = client.post(f"/camps/{camp.pk}/hold/", {"donors": "9", "units": "8"})
    assert response.status_code == 302
    camp.refresh_from_db()
    assert camp.status == CampStatus.HELD and camp.units == 8


def test_page_shows_a_bad_phone_next_to_the_field(client_as, dc_patna, patna):
    response = client_as(dc_patna).post(
        "/camps/new/",
        {
            "kind": "blood",
            "district": patna.pk,
            "venue": "V",
            "date": TODAY().isoformat(),
            "organiser": "O",
            "organiser_phone": "12345",
        },
    )
    assert response.status_code == 200
    assert "Indian mobile" in response.content.decode()
    assert DonationCamp.objects.count() == 0


def test_pages_hide_other_districts_camps(client_as, dc_patna, dc_gaya, patna):
    camp = plan(dc_patna, patna)
    client = client_as(dc_gaya)
    assert "Gandhi Maidan" not in client.get("/camps/").content.decode()
    assert client.get(f"/camps/{camp.pk}/").status_code == 404
    assert client.get(f"/camps/{camp.pk}/edit/").status_code == 404
    assert client.post(f"/camps/{camp.pk}/hold/", {"donors": 1, "units": 1}).status_code == 404


def test_pages_refuse_the_helpline(client_as, helpline_patna):
    client = client_as(helpline_patna)
    assert client.get("/camps/").status_code == 403
    assert client.get("/camps/new/").status_code == 403


def test_a_number_error_is_named_by_its_field(dc_patna, patna):
    task("blood-camp").metrics.filter(code="donors").update(is_active=False)
    camp = plan(dc_patna, patna)
    with pytest.raises(ValidationError) as excinfo:
        services.camp_hold(by=dc_patna, camp=camp, donors=3, units=3)
    assert list(errors_of(excinfo)) == ["donors"]
    assert Activity.objects.count() == 0


def test_changing_a_camp_outside_the_scope_is_a_404(dc_patna, dc_gaya, patna):
    camp = plan(dc_patna, patna)
    steps = [
        lambda: services.camp_update(by=dc_gaya, camp=camp, data={"venue": "Elsewhere"}),
        lambda: services.camp_hold(by=dc_gaya, camp=camp, donors=3, units=3),
        lambda: services.camp_cancel(by=dc_gaya, camp=camp, reason="Rain"),
    ]
    for step in steps:
        with pytest.raises(Http404):
            step()
    camp.refresh_from_db()
    assert (camp.status, camp.venue) == (CampStatus.PLANNED, "Gandhi Maidan")


def test_api_says_whether_the_camp_may_still_change(api, dc_patna, state_staff, patna):
    camp = plan(dc_patna, patna)
    api.force_authenticate(dc_patna)
    assert api.get(f"/api/v1/camps/{camp.pk}/").json()["can_change"] is True
    held = api.post(f"/api/v1/camps/{camp.pk}/hold/", {"donors": 5, "units": 5}, format="json").json()
    assert held["can_change"] is False
    api.force_authenticate(state_staff)
    assert api.get(f"/api/v1/camps/{plan(dc_patna, patna).pk}/").json()["can_change"] is True
