"""Workers: bad input is a field error, in the user's language; never a 500."""

import pytest
from django.urls import reverse

from seva.people.models import Worker
from tests.factories import BoothFactory, WorkerFactory, district, seat_in


def _payload(**overrides):
    data = {"name": "Sita Devi", "phone": "98765 43210", "district": "patna", "role": "volunteer"}
    data.update(overrides)
    return data


def test_it_stores_the_mobile_in_e164(api, dc_patna):
    api.force_authenticate(dc_patna)
    response = api.post("/api/v1/workers/", _payload(), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["phone"] == "+919876543210"
    assert Worker.objects.get().district.code == "patna"


@pytest.mark.parametrize("phone", ["12345", "02212345678", "5876543210", "+14155550100", "abc"])
def test_it_rejects_numbers_that_are_not_indian_mobiles(api, dc_patna, phone):
    api.force_authenticate(dc_patna)
    response = api.post("/api/v1/workers/", _payload(phone=phone), format="json")
    assert response.status_code == 400
    assert "phone" in response.json()
    assert not Worker.objects.exists()


def test_it_rejects_a_duplicate_mobile_written_differently(api, dc_patna):
    WorkerFactory(phone="+919876543210")
    api.force_authenticate(dc_patna)
    response = api.post("/api/v1/workers/", _payload(phone="098765-43210"), format="json")
    assert response.status_code == 400
    assert "already registered" in response.json()["phone"][0]


def test_it_rejects_a_booth_outside_the_seat(api, dc_patna):
    seats = list(seat_in("patna").district.assembly_seats.order_by("number")[:2])
    other_booth = BoothFactory(assembly_seat=seats[1])
    api.force_authenticate(dc_patna)
    response = api.post(
        "/api/v1/workers/", _payload(assembly_seat=seats[0].number, booth=other_booth.pk), format="json"
    )
    assert response.status_code == 400
    assert "booth" in response.json()


def test_it_rejects_a_worker_in_another_district(api, dc_gaya):
    api.force_authenticate(dc_gaya)
    response = api.post("/api/v1/workers/", _payload(district="patna"), format="json")
    assert response.status_code == 400
    assert "district" in response.json()
    assert not Worker.objects.exists()


def test_it_answers_in_hindi_when_asked(api, dc_patna):
    api.force_authenticate(dc_patna)
    response = api.post("/api/v1/workers/", _payload(phone="123"), format="json", HTTP_ACCEPT_LANGUAGE="hi")
    assert response.status_code == 400
    assert "मोबाइल" in response.json()["phone"][0]


def test_the_page_adds_a_worker_and_shows_field_errors(client_as, dc_patna):
    client = client_as(dc_patna)
    bad = client.post(
        reverse("people:worker-create"),
        {"name": "Ram", "phone": "123", "district": district("patna").pk, "role": "volunteer"},
    )
    assert bad.status_code == 200
    assert "10 digits" in bad.content.decode()
    good = client.post(
        reverse("people:worker-create"),
        {
            "name": "Ram",
            "phone": "9876543211",
            "district": district("patna").pk,
            "role": "volunteer",
            "is_active": "on",
        },
    )
    assert good.status_code == 302
    assert Worker.objects.get().phone == "+919876543211"


def test_the_worker_list_query_count_stays_flat(client_as, dc_patna, django_assert_max_num_queries):
    WorkerFactory.create_batch(30, district=district("patna"), assembly_seat=seat_in("patna"))
    client = client_as(dc_patna)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:worker-list"))
    assert response.status_code == 200
    assert response.content.decode().count("/edit/") == 30


def test_the_form_reloads_booths_when_the_seat_changes(client_as, dc_patna):
    html = client_as(dc_patna).get(reverse("people:worker-create")).content.decode()
    assert f'hx-get="{reverse("geo:booth-options")}"' in html
    assert 'hx-target="#id_booth"' in html


def test_the_page_refuses_a_worker_in_another_district(client_as, dc_gaya):
    response = client_as(dc_gaya).post(
        reverse("people:worker-create"),
        {"name": "Ram", "phone": "9876543212", "district": district("patna").pk, "role": "volunteer"},
        HTTP_ACCEPT_LANGUAGE="hi",
    )
    assert response.status_code == 200
    assert response.context["form"].errors["district"]
    assert not Worker.objects.exists()


def test_a_helpline_operator_may_not_open_the_add_page(client_as, helpline_patna):
    assert client_as(helpline_patna).get(reverse("people:worker-create")).status_code == 403


def test_editing_keeps_the_history(client_as, dc_patna):
    worker = WorkerFactory(name="Old name")
    client = client_as(dc_patna)
    data = {"name": "New name", "phone": worker.phone, "district": worker.district_id, "role": "volunteer"}
    assert client.post(reverse("people:worker-update", args=[worker.pk]), data).status_code == 302
    worker.refresh_from_db()
    assert worker.name == "New name"
    assert [h.name for h in worker.history.order_by("history_date")] == ["Old name", "New name"]


def test_the_api_speaks_hindi_for_its_own_messages_too(api, dc_patna):
    api.force_authenticate(dc_patna)
    response = api.post("/api/v1/workers/", {"phone": "9876543210"}, format="json", HTTP_ACCEPT_LANGUAGE="hi")
    assert response.status_code == 400
    assert response.json()["name"] == ["यह फ़ील्ड आवश्यक है।"]


def test_a_worker_of_another_district_cannot_be_changed(api, client_as, dc_gaya, dc_patna):
    from django.http import Http404

    from seva.people import services

    worker = WorkerFactory(name="Patna worker", district=district("patna"))
    api.force_authenticate(dc_gaya)
    assert api.patch(f"/api/v1/workers/{worker.pk}/", {"name": "x"}, format="json").status_code == 404
    with pytest.raises(Http404):
        services.worker_update(by=dc_gaya, worker=worker, data={"name": "x"})
    api.force_authenticate(dc_patna)
    response = api.patch(f"/api/v1/workers/{worker.pk}/", {"district": "gaya"}, format="json")
    assert response.status_code == 400 and "district" in response.json()
    assert api.patch(f"/api/v1/workers/{worker.pk}/", {"name": "Renamed"}, format="json").status_code == 200
    worker.refresh_from_db()
    assert (worker.name, worker.district.code) == ("Renamed", "patna")
    assert [h.history_user for h in worker.history.order_by("history_date")][-1] == dc_patna
