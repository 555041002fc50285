"""The helplines API: scoped, masked, every write through the services, errors by field."""

import pytest

from helplines.choices import EventKind, Outcome
from helplines.models import HelpRequest
from tasks17.records.services import donor_opt_out, donor_register
from tests.factories import WorkerFactory, district
from tests.factories_helplines import facility, open_request, report

pytestmark = pytest.mark.django_db

REQUESTS = "/api/v1/help-requests/"


def _body(**extra):
    return {
        "helpline": None,
        "district": "gaya",
        "caller_name": "Sunita Devi",
        "caller_phone": "9812345678",
        "patient_name": "Mohan Lal",
        "patient_age": 62,
        "category": "oxygen_bed",
        "urgency": "critical",
        "details": "SpO2 88",
        **extra,
    }


def test_an_operator_opens_a_request_for_a_district_his_helpline_serves(api, operator, patna_line):
    api.force_authenticate(operator)
    answer = api.post(REQUESTS, _body(helpline=patna_line.pk), format="json")
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    assert data["reference"] == "GAY-0001" and data["caller_phone"] == "+919812345678" and not data["masked"]


def test_bad_input_is_named_by_field(api, operator, patna_line):
    api.force_authenticate(operator)
    answer = api.post(
        REQUESTS,
        _body(helpline=patna_line.pk, caller_phone="123", category="spaceship", urgency="soon"),
        format="json",
    )
    assert answer.status_code == 400
    assert {"caller_phone", "category", "urgency"} <= set(answer.json())
    answer = api.post(REQUESTS, _body(helpline=patna_line.pk, district="siwan"), format="json")
    assert answer.status_code == 400 and "district" in answer.json()
    assert not HelpRequest.objects.exists()


def test_errors_come_in_hindi(api, operator, patna_line):
    api.force_authenticate(operator)
    answer = api.post(
        REQUESTS, _body(helpline=patna_line.pk, district="siwan"), format="json", HTTP_ACCEPT_LANGUAGE="hi"
    )
    message = answer.json()["district"][0]
    assert answer.status_code == 400 and message == "यह हेल्पलाइन सीवान की कॉल नहीं लेती।"


def test_assign_resolve_events_once(api, operator, patna_line):
    request = open_request(operator, patna_line, code="gaya")
    api.force_authenticate(operator)
    other = WorkerFactory(district=district("patna"))
    assert "worker" in api.post(f"{REQUESTS}{request.pk}/assign/", {"worker": other.pk}, format="json").json()
    worker = WorkerFactory(district=district("gaya"))
    assert (
        api.post(f"{REQUESTS}{request.pk}/assign/", {"worker": worker.pk}, format="json").status_code == 200
    )
    done = api.post(f"{REQUESTS}{request.pk}/resolve/", {"outcome": Outcome.BED_ARRANGED}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    again = api.post(f"{REQUESTS}{request.pk}/resolve/", {"outcome": Outcome.BED_ARRANGED}, format="json")
    assert again.status_code == 400 and "status" in again.json()
    kinds = [event["kind"] for event in api.get(f"{REQUESTS}{request.pk}/events/").json()]
    assert kinds == ["created", "assigned", "resolved"]


@pytest.mark.parametrize(
    ("persona_name", "sees_names"),
    [
        ("state_admin", True),
        ("operator", True),
        ("dc_gaya", True),
        ("state_staff", False),
        ("gaya_operator", False),
    ],
)
def test_names_and_phones_are_masked_for_others(request, api, operator, patna_line, persona_name, sees_names):
    row = open_request(
        operator, patna_line, code="gaya", caller_name="Kamla Prasad", caller_phone="+919812300001"
    )
    api.force_authenticate(request.getfixturevalue(persona_name))
    listed = api.get(REQUESTS).json()["results"]
    one = api.get(f"{REQUESTS}{row.pk}/").json()
    for data in (listed[0], one):
        assert (data["caller_name"] == "Kamla Prasad") is sees_names
        assert (data["caller_phone"] == "+919812300001") is sees_names
        assert data["masked"] is not sees_names
    opened = row.events.filter(kind=EventKind.PERSONAL_OPENED).exists()
    assert opened is sees_names


def test_another_districts_request_is_a_404(api, operator, patna_line, dc_patna):
    row = open_request(operator, patna_line, code="gaya")
    api.force_authenticate(dc_patna)
    assert api.get(REQUESTS).json()["count"] == 0
    assert api.get(f"{REQUESTS}{row.pk}/").status_code == 404
    assert api.get(f"{REQUESTS}{row.pk}/events/").status_code == 404
    assert api.post(
        f"{REQUESTS}{row.pk}/resolve/", {"outcome": "bed_arranged"}, format="json"
    ).status_code in (403, 404)


def test_a_coordinator_cannot_write(api, operator, patna_line, dc_gaya):
    row = open_request(operator, patna_line, code="gaya")
    api.force_authenticate(dc_gaya)
    assert (
        api.post(f"{REQUESTS}{row.pk}/resolve/", {"outcome": "bed_arranged"}, format="json").status_code
        == 403
    )
    assert api.get(f"{REQUESTS}{row.pk}/matches/").status_code == 403


def test_matches_list_compatible_donors_never_the_opted_out(api, operator, patna_line, state_admin):
    keep = donor_register(
        by=state_admin,
        name="Ravi",
        phone="+919800000051",
        blood_group="O-",
        district=district("patna"),
        consent_to_contact=True,
    )
    gone = donor_register(
        by=state_admin,
        name="Gone",
        phone="+919800000052",
        blood_group="O-",
        district=district("patna"),
        consent_to_contact=True,
    )
    donor_opt_out(by=state_admin, donor=gone)
    row = open_request(operator, patna_line, category="blood", blood_group="B+")
    api.force_authenticate(operator)
    assert [donor["id"] for donor in api.get(f"{REQUESTS}{row.pk}/matches/").json()] == [keep.pk]


def test_facility_availability(api, operator, dc_gaya):
    place = facility(name="AIIMS Patna")
    api.force_authenticate(operator)
    bad = api.post(
        f"/api/v1/facilities/{place.pk}/availability/",
        {"verification": "called", "beds_icu": -1, "beds_oxygen": 100000},
        format="json",
    )
    assert bad.status_code == 400 and {"beds_icu", "beds_oxygen"} <= set(bad.json())
    good = api.post(
        f"/api/v1/facilities/{place.pk}/availability/",
        {"verification": "visited", "beds_oxygen": 6},
        format="json",
    )
    assert good.status_code == 201 and good.json()["beds_free"]["oxygen"] == 6
    listed = api.get("/api/v1/facilities/", {"district": "patna"}).json()["results"]
    assert listed[0]["beds_free"]["oxygen"] == 6 and listed[0]["reported_at"]
    api.force_authenticate(dc_gaya)
    assert api.get(f"/api/v1/facilities/{place.pk}/").status_code == 404


def test_facility_list_queries_stay_flat(api, operator, django_assert_max_num_queries):
    for n in range(6):
        report(operator, facility(name=f"Hospital {n}"), beds_oxygen=n + 1)
    api.force_authenticate(operator)
    with django_assert_max_num_queries(12):
        assert len(api.get("/api/v1/facilities/").json()["results"]) == 6


def test_shifts_and_helplines(api, lead, operator, patna_line, dc_gaya, gaya_line):
    api.force_authenticate(lead)
    body = {
        "helpline": patna_line.pk,
        "operator": operator.pk,
        "start": "2026-05-01T20:00:00+05:30",
        "end": "2026-05-02T04:00:00+05:30",
    }
    assert api.post("/api/v1/shifts/", body, format="json").status_code == 201
    clash = api.post(
        "/api/v1/shifts/",
        {**body, "start": "2026-05-02T02:00:00+05:30", "end": "2026-05-02T06:00:00+05:30"},
        format="json",
    )
    assert clash.status_code == 400 and "start" in clash.json()
    api.force_authenticate(dc_gaya)
    names = {row["name"] for row in api.get("/api/v1/helplines/").json()["results"]}
    assert names == {"Patna Seva Helpline", "Gaya Seva Helpline"}  # both take Gaya's calls
    denied = api.post(
        "/api/v1/helplines/", {"name": "X", "city": "Gaya", "district": "gaya", "phones": "1"}, format="json"
    )
    assert denied.status_code == 403


def test_the_dashboard_api_carries_the_helpline_figures(api, operator, patna_line, state_staff, dc_gaya):
    open_request(operator, patna_line, code="gaya")
    api.force_authenticate(state_staff)
    state = api.get("/api/v1/dashboard/state/", {"days": 7}).json()
    assert state["helplines"]["open"] == 1
    assert [row["district"] for row in state["helpline_districts"]] == ["gaya"]
    api.force_authenticate(dc_gaya)
    assert api.get("/api/v1/dashboard/districts/gaya/", {"days": 7}).json()["helplines"]["open"] == 1
