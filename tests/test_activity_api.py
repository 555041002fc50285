"""The tasks API: /api/v1/activities/, /targets/, /tasks/ — contract, errors, scope, roles."""

import datetime
import uuid

import pytest
from django.utils import timezone

from tasks17.choices import ActivityStatus
from tasks17.models import Activity, ActivityValue, Target
from tests.factories import BoothFactory, seat_in
from tests.factories_tasks import report

TODAY = timezone.localdate


def _payload(**changes):
    return {
        "client_uuid": str(uuid.uuid4()),
        "task": "masks-sanitiser",
        "district": "patna",
        "date": TODAY().isoformat(),
        "values": {"masks": 250, "sanitiser": 12},
        "notes": "Ward 4",
        **changes,
    }


def test_a_coordinator_posts_a_report_and_a_resend_is_stored_once(api, dc_patna):
    api.force_authenticate(dc_patna)
    booth = BoothFactory()
    payload = _payload(booth=booth.pk)
    first = api.post("/api/v1/activities/", payload, format="json")
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["values"] == {"masks": 250, "sanitiser": 12}
    assert (body["task"], body["district"], body["assembly_seat"], body["status"]) == (
        "masks-sanitiser",
        "patna",
        booth.assembly_seat.number,
        "submitted",
    )
    again = api.post("/api/v1/activities/", {**payload, "values": {"masks": 1}}, format="json")
    assert again.status_code == 200 and again.json() == body
    assert Activity.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"values": {"masks": -3}}, "values"),
        ({"values": {"masks": 1.5}}, "values"),
        ({"values": {"masks": 10**9}}, "values"),
        ({"values": {"meals": 3}}, "values"),
        ({"values": [1, 2]}, "values"),
        ({"task": "telemedicine"}, "task"),
        ({"task": "no-such-task"}, "task"),
        ({"date": (TODAY() + datetime.timedelta(days=1)).isoformat()}, "date"),
        ({"date": (TODAY() - datetime.timedelta(days=31)).isoformat()}, "date"),
        ({"district": "gaya"}, "district"),
        ({"client_uuid": "not-a-uuid"}, "client_uuid"),
    ],
)
def test_bad_reports_get_400_with_the_field_named(api, dc_patna, changes, field):
    api.force_authenticate(dc_patna)
    response = api.post("/api/v1/activities/", _payload(**changes), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Activity.objects.exists() and not ActivityValue.objects.exists()


def test_number_errors_name_the_metric(api, dc_patna):
    api.force_authenticate(dc_patna)
    body = api.post(
        "/api/v1/activities/", _payload(values={"masks": -3, "sanitiser": 2}), format="json"
    ).json()
    assert body == {"values": {"masks": ["Masks given cannot be negative."]}}


def test_a_booth_of_another_district_is_refused(api, dc_patna, state_staff):
    gaya_booth = BoothFactory(assembly_seat=seat_in("gaya"))
    api.force_authenticate(dc_patna)
    assert "booth" in api.post("/api/v1/activities/", _payload(booth=gaya_booth.pk), format="json").json()
    api.force_authenticate(state_staff)
    body = api.post("/api/v1/activities/", _payload(booth=gaya_booth.pk), format="json").json()
    assert body == {"booth": ["This booth is not in the chosen district."]}


def test_errors_speak_hindi(api, dc_patna):
    api.force_authenticate(dc_patna)
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    body = api.post(
        "/api/v1/activities/", _payload(date=tomorrow), format="json", HTTP_ACCEPT_LANGUAGE="hi"
    ).json()
    assert body == {"date": ["तारीख भविष्य की नहीं हो सकती।"]}


def test_the_list_is_scoped_and_filtered(api, dc_patna, dc_gaya, state_staff):
    mine = report(dc_patna, values={"masks": 5})
    report(dc_patna, task_code="meals", values={"meals": 9}, days_ago=3)
    theirs = report(dc_gaya, code="gaya")
    api.force_authenticate(dc_patna)
    assert api.get("/api/v1/activities/").json()["count"] == 2
    assert api.get(f"/api/v1/activities/{theirs.pk}/").status_code == 404
    only = api.get("/api/v1/activities/", {"task": "masks-sanitiser"}).json()
    assert [row["id"] for row in only["results"]] == [mine.pk]
    recent = api.get("/api/v1/activities/", {"date_from": TODAY().isoformat()}).json()
    assert recent["count"] == 1
    api.force_authenticate(state_staff)
    assert api.get("/api/v1/activities/").json()["count"] == 3
    assert api.get("/api/v1/activities/", {"district": "gaya"}).json()["count"] == 1
    assert api.get("/api/v1/activities/", {"status": "verified"}).json()["count"] == 0


def test_verify_and_reject_through_the_api(api, dc_patna, dc_gaya, state_staff):
    first, second = report(dc_patna), report(dc_patna)
    api.force_authenticate(dc_patna)
    assert api.post(f"/api/v1/activities/{first.pk}/verify/").status_code == 403
    api.force_authenticate(dc_gaya)
    assert api.post(f"/api/v1/activities/{first.pk}/verify/").status_code == 404
    api.force_authenticate(state_staff)
    assert api.post(f"/api/v1/activities/{first.pk}/verify/").json()["status"] == "verified"
    assert api.post(f"/api/v1/activities/{first.pk}/verify/").status_code == 400  # already reviewed
    assert api.post(f"/api/v1/activities/{second.pk}/reject/", {}, format="json").json() == {
        "reason": ["This field is required."]
    }
    rejected = api.post(
        f"/api/v1/activities/{second.pk}/reject/", {"reason": "No photo"}, format="json"
    ).json()
    assert (rejected["status"], rejected["rejection_reason"]) == ("rejected", "No photo")
    api.force_authenticate(dc_patna)  # the reporter sees why
    assert api.get(f"/api/v1/activities/{second.pk}/").json()["rejection_reason"] == "No photo"


def test_the_helpline_cannot_read_or_write_reports(api, helpline_patna, dc_patna):
    report(dc_patna)
    api.force_authenticate(helpline_patna)
    assert api.get("/api/v1/activities/").status_code == 403
    assert api.post("/api/v1/activities/", _payload(), format="json").status_code == 403
    assert api.get("/api/v1/targets/").status_code == 403


def test_anonymous_gets_401_or_403(api):
    assert api.get("/api/v1/activities/").status_code in (401, 403)
    assert api.get("/api/v1/tasks/").status_code in (401, 403)


def test_the_activity_list_query_count_stays_flat(api, dc_patna, django_assert_max_num_queries):
    api.force_authenticate(dc_patna)
    for _ in range(3):
        report(dc_patna, booth=BoothFactory())
    with django_assert_max_num_queries(12) as few:
        api.get("/api/v1/activities/")
    for _ in range(30):
        report(dc_patna, booth=BoothFactory())
    with django_assert_max_num_queries(len(few)):
        assert api.get("/api/v1/activities/").json()["count"] == 33


# --- Targets ---------------------------------------------------------------------------------


def _target(**changes):
    return {
        "task": "masks-sanitiser",
        "metric": "masks",
        "district": "patna",
        "period_start": TODAY().isoformat(),
        "period_end": (TODAY() + datetime.timedelta(days=14)).isoformat(),
        "value": 50000,
        **changes,
    }


def test_state_staff_set_targets_and_see_achievement(api, state_staff, dc_patna, dc_gaya):
    report(dc_patna, values={"masks": 5000})
    api.force_authenticate(state_staff)
    created = api.post("/api/v1/targets/", _target(), format="json")
    assert created.status_code == 201, created.json()
    assert {k: created.json()[k] for k in ("metric", "district", "value", "reported", "verified")} == {
        "metric": "masks",
        "district": "patna",
        "value": 50000,
        "reported": 5000,
        "verified": 0,
    }
    api.force_authenticate(dc_patna)
    assert api.get("/api/v1/targets/").json()["count"] == 1
    assert api.post("/api/v1/targets/", _target(), format="json").status_code == 403
    api.force_authenticate(dc_gaya)
    assert api.get("/api/v1/targets/").json()["count"] == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"metric": "meals"}, "metric"),
        ({"value": 0}, "value"),
        ({"value": -5}, "value"),
        ({"district": "atlantis"}, "district"),
        ({"period_end": "2021-01-01"}, "period_end"),
    ],
)
def test_bad_targets_get_400(api, state_staff, changes, field):
    api.force_authenticate(state_staff)
    response = api.post("/api/v1/targets/", _target(**changes), format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not Target.objects.exists()


def test_the_same_target_twice_is_a_400_not_a_500(api, state_staff):
    api.force_authenticate(state_staff)
    assert api.post("/api/v1/targets/", _target(), format="json").status_code == 201
    assert api.post("/api/v1/targets/", _target(), format="json").status_code == 400


def test_verified_figures_follow_review(api, state_staff, dc_patna):
    activity = report(dc_patna, values={"masks": 300})
    api.force_authenticate(state_staff)
    api.post("/api/v1/targets/", _target(value=600), format="json")
    api.post(f"/api/v1/activities/{activity.pk}/verify/")
    row = api.get("/api/v1/targets/").json()["results"][0]
    assert (row["reported"], row["verified"]) == (300, 300)
    assert Activity.objects.get().status == ActivityStatus.VERIFIED


def test_the_reporter_corrects_through_the_api_until_review(api, dc_patna, state_staff):
    activity = report(dc_patna, values={"masks": 80})
    api.force_authenticate(dc_patna)
    url = f"/api/v1/activities/{activity.pk}/"
    body = api.patch(url, {"values": {"masks": 8}, "notes": "typo"}, format="json").json()
    assert (body["values"], body["notes"], body["date"]) == ({"masks": 8}, "typo", TODAY().isoformat())
    assert api.patch(url, {"values": {"masks": -8}}, format="json").json() == {
        "values": {"masks": ["Masks given cannot be negative."]}
    }
    api.force_authenticate(state_staff)
    assert api.patch(url, {"notes": "mine now"}, format="json").status_code == 403  # not the reporter
    api.post(f"{url}verify/")
    api.force_authenticate(dc_patna)
    assert "status" in api.patch(url, {"notes": "late"}, format="json").json()
    assert Activity.objects.get().notes == "typo"


@pytest.mark.parametrize("reference", [5, 5.0, True, ["0f8fad5b-d9cb-469f-a165-70867728950e"]])
def test_a_client_reference_that_is_not_text_is_refused(api, dc_patna, reference):
    api.force_authenticate(dc_patna)
    response = api.post("/api/v1/activities/", _payload(client_uuid=reference), format="json")
    assert response.status_code == 400
    assert "client_uuid" in response.json()
    assert not Activity.objects.exists()
