"""Issue 9, the records: an opted-out donor stays opted out (his number hidden on every page,
his consent renewed only by his own word, recorded by a coordinator or the state office with
its date), and the bulk verification takes whole numbers only."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tasks17.choices import ActivityStatus
from tasks17.models import Donor
from tasks17.records import services
from tests.factories_tasks import report

pytestmark = pytest.mark.django_db

PHONE = "+919812345678"


@pytest.fixture
def opted_out(patna):
    return Donor.objects.create(
        name="Ravi Opted",
        phone=PHONE,
        blood_group="O+",
        district=patna,
        consent_to_contact=False,
        opted_out_at=timezone.now() - datetime.timedelta(days=3),
    )


# --- the number stays hidden ----------------------------------------------------------------


@pytest.mark.parametrize("persona", ["helpline_patna", "dc_patna", "state_staff"])
def test_the_edit_page_never_shows_an_opted_out_donors_number(request, client_as, opted_out, persona):
    page = client_as(request.getfixturevalue(persona)).get(f"/donors/{opted_out.pk}/edit/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Ravi Opted" in content
    assert "9812345678" not in content


def test_saving_the_edit_page_keeps_the_hidden_number(client_as, dc_patna, opted_out, patna):
    response = client_as(dc_patna).post(
        f"/donors/{opted_out.pk}/edit/",
        {"name": "Ravi Kumar", "phone": "", "blood_group": "O+", "district": patna.pk},
    )
    assert response.status_code == 302
    opted_out.refresh_from_db()
    assert (opted_out.name, opted_out.phone) == ("Ravi Kumar", PHONE)
    assert opted_out.opted_out_at is not None and not opted_out.consent_to_contact


def test_a_new_number_entered_on_the_edit_page_replaces_the_hidden_one(client_as, dc_patna, opted_out, patna):
    response = client_as(dc_patna).post(
        f"/donors/{opted_out.pk}/edit/",
        {"name": "Ravi", "phone": "98123 00000", "blood_group": "O+", "district": patna.pk},
    )
    assert response.status_code == 302
    opted_out.refresh_from_db()
    assert opted_out.phone == "+919812300000" and opted_out.opted_out_at is not None


def test_the_edit_page_cannot_tick_consent_back_on(client_as, helpline_patna, opted_out, patna):
    client_as(helpline_patna).post(
        f"/donors/{opted_out.pk}/edit/",
        {
            "name": "Ravi Opted",
            "phone": "",
            "blood_group": "O+",
            "district": patna.pk,
            "consent_to_contact": "on",
        },
    )
    opted_out.refresh_from_db()
    assert opted_out.opted_out_at is not None and not opted_out.consent_to_contact


# --- a plain update cannot undo an opt-out ----------------------------------------------------


@pytest.mark.parametrize("persona", ["helpline_patna", "dc_patna"])
def test_a_plain_api_update_cannot_undo_an_opt_out(request, api, opted_out, persona):
    api.force_authenticate(request.getfixturevalue(persona))
    response = api.patch(f"/api/v1/donors/{opted_out.pk}/", {"consent_to_contact": True}, format="json")
    assert response.status_code == 400
    assert "consent_to_contact" in response.json()
    opted_out.refresh_from_db()
    assert opted_out.opted_out_at is not None and not opted_out.consent_to_contact


def test_taking_consent_back_in_an_update_is_an_opt_out(dc_patna, patna):
    person = services.donor_register(
        by=dc_patna,
        name="Sita",
        phone="98765 43210",
        blood_group="B+",
        district=patna,
        consent_to_contact=True,
    )
    person = services.donor_update(by=dc_patna, donor=person, data={"consent_to_contact": False})
    assert person.opted_out_at is not None and person.consent_at is None
    with pytest.raises(ValidationError) as excinfo:
        services.donor_update(by=dc_patna, donor=person, data={"consent_to_contact": True})
    assert "consent_to_contact" in excinfo.value.message_dict


def test_a_donor_who_never_agreed_may_agree_in_an_update(helpline_patna, patna):
    person = services.donor_register(
        by=helpline_patna, name="Sita", phone="98765 43210", blood_group="B+", district=patna
    )
    person = services.donor_update(by=helpline_patna, donor=person, data={"consent_to_contact": True})
    assert person.consent_to_contact and person.consent_at is not None


# --- renewed consent ------------------------------------------------------------------------


def test_the_helpline_operator_may_not_renew_consent(helpline_patna, opted_out):
    with pytest.raises(PermissionDenied):
        services.donor_renew_consent(by=helpline_patna, donor=opted_out, consent_date=timezone.localdate())
    opted_out.refresh_from_db()
    assert opted_out.opted_out_at is not None


@pytest.mark.parametrize("persona", ["dc_patna", "state_staff"])
def test_a_coordinator_or_state_staff_records_renewed_consent_with_its_date(request, opted_out, persona):
    by = request.getfixturevalue(persona)
    day = timezone.localdate() - datetime.timedelta(days=1)
    person = services.donor_renew_consent(by=by, donor=opted_out, consent_date=day)
    assert person.consent_to_contact and person.opted_out_at is None
    assert timezone.localtime(person.consent_at).date() == day
    latest = person.history.latest()
    assert latest.history_user == by and latest.consent_to_contact


def test_renewed_consent_cannot_be_dated_in_the_future_or_before_the_opt_out(dc_patna, opted_out):
    today = timezone.localdate()
    for day in (today + datetime.timedelta(days=1), today - datetime.timedelta(days=10)):
        with pytest.raises(ValidationError) as excinfo:
            services.donor_renew_consent(by=dc_patna, donor=opted_out, consent_date=day)
        assert "consent_date" in excinfo.value.message_dict
    opted_out.refresh_from_db()
    assert opted_out.opted_out_at is not None


def test_renewing_consent_outside_the_scope_is_a_404(api, dc_gaya, opted_out):
    api.force_authenticate(dc_gaya)
    day = timezone.localdate().isoformat()
    response = api.post(f"/api/v1/donors/{opted_out.pk}/renew-consent/", {"consent_date": day}, format="json")
    assert response.status_code == 404


def test_api_renew_consent_refuses_the_helpline_and_accepts_the_coordinator(
    api, helpline_patna, dc_patna, opted_out
):
    day = timezone.localdate().isoformat()
    url = f"/api/v1/donors/{opted_out.pk}/renew-consent/"
    api.force_authenticate(helpline_patna)
    assert api.post(url, {"consent_date": day}, format="json").status_code == 403
    assert api.post(url, {}, format="json").status_code == 403
    opted_out.refresh_from_db()
    assert opted_out.opted_out_at is not None
    api.force_authenticate(dc_patna)
    assert api.post(url, {}, format="json").status_code == 400
    response = api.post(url, {"consent_date": day}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["consent_to_contact"] is True and body["opted_out_at"] is None
    assert body["phone"] == PHONE
    latest = Donor.objects.get(pk=opted_out.pk).history.latest()
    assert latest.history_user == dc_patna


def test_renew_consent_page_refuses_the_helpline_and_accepts_the_coordinator(
    client_as, helpline_patna, dc_patna, opted_out
):
    url = f"/donors/{opted_out.pk}/renew-consent/"
    day = timezone.localdate().isoformat()
    helpline = client_as(helpline_patna)
    assert helpline.get(url).status_code == 403
    assert helpline.post(url, {"consent_date": day}).status_code == 403
    assert f'href="{url}"' not in helpline.get(f"/donors/{opted_out.pk}/edit/").content.decode()
    coordinator = client_as(dc_patna)
    assert f'href="{url}"' in coordinator.get(f"/donors/{opted_out.pk}/edit/").content.decode()
    page = coordinator.get(url)
    assert page.status_code == 200 and "9812345678" not in page.content.decode()
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert coordinator.post(url, {"consent_date": future}).status_code == 200
    assert coordinator.post(url, {"consent_date": day}).status_code == 302
    opted_out.refresh_from_db()
    assert opted_out.consent_to_contact and opted_out.opted_out_at is None
    assert opted_out.history.latest().history_user == dc_patna


def test_the_helpline_role_lacks_the_renew_consent_permission(helpline_patna, dc_patna, state_staff):
    assert not helpline_patna.has_perm("tasks17.renew_donor_consent")
    assert dc_patna.has_perm("tasks17.renew_donor_consent")
    assert state_staff.has_perm("tasks17.renew_donor_consent")


# --- bulk verify: whole numbers only ----------------------------------------------------------


@pytest.mark.parametrize("bad", ["²", "١٢", "1.5", "-1", "", "99999999999999999999999"])
def test_bulk_verify_refuses_an_id_that_is_not_a_whole_number_and_verifies_nothing(
    client_as, dc_patna, state_staff, bad
):
    good = report(dc_patna)
    client = client_as(state_staff)
    response = client.post(
        reverse("tasks17:activity-verify-bulk"), {"ids": [good.pk, bad], "query": "task=x"}
    )
    assert response.status_code == 302
    assert response.url == reverse("tasks17:activity-list") + "?task=x"
    good.refresh_from_db()
    assert good.status == ActivityStatus.SUBMITTED
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == ["Not a report number: nothing was verified."]


def test_bulk_verify_with_nothing_ticked_says_so(client_as, state_staff):
    response = client_as(state_staff).post(reverse("tasks17:activity-verify-bulk"), {})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Tick the reports to verify."]


def test_the_admin_hides_an_opted_out_donors_number_too(client_as, state_admin, opted_out, patna):
    client = client_as(state_admin)
    page = client.get(reverse("admin:tasks17_donor_change", args=[opted_out.pk])).content.decode()
    assert "Ravi Opted" in page and "9812345678" not in page and "Hidden: opted out" in page
    willing = Donor.objects.create(name="Willing", phone="+919812399999", blood_group="A+", district=patna)
    page = client.get(reverse("admin:tasks17_donor_change", args=[willing.pk])).content.decode()
    assert "+919812399999" in page


def test_the_admin_history_hides_the_number_of_a_donor_who_opted_out_since(
    client_as, state_admin, dc_patna, patna
):
    person = services.donor_register(
        by=dc_patna,
        name="Later Out",
        phone="98123 11111",
        blood_group="B+",
        district=patna,
        consent_to_contact=True,
    )
    services.donor_opt_out(by=dc_patna, donor=person)
    before = person.history.earliest()
    url = reverse("admin:tasks17_donor_simple_history", args=[person.pk, before.history_id])
    page = client_as(state_admin).get(url)
    assert page.status_code == 200
    assert "9812311111" not in page.content.decode()
