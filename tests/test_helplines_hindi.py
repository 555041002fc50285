"""Bad input from the issue's list is refused with the field named, in Hindi for a Hindi user."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import WorkerFactory, district
from tests.factories_helplines import facility, open_request

pytestmark = pytest.mark.django_db

REQUESTS = "/api/v1/help-requests/"


def _hindi(message):
    return any("\u0900" <= ch <= "\u097f" for ch in message)


def test_the_issues_bad_input_is_refused_by_field_in_hindi(api, lead, operator, patna_line):
    api.force_authenticate(operator)
    hi = {"HTTP_ACCEPT_LANGUAGE": "hi"}
    bad_request = api.post(
        REQUESTS,
        {
            "helpline": patna_line.pk,
            "district": "patna",
            "caller_name": "X",
            "caller_phone": "12",
            "category": "spaceship",
            "urgency": "soon",
        },
        format="json",
        **hi,
    ).json()
    for field in ("caller_phone", "category", "urgency"):
        assert _hindi(bad_request[field][0]), (field, bad_request[field])

    row = open_request(operator, patna_line)
    outsider = WorkerFactory(district=district("gaya"))
    sleeper = WorkerFactory(district=district("patna"), is_active=False)
    for worker in (outsider, sleeper):
        answer = api.post(f"{REQUESTS}{row.pk}/assign/", {"worker": worker.pk}, format="json", **hi)
        assert answer.status_code == 400 and _hindi(answer.json()["worker"][0])
    api.post(f"{REQUESTS}{row.pk}/resolve/", {"outcome": "advice_given"}, format="json")
    twice = api.post(f"{REQUESTS}{row.pk}/resolve/", {"outcome": "advice_given"}, format="json", **hi)
    assert twice.status_code == 400 and _hindi(twice.json()["status"][0])

    place = facility()
    future = (timezone.now() + datetime.timedelta(hours=2)).isoformat()
    numbers = api.post(
        f"/api/v1/facilities/{place.pk}/availability/",
        {"verification": "called", "beds_icu": -2, "oxygen_cylinders": 10**6, "reported_at": future},
        format="json",
        **hi,
    ).json()
    for field in ("beds_icu", "oxygen_cylinders", "reported_at"):
        assert _hindi(numbers[field][0]), (field, numbers[field])

    api.force_authenticate(lead)
    body = {
        "helpline": patna_line.pk,
        "operator": operator.pk,
        "start": "2026-05-01T20:00:00+05:30",
        "end": "2026-05-02T04:00:00+05:30",
    }
    assert api.post("/api/v1/shifts/", body, format="json").status_code == 201
    clash = api.post("/api/v1/shifts/", {**body, "start": "2026-05-01T22:00:00+05:30"}, format="json", **hi)
    assert clash.status_code == 400 and _hindi(clash.json()["start"][0])
