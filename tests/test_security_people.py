"""People and phones under attack (issue 9): review rights nobody can give himself, phone
numbers that do not leak across districts, a number registered twice at the same moment, and
consent that cannot be dated in the future."""

import datetime
import importlib
import threading

import pytest
from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField
from rest_framework.test import APIClient

from seva.people import services as people_services
from seva.people.choices import GROUP_NAMES, PortalRole, WorkerRole
from seva.people.models import Worker
from seva.people.phones import NOT_REGISTRABLE_HERE
from seva.people.services import user_create, worker_create
from tasks17.choices import ActivityStatus
from tasks17.models import DonationCamp, Donor
from tasks17.records import services as record_services
from tests.factories import WorkerFactory, district
from tests.factories_tasks import report

NEUTRAL = str(NOT_REGISTRABLE_HERE)


def _link(user, worker):
    """Link ``user``'s account to ``worker`` (what the state admin does in the admin)."""
    user.profile.worker = worker
    user.profile.save()
    return get_user_model().objects.get(pk=user.pk)


def _worker_payload(**overrides):
    data = {"name": "Sita Devi", "phone": "98765 43210", "district": "gaya", "role": "volunteer"}
    data.update(overrides)
    return data


# --- review rights -------------------------------------------------------------------------


def test_a_coordinator_cannot_make_himself_president_and_review(api, dc_gaya, state_staff):
    own = WorkerFactory(district=district("gaya"), role=WorkerRole.DISTRICT_COORDINATOR)
    dc_gaya = _link(dc_gaya, own)
    staff_report = report(state_staff, code="gaya")
    api.force_authenticate(dc_gaya)

    response = api.patch(f"/api/v1/workers/{own.pk}/", {"role": "district_president"}, format="json")
    assert response.status_code == 400
    assert "role" in response.json()
    own.refresh_from_db()
    assert own.role == WorkerRole.DISTRICT_COORDINATOR

    response = api.post(f"/api/v1/activities/{staff_report.pk}/verify/")
    assert response.status_code == 403
    staff_report.refresh_from_db()
    assert staff_report.status == ActivityStatus.SUBMITTED


def test_a_president_worker_record_alone_gives_no_review_rights(api, dc_gaya, state_staff):
    # Even if the record said so (set by the state office, say), only the group reviews.
    dc_gaya = _link(dc_gaya, WorkerFactory(district=district("gaya"), role=WorkerRole.DISTRICT_PRESIDENT))
    staff_report = report(state_staff, code="gaya")
    api.force_authenticate(dc_gaya)
    assert api.post(f"/api/v1/activities/{staff_report.pk}/verify/").status_code == 403


def test_a_district_user_cannot_demote_the_real_president(api, client_as, dc_gaya):
    president = WorkerFactory(district=district("gaya"), role=WorkerRole.DISTRICT_PRESIDENT)
    api.force_authenticate(dc_gaya)
    response = api.patch(f"/api/v1/workers/{president.pk}/", {"role": "volunteer"}, format="json")
    assert response.status_code == 400
    assert "state office" in response.json()["role"][0]
    page = client_as(dc_gaya).post(
        reverse("people:worker-update", args=[president.pk]),
        {
            "name": president.name,
            "phone": str(president.phone),
            "district": president.district_id,
            "role": "volunteer",
        },
    )
    assert page.status_code == 200 and "state office" in page.content.decode()
    president.refresh_from_db()
    assert president.role == WorkerRole.DISTRICT_PRESIDENT


@pytest.mark.parametrize("role", ["district_president", "mp", "mla", "state_office_bearer"])
def test_a_district_user_cannot_give_a_position_of_the_state_office(api, dc_gaya, role):
    worker = WorkerFactory(district=district("gaya"))
    api.force_authenticate(dc_gaya)
    assert api.patch(f"/api/v1/workers/{worker.pk}/", {"role": role}, format="json").status_code == 400
    response = api.post("/api/v1/workers/", _worker_payload(role=role), format="json")
    assert response.status_code == 400 and "role" in response.json()
    assert not Worker.objects.filter(role=role).exists()


def test_the_state_office_gives_and_takes_positions(api, state_staff):
    worker = WorkerFactory(district=district("gaya"))
    api.force_authenticate(state_staff)
    assert (
        api.patch(f"/api/v1/workers/{worker.pk}/", {"role": "district_president"}, format="json").status_code
        == 200
    )
    assert api.patch(f"/api/v1/workers/{worker.pk}/", {"role": "volunteer"}, format="json").status_code == 200


def test_nobody_changes_his_own_role_or_district(state_staff, dc_patna):
    staff = _link(state_staff, WorkerFactory(district=district("patna"), role=WorkerRole.VOLUNTEER))
    own = staff.profile.worker
    for data in ({"role": WorkerRole.STATE_OFFICE_BEARER}, {"district": district("gaya")}):
        with pytest.raises(ValidationError) as excinfo:
            people_services.worker_update(by=staff, worker=own, data=data)
        assert set(data) <= set(excinfo.value.message_dict)
    # Other details of his own record he may still correct.
    people_services.worker_update(by=staff, worker=own, data={"skills": "driver"})
    own.refresh_from_db()
    assert (own.role, own.district.code, own.skills) == (WorkerRole.VOLUNTEER, "patna", "driver")


def test_a_district_president_is_a_group_the_state_office_grants(dc_patna, state_staff):
    president = user_create(
        username="president_gaya",
        password=None,
        role=PortalRole.DISTRICT_PRESIDENT,
        district=district("gaya"),
    )
    assert president.has_perm("tasks17.review_activity")
    staff_report = report(state_staff, code="gaya")
    from tasks17 import services as task_services

    assert task_services.can_review(president, staff_report)
    assert not task_services.can_review(president, report(dc_patna))  # Patna is outside his scope


def test_the_migration_keeps_review_for_linked_presidents_only(dc_patna, dc_gaya):
    _link(dc_patna, WorkerFactory(district=district("patna"), role=WorkerRole.DISTRICT_PRESIDENT))
    _link(dc_gaya, WorkerFactory(district=district("gaya"), role=WorkerRole.VOLUNTEER))
    group = Group.objects.get(name=GROUP_NAMES[PortalRole.DISTRICT_PRESIDENT])
    group.user_set.clear()
    migration = importlib.import_module("seva.people.migrations.0005_district_president_group")
    migration.create_group_and_keep_presidents(global_apps, None)
    assert set(group.user_set.values_list("username", flat=True)) == {"dc_patna"}


# --- phones: one library, one behaviour ----------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field"),
    [(Worker, "phone"), (Donor, "phone"), (DonationCamp, "organiser_phone")],
)
def test_every_phone_is_a_phonenumber_field(model, field):
    assert isinstance(model._meta.get_field(field), PhoneNumberField)


def test_the_api_answers_phones_as_e164_strings(api, dc_patna, patna):
    api.force_authenticate(dc_patna)
    body = api.post(
        "/api/v1/workers/", _worker_payload(district="patna", phone="+91 98765 43210"), format="json"
    )
    assert body.status_code == 201 and body.json()["phone"] == "+919876543210"
    donor = api.post(
        "/api/v1/donors/",
        {"name": "Meena", "phone": "098765-43211", "blood_group": "A+", "district": "patna"},
        format="json",
    )
    assert donor.status_code == 201 and donor.json()["phone"] == "+919876543211"
    assert Donor.objects.get().phone == "+919876543211"


def test_a_landline_is_refused_in_hindi_too(api, dc_patna):
    api.force_authenticate(dc_patna)
    response = api.post(
        "/api/v1/workers/",
        _worker_payload(district="patna", phone="0612 2217000"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="hi",
    )
    assert response.status_code == 400 and "मोबाइल" in response.json()["phone"][0]


# --- phones: no leak across districts ------------------------------------------------------


def test_a_worker_number_of_another_district_is_not_revealed(api, client_as, dc_gaya):
    WorkerFactory(district=district("patna"), phone="+919876543210")
    api.force_authenticate(dc_gaya)
    response = api.post("/api/v1/workers/", _worker_payload(), format="json")
    assert response.status_code == 400
    assert response.json()["phone"] == [NEUTRAL]
    page = client_as(dc_gaya).post(
        reverse("people:worker-create"),
        {"name": "Sita", "phone": "9876543210", "district": district("gaya").pk, "role": "volunteer"},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "already registered" not in text and "cannot be registered here" in text


def test_a_worker_number_in_the_users_district_is_named(api, client_as, dc_gaya):
    WorkerFactory(district=district("gaya"), phone="+919876543210")
    api.force_authenticate(dc_gaya)
    response = api.post("/api/v1/workers/", _worker_payload(), format="json")
    assert response.status_code == 400 and "already registered" in response.json()["phone"][0]
    page = client_as(dc_gaya).post(
        reverse("people:worker-create"),
        {"name": "Sita", "phone": "9876543210", "district": district("gaya").pk, "role": "volunteer"},
    )
    assert "already registered" in page.content.decode()


def test_a_donor_number_of_another_district_is_not_revealed(api, client_as, dc_gaya, dc_patna, patna, gaya):
    record_services.donor_register(
        by=dc_patna, name="Patna donor", phone="9876543210", blood_group="A+", district=patna
    )
    body = {"name": "X", "phone": "98765 43210", "blood_group": "A+", "district": "gaya"}
    api.force_authenticate(dc_gaya)
    response = api.post("/api/v1/donors/", body, format="json")
    assert response.status_code == 400 and response.json()["phone"] == [NEUTRAL]
    page = client_as(dc_gaya).post("/donors/new/", {**body, "district": gaya.pk})
    text = page.content.decode()
    assert (
        page.status_code == 200 and "already registered" not in text and "cannot be registered here" in text
    )


def test_a_donor_number_in_the_users_district_is_named(api, client_as, dc_patna, patna):
    record_services.donor_register(
        by=dc_patna, name="Patna donor", phone="9876543210", blood_group="A+", district=patna
    )
    body = {"name": "X", "phone": "98765 43210", "blood_group": "A+", "district": "patna"}
    api.force_authenticate(dc_patna)
    response = api.post("/api/v1/donors/", body, format="json")
    assert response.status_code == 400 and "already registered" in response.json()["phone"][0]
    page = client_as(dc_patna).post("/donors/new/", {**body, "district": patna.pk})
    assert "already registered" in page.content.decode()


# --- phones: the same new number twice at once --------------------------------------------


def test_a_number_taken_at_the_last_moment_is_a_field_error(dc_gaya):
    # What a concurrent request meets: the checks passed, then the unique index refuses.
    WorkerFactory(district=district("gaya"), phone="+919876543210")
    worker = Worker(name="Late", phone="+919876543210", district=district("gaya"))
    with pytest.raises(ValidationError) as excinfo:
        people_services._save_worker(by=dc_gaya, worker=worker)
    assert "already registered" in excinfo.value.message_dict["phone"][0]
    assert Worker.objects.count() == 1


def test_the_second_of_two_posts_with_one_number_is_a_field_error(api, dc_gaya):
    api.force_authenticate(dc_gaya)
    assert api.post("/api/v1/workers/", _worker_payload(), format="json").status_code == 201
    second = api.post("/api/v1/workers/", _worker_payload(name="Other"), format="json")
    assert second.status_code == 400 and "already registered" in second.json()["phone"][0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_with_one_new_number_store_it_once(geography):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's test database takes one writer at a time: the race needs PostgreSQL")
    coordinator = user_create(
        username="race_gaya", password=None, role=PortalRole.DISTRICT_COORDINATOR, district=district("gaya")
    )
    rounds, per_round = 5, 4
    answers = []
    for round_number in range(rounds):
        barrier = threading.Barrier(per_round)
        phone = f"98765{round_number:05d}"

        def post(phone=phone, barrier=barrier):
            client = APIClient()
            client.force_authenticate(coordinator)
            barrier.wait()
            try:
                response = client.post("/api/v1/workers/", _worker_payload(phone=phone), format="json")
                answers.append((response.status_code, response.json()))
            finally:
                connection.close()

        threads = [threading.Thread(target=post) for _ in range(per_round)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(code for code, _ in answers) == [201] * rounds + [400] * (rounds * (per_round - 1))
    for code, body in answers:
        if code == 400:
            assert "already registered" in body["phone"][0]
    assert Worker.objects.count() == rounds


# --- consent -------------------------------------------------------------------------------


def test_a_worker_consent_dated_in_the_future_is_refused(api, dc_gaya):
    api.force_authenticate(dc_gaya)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    data = _worker_payload(consent_to_contact=True, consent_date="2099-01-01")
    response = api.post("/api/v1/workers/", data, format="json")
    assert response.status_code == 400 and "future" in response.json()["consent_date"][0]
    response = api.post(
        "/api/v1/workers/", {**data, "consent_date": tomorrow}, format="json", HTTP_ACCEPT_LANGUAGE="hi"
    )
    assert response.status_code == 400 and "भविष्य" in response.json()["consent_date"][0]
    assert not Worker.objects.exists()
    today = timezone.localdate().isoformat()
    assert api.post("/api/v1/workers/", {**data, "consent_date": today}, format="json").status_code == 201


def test_a_donor_consent_dated_in_the_future_is_refused(dc_patna, patna):
    person = record_services.donor_register(
        by=dc_patna,
        name="Meena",
        phone="9876543210",
        blood_group="A+",
        district=patna,
        consent_to_contact=True,
    )
    person.consent_at = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert "consent_at" in excinfo.value.message_dict
    person.consent_at = timezone.now()
    person.full_clean()


def test_worker_create_refuses_a_future_consent_by_service_too(dc_gaya):
    with pytest.raises(ValidationError) as excinfo:
        worker_create(
            by=dc_gaya,
            data={
                "name": "Sita",
                "phone": "9876543210",
                "district": district("gaya"),
                "consent_to_contact": True,
                "consent_date": datetime.date(2099, 1, 1),
            },
        )
    assert "consent_date" in excinfo.value.message_dict
