"""Gaya's coordinator sees nothing of Patna, in pages or API (STYLE.md rules 4-6)."""

import pytest
from django.urls import reverse

from tests.factories import BoothFactory, WorkerFactory, district, seat_in


@pytest.fixture
def patna_data(db):
    booth = BoothFactory(assembly_seat=seat_in("patna"))
    worker = WorkerFactory(district=district("patna"), assembly_seat=booth.assembly_seat, booth=booth)
    return {"booth": booth, "worker": worker, "seat": booth.assembly_seat}


API_LISTS = [
    "/api/v1/districts/",
    "/api/v1/assembly-seats/",
    "/api/v1/booths/",
    "/api/v1/workers/",
    "/api/v1/mandals/",
]


@pytest.mark.parametrize("url", API_LISTS)
def test_api_lists_hide_other_districts(api, dc_gaya, patna_data, url):
    api.force_authenticate(dc_gaya)
    response = api.get(url, {"page_size": 500})
    assert response.status_code == 200
    body = str(response.json())
    assert "patna" not in body.lower()
    assert str(patna_data["worker"].phone) not in body


def test_api_lists_show_own_district(api, dc_patna, patna_data):
    api.force_authenticate(dc_patna)
    districts = api.get("/api/v1/districts/").json()
    assert [d["code"] for d in districts["results"]] == ["patna"]
    workers = api.get("/api/v1/workers/").json()
    assert [w["id"] for w in workers["results"]] == [patna_data["worker"].pk]
    seats = api.get("/api/v1/assembly-seats/").json()
    assert seats["count"] == 14


def test_api_details_of_other_districts_are_404(api, dc_gaya, patna_data):
    api.force_authenticate(dc_gaya)
    assert api.get("/api/v1/districts/patna/").status_code == 404
    assert api.get(f"/api/v1/assembly-seats/{patna_data['seat'].number}/").status_code == 404
    assert api.get(f"/api/v1/booths/{patna_data['booth'].pk}/").status_code == 404
    assert api.get(f"/api/v1/workers/{patna_data['worker'].pk}/").status_code == 404
    response = api.patch(f"/api/v1/workers/{patna_data['worker'].pk}/", {"name": "x"}, format="json")
    assert response.status_code == 404


def test_lok_sabha_seats_are_those_touching_the_district(api, dc_gaya):
    api.force_authenticate(dc_gaya)
    numbers = {s["number"] for s in api.get("/api/v1/lok-sabha-seats/").json()["results"]}
    assert 38 in numbers  # Gaya
    assert 31 not in numbers  # Patna Sahib


def test_state_staff_see_every_district(api, state_staff):
    api.force_authenticate(state_staff)
    assert api.get("/api/v1/districts/").json()["count"] == 38


def test_pages_of_other_districts_are_404(client_as, dc_gaya, patna_data):
    client = client_as(dc_gaya)
    assert client.get(reverse("geo:district-detail", args=["patna"])).status_code == 404
    assert client.get(reverse("geo:seat-detail", args=[patna_data["seat"].number])).status_code == 404
    assert client.get(reverse("people:worker-update", args=[patna_data["worker"].pk])).status_code == 404
    listing = client.get(reverse("people:worker-list"))
    assert listing.status_code == 200
    assert patna_data["worker"].name not in listing.content.decode()
    districts = client.get(reverse("geo:district-list")).content.decode()
    assert "Patna" not in districts and "Gaya" in districts


def test_anonymous_users_are_sent_to_sign_in(client, db):
    for url in [reverse("home"), reverse("geo:district-list"), reverse("people:worker-list")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert client.get("/api/v1/districts/").status_code in (401, 403)


def test_a_user_without_profile_sees_nothing(api, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x-long-password-1")
    api.force_authenticate(user)
    assert api.get("/api/v1/workers/").status_code == 403
    user.is_superuser = True  # superusers are state-wide
    user.save()
    fresh = django_user_model.objects.get(pk=user.pk)
    api.force_authenticate(fresh)
    assert api.get("/api/v1/districts/").json()["count"] == 38


def test_helpline_operator_reads_patnas_workers_only_and_cannot_add_any(api, helpline_patna, patna_data):
    WorkerFactory(name="Gaya worker", district=district("gaya"))
    api.force_authenticate(helpline_patna)
    response = api.get("/api/v1/workers/")
    assert response.status_code == 200
    listed = response.json()["results"]
    assert [row["name"] for row in listed] == [patna_data["worker"].name]
    assert {row["district"] for row in listed} == {"patna"}
    response = api.post(
        "/api/v1/workers/", {"name": "A", "phone": "9876543210", "district": "patna"}, format="json"
    )
    assert response.status_code == 403


def test_booth_options_are_scoped_and_limited_to_the_seat(client_as, dc_gaya, dc_patna, patna_data):
    url = reverse("geo:booth-options")
    seat_pk = patna_data["seat"].pk
    assert (
        patna_data["booth"].name
        not in client_as(dc_gaya).get(url, {"assembly_seat": seat_pk}).content.decode()
    )
    own = client_as(dc_patna).get(url, {"assembly_seat": seat_pk}).content.decode()
    assert patna_data["booth"].name in own
    assert client_as(dc_patna).get(url, {"assembly_seat": "x"}).status_code == 200


def test_seat_options_follow_the_district(client_as, state_staff, dc_gaya, patna):
    url = reverse("geo:seat-options")
    html = client_as(state_staff).get(url, {"district": patna.pk}).content.decode()
    assert html.count("<option") == 15  # the empty choice and Patna's 14 seats
    assert client_as(dc_gaya).get(url, {"district": patna.pk}).content.decode().count("<option") == 1
