"""Donors: one eligibility rule (and the query that agrees with it), opting out, scope."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from tasks17.choices import CampKind
from tasks17.models import Donor
from tasks17.records import services
from tasks17.records.services import donor_eligibility, eligible_donors

pytestmark = pytest.mark.django_db

ON = datetime.date(2021, 6, 1)
_phones = iter(range(9100000001, 9199999999))


def days(n):
    return datetime.timedelta(days=n)


def donor(district, **extra):
    values = {
        "name": "Ravi",
        "phone": f"+91{next(_phones)}",
        "blood_group": "O+",
        "district": district,
        "consent_to_contact": True,
        "consent_at": timezone.now(),
    }
    values.update(extra)
    return Donor.objects.create(**values)


def register(by, district, **extra):
    values = {"name": "Sita", "phone": "98765 43210", "blood_group": "B+", "district": district}
    values.update(extra)
    return services.donor_register(by=by, **values)


# --- the rule ------------------------------------------------------------------------------


def test_blood_needs_ninety_days(patna):
    assert donor_eligibility(donor(patna), CampKind.BLOOD, ON).eligible
    day_89 = donor_eligibility(donor(patna, last_donated_on=ON - days(89)), CampKind.BLOOD, ON)
    assert not day_89.eligible
    assert day_89.next_date == ON + days(1)
    assert donor_eligibility(donor(patna, last_donated_on=ON - days(90)), CampKind.BLOOD, ON).eligible


@pytest.mark.parametrize(
    ("recovered_days_ago", "eligible"),
    [(27, False), (28, True), (120, True), (121, False)],
)
def test_plasma_needs_the_window_after_recovery(patna, recovered_days_ago, eligible):
    person = donor(patna, recovered_on=ON - days(recovered_days_ago))
    assert donor_eligibility(person, CampKind.PLASMA, ON).eligible is eligible


def test_plasma_says_when_a_recent_recovery_may_give(patna):
    result = donor_eligibility(donor(patna, recovered_on=ON - days(20)), CampKind.PLASMA, ON)
    assert not result.eligible and result.next_date == ON + days(8)


def test_plasma_needs_a_recovery_date_and_fourteen_days_since_giving(patna):
    assert not donor_eligibility(donor(patna), CampKind.PLASMA, ON).eligible
    recovered = ON - days(40)
    assert not donor_eligibility(
        donor(patna, recovered_on=recovered, last_donated_on=ON - days(13)), CampKind.PLASMA, ON
    ).eligible
    assert donor_eligibility(
        donor(patna, recovered_on=recovered, last_donated_on=ON - days(14)), CampKind.PLASMA, ON
    ).eligible


def test_opted_out_or_unwilling_donors_are_never_eligible(patna):
    opted_out = donor(patna, opted_out_at=timezone.now())
    unwilling = donor(patna, consent_to_contact=False, consent_at=None)
    for person, word in ((opted_out, "Opted out"), (unwilling, "agreed")):
        for kind in CampKind:
            result = donor_eligibility(person, kind, ON)
            assert not result.eligible
            assert word in result.reason


@override_settings(SEVA_BLOOD_DONATION_INTERVAL_DAYS=56)
def test_the_interval_is_a_setting(patna):
    assert donor_eligibility(donor(patna, last_donated_on=ON - days(56)), CampKind.BLOOD, ON).eligible


def test_the_query_agrees_with_the_function(patna, gaya):
    people = [donor(patna, opted_out_at=timezone.now()), donor(patna, consent_to_contact=False)]
    for gap in (0, 13, 14, 89, 90, 200, None):
        for recovered in (None, 20, 27, 28, 60, 120, 121):
            people.append(
                donor(
                    patna if gap != 200 else gaya,
                    last_donated_on=ON - days(gap) if gap is not None else None,
                    recovered_on=ON - days(recovered) if recovered is not None else None,
                    blood_group="A+" if recovered == 60 else "O+",
                )
            )
    for kind in CampKind:
        by_function = {p.pk for p in people if donor_eligibility(p, kind, ON).eligible}
        assert set(eligible_donors(kind, ON).values_list("pk", flat=True)) == by_function
        assert by_function
        in_patna = {
            p.pk for p in people if p.district_id == patna.pk and donor_eligibility(p, kind, ON).eligible
        }
        assert set(eligible_donors(kind, ON, district=patna).values_list("pk", flat=True)) == in_patna
        group = {p.pk for p in people if p.blood_group == "A+" and donor_eligibility(p, kind, ON).eligible}
        assert set(eligible_donors(kind, ON, blood_group="A+").values_list("pk", flat=True)) == group


# --- services ------------------------------------------------------------------------------


def test_register_normalises_the_phone_and_records_consent(dc_patna, patna):
    person = register(dc_patna, patna, consent_to_contact=True)
    assert person.phone == "+919876543210"
    assert person.consent_at is not None
    assert register(dc_patna, patna, phone="9876500000").consent_at is None


def test_register_refuses_bad_input(dc_patna, dc_gaya, patna):
    register(dc_patna, patna)
    cases = [
        (dc_patna, {"phone": "+91 98765-43210"}, "phone"),
        (dc_patna, {"phone": "12345"}, "phone"),
        (dc_gaya, {"phone": "9876500001"}, "district"),
        (
            dc_patna,
            {"phone": "9876500002", "last_donated_on": timezone.localdate() + days(1)},
            "last_donated_on",
        ),
        (dc_patna, {"phone": "9876500003", "blood_group": "Z"}, "blood_group"),
    ]
    for by, extra, field in cases:
        with pytest.raises(ValidationError) as excinfo:
            register(by, patna, **extra)
        assert field in excinfo.value.message_dict


def test_opting_out_clears_consent_and_is_idempotent(helpline_patna, patna):
    person = register(helpline_patna, patna, consent_to_contact=True)
    person = services.donor_opt_out(by=helpline_patna, donor=person)
    first = person.opted_out_at
    assert first is not None and not person.consent_to_contact
    assert services.donor_opt_out(by=helpline_patna, donor=person).opted_out_at == first
    assert not eligible_donors(CampKind.BLOOD).filter(pk=person.pk).exists()


def test_update_changes_details_and_consent(dc_patna, patna):
    person = register(dc_patna, patna)
    person = services.donor_update(
        by=dc_patna, donor=person, data={"name": "Sita Devi", "consent_to_contact": True}
    )
    assert person.name == "Sita Devi" and person.consent_at is not None


# --- API -----------------------------------------------------------------------------------


def test_api_registers_and_shows_eligibility(api, helpline_patna, patna):
    api.force_authenticate(helpline_patna)
    response = api.post(
        "/api/v1/donors/",
        {
            "name": "Amit",
            "phone": "98765 43210",
            "blood_group": "O-",
            "district": "patna",
            "consent_to_contact": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["phone"] == "+919876543210"
    assert body["eligible_for_blood"] is True and body["eligible_for_plasma"] is False
    again = api.post(
        "/api/v1/donors/",
        {"name": "Amit", "phone": "+919876543210", "blood_group": "O-", "district": "patna"},
        format="json",
    )
    assert again.status_code == 400 and "phone" in again.json()
    response = api.post(f"/api/v1/donors/{body['id']}/opt-out/")
    assert response.status_code == 200 and response.json()["opted_out_at"]
    assert response.json()["eligible_for_blood"] is False


def test_api_filters_donors(api, state_staff, patna, gaya):
    today = timezone.localdate()
    donor(patna, blood_group="A+")
    donor(patna, blood_group="B+", last_donated_on=today - days(10))
    donor(gaya, blood_group="A+", recovered_on=today - days(40))
    api.force_authenticate(state_staff)
    assert api.get("/api/v1/donors/?blood_group=A%2B").json()["count"] == 2
    assert api.get("/api/v1/donors/?district=patna").json()["count"] == 2
    assert api.get("/api/v1/donors/?eligible_for=blood").json()["count"] == 2
    assert api.get("/api/v1/donors/?eligible_for=plasma").json()["count"] == 1


def test_api_hides_other_districts_donors(api, dc_gaya, patna):
    person = donor(patna)
    api.force_authenticate(dc_gaya)
    assert api.get("/api/v1/donors/").json()["count"] == 0
    assert api.get(f"/api/v1/donors/{person.pk}/").status_code == 404
    assert api.patch(f"/api/v1/donors/{person.pk}/", {"name": "X"}, format="json").status_code == 404
    assert api.post(f"/api/v1/donors/{person.pk}/opt-out/").status_code == 404


# --- pages ---------------------------------------------------------------------------------


def test_pages_register_list_edit_and_opt_out(client_as, helpline_patna, patna):
    client = client_as(helpline_patna)
    assert client.get("/donors/new/").status_code == 200
    response = client.post(
        "/donors/new/",
        {
            "name": "Meena",
            "phone": "98765 43210",
            "blood_group": "AB+",
            "district": patna.pk,
            "consent_to_contact": "on",
        },
    )
    assert response.status_code == 302
    person = Donor.objects.get()
    page = client.get("/donors/?eligible_for=blood").content.decode()
    assert "Meena" in page and "May give blood" in page
    assert client.get(f"/donors/{person.pk}/edit/").status_code == 200
    response = client.post(f"/donors/{person.pk}/opt-out/")
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.opted_out_at is not None
    rows = client.get("/donors/?eligible_for=blood", HTTP_HX_REQUEST="true").content.decode()
    assert "Meena" not in rows


def test_page_shows_a_bad_phone_next_to_the_field(client_as, dc_patna, patna):
    response = client_as(dc_patna).post(
        "/donors/new/", {"name": "X", "phone": "555", "blood_group": "A+", "district": patna.pk}
    )
    assert response.status_code == 200 and "Indian mobile" in response.content.decode()


def test_pages_hide_other_districts_donors(client_as, dc_gaya, patna):
    person = donor(patna, name="Hidden Person")
    client = client_as(dc_gaya)
    assert "Hidden Person" not in client.get("/donors/").content.decode()
    assert client.get(f"/donors/{person.pk}/edit/").status_code == 404
    assert client.post(f"/donors/{person.pk}/opt-out/").status_code == 404


def test_an_opted_out_donors_number_is_not_shown(api, helpline_patna, patna):
    person = donor(patna, opted_out_at=timezone.now())
    api.force_authenticate(helpline_patna)
    assert api.get(f"/api/v1/donors/{person.pk}/").json()["phone"] == ""


def test_changing_a_donor_outside_the_scope_is_a_404(dc_gaya, patna):
    person = donor(patna, name="Hidden Person")
    with pytest.raises(Http404):
        services.donor_update(by=dc_gaya, donor=person, data={"name": "Renamed"})
    with pytest.raises(Http404):
        services.donor_opt_out(by=dc_gaya, donor=person)
    person.refresh_from_db()
    assert (person.name, person.opted_out_at) == ("Hidden Person", None)
