"""Video conferences: who may lead one, the numbers they feed, corrections, scope."""

import datetime
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.http import Http404
from django.utils import timezone
from rest_framework.test import APIClient

from seva.people.choices import WorkerRole
from tasks17.choices import CONFERENCE_TASK_CODE, ActivityOrigin
from tasks17.models import Activity, VideoConference
from tasks17.records import services
from tasks17.services import activity_verify
from tests.factories import WorkerFactory, district

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def numbers(activity):
    return {v.metric.code: v.value for v in activity.values.all()}


def record(by, *, representative=None, code="patna", **extra):
    values = {
        "representative": representative or WorkerFactory(role=WorkerRole.MLA, district=district(code)),
        "district": district(code),
        "worker_group": "Booth presidents of Danapur",
        "date": TODAY(),
        "participant_count": 30,
        "topics": "Oxygen, vaccination",
    }
    values.update(extra)
    return services.conference_record(by=by, **values)


def test_recording_writes_the_meeting_and_its_participants(dc_patna):
    people = WorkerFactory.create_batch(3)
    conference = record(dc_patna, participants=people, participant_count=25)
    assert conference.participants.count() == 3
    assert conference.activity.origin == ActivityOrigin.CONFERENCE
    assert conference.activity.task.code == CONFERENCE_TASK_CODE
    assert numbers(conference.activity) == {"meetings": 1, "participants": 25}


def test_the_same_client_reference_is_stored_once(dc_patna):
    reference = uuid.uuid4()
    first = record(dc_patna, client_uuid=reference)
    again = record(dc_patna, client_uuid=reference)
    assert first.pk == again.pk
    assert VideoConference.objects.count() == 1 and Activity.objects.count() == 1
    assert first.activity.client_uuid == reference


@pytest.mark.parametrize("role", [WorkerRole.MP, WorkerRole.MLA, WorkerRole.STATE_OFFICE_BEARER])
def test_representatives_may_lead(dc_patna, role):
    assert record(dc_patna, representative=WorkerFactory(role=role)).pk


def test_it_refuses_another_role_as_representative(dc_patna):
    with pytest.raises(ValidationError) as excinfo:
        record(dc_patna, representative=WorkerFactory(role=WorkerRole.VOLUNTEER))
    assert "representative" in excinfo.value.message_dict
    assert Activity.objects.count() == 0


def test_it_refuses_bad_input(dc_patna, dc_gaya):
    cases = [
        ({"date": TODAY() + datetime.timedelta(days=1)}, "date"),
        ({"participants": WorkerFactory.create_batch(3), "participant_count": 2}, "participant_count"),
        ({"participant_count": 0}, "participant_count"),
        ({"participant_count": 10**6}, "participant_count"),
        ({"participants": [WorkerFactory(district=district("gaya"))]}, "participants"),
        ({"representative": WorkerFactory(role=WorkerRole.MP, district=district("gaya"))}, "representative"),
    ]
    for extra, field in cases:
        with pytest.raises(ValidationError) as excinfo:
            record(dc_patna, **extra)
        assert field in excinfo.value.message_dict, (extra, excinfo.value.message_dict)
    with pytest.raises(ValidationError) as excinfo:
        record(
            dc_gaya, code="patna", representative=WorkerFactory(role=WorkerRole.MP, district=district("gaya"))
        )
    assert "district" in excinfo.value.message_dict
    assert VideoConference.objects.count() == 0 and Activity.objects.count() == 0


def test_it_refuses_when_the_task_is_retired(dc_patna):
    from tests.factories_tasks import task

    retired = task(CONFERENCE_TASK_CODE)
    retired.is_active = False
    retired.save()
    with pytest.raises(ValidationError) as excinfo:
        record(dc_patna)
    assert "task" in excinfo.value.message_dict


def test_an_update_follows_into_the_activity_until_reviewed(dc_patna, state_staff):
    conference = record(dc_patna)
    # Someone else in scope (state staff) may correct it too: the record's rules apply.
    conference = services.conference_update(
        by=state_staff, conference=conference, data={"participant_count": 44}
    )
    assert numbers(Activity.objects.get(pk=conference.activity_id)) == {"meetings": 1, "participants": 44}
    with pytest.raises(ValidationError) as excinfo:
        services.conference_update(
            by=dc_patna, conference=conference, data={}, participants=WorkerFactory.create_batch(50)
        )
    assert "participant_count" in excinfo.value.message_dict
    activity_verify(by=state_staff, activity=conference.activity)
    with pytest.raises(ValidationError) as excinfo:
        services.conference_update(by=dc_patna, conference=conference, data={"participant_count": 50})
    assert "status" in excinfo.value.message_dict


def test_api_records_and_corrects(api, dc_patna):
    mla = WorkerFactory(role=WorkerRole.MLA)
    helpers = WorkerFactory.create_batch(2)
    api.force_authenticate(dc_patna)
    body = {
        "client_uuid": str(uuid.uuid4()),
        "representative": mla.pk,
        "district": "patna",
        "worker_group": "Mandal presidents",
        "date": TODAY().isoformat(),
        "participants": [w.pk for w in helpers],
        "participant_count": 12,
        "topics": "Relief kits",
    }
    response = api.post("/api/v1/conferences/", body, format="json")
    assert response.status_code == 201, response.json()
    assert api.post("/api/v1/conferences/", body, format="json").status_code == 200
    conference_id = response.json()["id"]
    response = api.patch(f"/api/v1/conferences/{conference_id}/", {"participant_count": 15}, format="json")
    assert response.status_code == 200 and response.json()["participant_count"] == 15
    response = api.patch(f"/api/v1/conferences/{conference_id}/", {"participant_count": 1}, format="json")
    assert response.status_code == 400 and "participant_count" in response.json()
    volunteer = WorkerFactory(role=WorkerRole.VOLUNTEER)
    response = api.post(
        "/api/v1/conferences/",
        {**body, "client_uuid": str(uuid.uuid4()), "representative": volunteer.pk},
        format="json",
    )
    assert response.status_code == 400 and "representative" in response.json()


def test_api_hides_other_districts_conferences(api, dc_patna, dc_gaya):
    conference = record(dc_patna)
    api.force_authenticate(dc_gaya)
    assert api.get("/api/v1/conferences/").json()["count"] == 0
    assert api.get(f"/api/v1/conferences/{conference.pk}/").status_code == 404
    assert (
        api.patch(f"/api/v1/conferences/{conference.pk}/", {"topics": "x"}, format="json").status_code == 404
    )


def test_api_refuses_the_helpline(api, helpline_patna):
    api.force_authenticate(helpline_patna)
    assert api.get("/api/v1/conferences/").status_code == 403


def test_pages_record_and_show_a_conference(client_as, dc_patna, patna):
    mp = WorkerFactory(role=WorkerRole.MP, name="Ram Kripal")
    volunteer = WorkerFactory(role=WorkerRole.VOLUNTEER, name="Shyam")
    client = client_as(dc_patna)
    page = client.get("/conferences/new/").content.decode()
    assert "Ram Kripal" in page
    # Only representatives are offered as such; the volunteer appears among participants only.
    assert page.count("Shyam") == 1
    response = client.post(
        "/conferences/new/",
        {
            "representative": volunteer.pk,
            "district": patna.pk,
            "worker_group": "G",
            "date": TODAY().isoformat(),
            "participant_count": 3,
            "topics": "T",
        },
    )
    assert response.status_code == 200 and VideoConference.objects.count() == 0
    response = client.post(
        "/conferences/new/",
        {
            "representative": mp.pk,
            "district": patna.pk,
            "worker_group": "G",
            "date": TODAY().isoformat(),
            "participants": [volunteer.pk],
            "participant_count": 3,
            "topics": "T",
        },
    )
    assert response.status_code == 302
    conference = VideoConference.objects.get()
    assert client.get("/conferences/").status_code == 200
    assert "Shyam" in client.get(f"/conferences/{conference.pk}/").content.decode()
    options = client.get(f"/conferences/worker-options/?district={patna.pk}").content.decode()
    assert "Shyam" in options


def test_pages_hide_other_districts_conferences(client_as, dc_patna, dc_gaya):
    conference = record(dc_patna)
    client = client_as(dc_gaya)
    assert client.get(f"/conferences/{conference.pk}/").status_code == 404
    assert "Danapur" not in client.get("/conferences/", HTTP_HX_REQUEST="true").content.decode()
    assert client_as(dc_gaya).get("/conferences/new/").status_code == 200


def test_the_edit_page_corrects_a_conference_until_its_report_is_reviewed(
    client_as, dc_patna, dc_gaya, state_staff
):
    from django.urls import reverse

    conference = record(dc_patna)
    helper = WorkerFactory(district=district("patna"), name="Helper on the call")
    client = client_as(dc_patna)
    edit = reverse("tasks17:record-conference-update", args=[conference.pk])
    assert (
        'data-testid="conference-edit"'
        in client.get(reverse("tasks17:record-conference-detail", args=[conference.pk])).content.decode()
    )
    page = client.get(edit).content.decode()
    assert conference.worker_group in page
    data = {
        "representative": conference.representative_id,
        "worker_group": conference.worker_group,
        "date": conference.date.isoformat(),
        "participants": [helper.pk],
        "participant_count": "25",
        "topics": "Oxygen, beds",
        "follow_ups": "",
    }
    assert client.post(edit, {**data, "participant_count": "0"}).status_code == 200  # refused, shown
    assert client.post(edit, data).status_code == 302
    conference.refresh_from_db()
    assert conference.participant_count == 25 and list(conference.participants.all()) == [helper]
    assert numbers(conference.activity) == {"meetings": 1, "participants": 25}
    assert client_as(dc_gaya).get(edit).status_code == 404
    activity_verify(by=state_staff, activity=conference.activity)
    response = client_as(dc_patna).post(edit, {**data, "participant_count": "30"})
    assert response.status_code == 200 and "can no longer be changed" in response.content.decode()
    conference.refresh_from_db()
    assert conference.participant_count == 25


def test_the_participants_list_is_searched_not_listed_whole(client_as, dc_patna, dc_gaya, patna):
    from django.urls import reverse

    from tasks17.records.forms import PARTICIPANT_OPTIONS

    WorkerFactory.create_batch(PARTICIPANT_OPTIONS + 5, district=patna)
    chosen = WorkerFactory(district=patna, name="Zeenat Parveen")
    WorkerFactory(district=district("gaya"), name="Zeenat of Gaya")
    client = client_as(dc_patna)
    form = client.get(reverse("tasks17:record-conference-create")).content.decode()
    options = form.split('id="id_participants"')[1].split("</select>")[0]
    assert options.count("<option") == PARTICIPANT_OPTIONS  # not every worker of the district
    url = reverse("tasks17:record-worker-options")
    found = client.get(url, {"district": patna.pk, "participant_search": "zeenat"}).content.decode()
    assert "Zeenat Parveen" in found and "Gaya" not in found and found.count("<option") == 1
    # A new search keeps what was already chosen, selected.
    kept = client.get(url, {"district": patna.pk, "participant_search": "nobody", "participants": chosen.pk})
    assert f'<option value="{chosen.pk}" selected>' in kept.content.decode()
    assert client_as(dc_gaya).get(url, {"district": patna.pk}).content.decode().strip() == ""


def test_a_conference_never_takes_over_another_report(dc_patna):
    from tests.factories_tasks import report

    typed_in = report(dc_patna)
    with pytest.raises(ValidationError) as excinfo:
        record(dc_patna, client_uuid=typed_in.client_uuid)
    assert "client_uuid" in excinfo.value.message_dict
    assert not VideoConference.objects.exists()
    assert Activity.objects.get().origin == ActivityOrigin.REPORT


def test_the_service_keeps_the_rules_the_form_offers(dc_patna, gaya):
    with pytest.raises(ValidationError) as excinfo:
        record(
            dc_patna,
            representative=WorkerFactory(role=WorkerRole.MP, district=district("patna"), is_active=False),
        )
    assert "no longer an active worker" in excinfo.value.message_dict["representative"][0]
    with pytest.raises(ValidationError) as excinfo:
        record(dc_patna, participants=[WorkerFactory(district=district("patna"), is_active=False)])
    assert "participants" in excinfo.value.message_dict
    conference = record(dc_patna)
    with pytest.raises(ValidationError) as excinfo:
        services.conference_update(by=dc_patna, conference=conference, data={"district": gaya})
    assert excinfo.value.message_dict == {"district": ["The district of a conference cannot change."]}


def test_correcting_a_conference_outside_the_scope_is_a_404(dc_patna, dc_gaya):
    conference = record(dc_patna)
    with pytest.raises(Http404):
        services.conference_update(by=dc_gaya, conference=conference, data={"topics": "Elsewhere"})
    conference.refresh_from_db()
    assert conference.topics == "Oxygen, vaccination"


def test_a_resent_conference_is_the_first_and_the_page_offers_a_correction_until_review(
    client_as, dc_patna, dc_gaya, state_staff
):
    reference = uuid.uuid4()
    first = record(dc_patna, client_uuid=reference)
    assert record(dc_patna, client_uuid=reference) == first
    with pytest.raises(ValidationError) as excinfo:
        record(dc_gaya, code="gaya", client_uuid=reference)
    assert list(excinfo.value.message_dict) == ["client_uuid"]
    assert VideoConference.objects.count() == 1
    client = client_as(dc_patna)
    assert 'data-testid="conference-edit"' in client.get(f"/conferences/{first.pk}/").content.decode()
    activity_verify(by=state_staff, activity=first.activity)
    assert 'data-testid="conference-edit"' not in client.get(f"/conferences/{first.pk}/").content.decode()


@pytest.mark.parametrize("reference", [5, 12345678901234567890, False])
def test_api_refuses_a_client_reference_that_is_not_text(api, dc_patna, reference):
    api.force_authenticate(dc_patna)
    body = {
        "client_uuid": reference,
        "representative": WorkerFactory(role=WorkerRole.MLA).pk,
        "district": "patna",
        "worker_group": "Mandal presidents",
        "date": TODAY().isoformat(),
        "participant_count": 12,
        "topics": "Relief kits",
    }
    response = api.post("/api/v1/conferences/", body, format="json")
    assert response.status_code == 400 and "client_uuid" in response.json()
    assert not VideoConference.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises every writer"
)
def test_concurrent_resends_of_one_conference_all_answer_the_first(geography, dc_patna):
    """20 phones resend one conference at the same moment: one 201, nineteen 200 with it."""
    mla = WorkerFactory(role=WorkerRole.MLA)
    body = {
        "client_uuid": str(uuid.uuid4()),
        "representative": mla.pk,
        "district": "patna",
        "worker_group": "Mandal presidents",
        "date": TODAY().isoformat(),
        "participant_count": 12,
        "topics": "Relief kits",
    }
    senders = 20
    barrier = threading.Barrier(senders)

    def send(_):
        client = APIClient()
        client.force_authenticate(dc_patna)
        try:
            barrier.wait(timeout=30)
            response = client.post("/api/v1/conferences/", body, format="json")
            return response.status_code, response.json().get("id")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=senders) as pool:
        answers = list(pool.map(send, range(senders)))
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * (senders - 1) + [201], answers
    conference = VideoConference.objects.get()
    assert {ident for _, ident in answers} == {conference.pk}
    assert Activity.objects.filter(client_uuid=body["client_uuid"]).count() == 1
