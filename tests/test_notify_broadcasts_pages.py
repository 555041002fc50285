"""The messages pages (/messages/) and the broadcasts API, for the right roles only."""

import pytest
from django.urls import reverse

from seva.notify import broadcasts
from seva.notify.choices import Audience, Channel, Status
from seva.notify.models import Broadcast, Notification
from seva.people.choices import PortalRole
from seva.people.services import user_create
from tests.factories import WorkerFactory, district

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_quiet_hours(settings):
    settings.SEVA_QUIET_HOURS = (0, 0)


def _send(by, codes=("patna",), text="Meeting at 5", audience=Audience.COORDINATORS):
    return broadcasts.broadcast_send(
        by=by, text=text, audience=audience, districts=[district(c).pk for c in codes]
    )


def _hindi(client):
    client.cookies["django_language"] = "hi"
    return client


# --- Who may open them -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["notify:broadcast-list", "notify:broadcast-create", "notify:mine"])
def test_anonymous_users_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["notify:broadcast-list", "notify:broadcast-create"])
def test_a_helpline_operator_may_not_open_broadcasts(client_as, helpline_patna, name):
    assert client_as(helpline_patna).get(reverse(name)).status_code == 403


def test_a_helpline_operator_reads_his_own_messages(client_as, helpline_patna):
    assert client_as(helpline_patna).get(reverse("notify:mine")).status_code == 200


def test_state_staff_see_the_form_with_every_district(client_as, state_staff):
    response = client_as(state_staff).get(reverse("notify:broadcast-create"))
    assert response.status_code == 200
    assert response.content.count(b'name="districts"') == 38
    assert b"data-sms-counter" in response.content
    assert b"notify/counter.js" in response.content


def test_a_coordinator_sees_his_district_fixed(client_as, dc_patna):
    response = client_as(dc_patna).get(reverse("notify:broadcast-create"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('name="districts"') == 1
    assert 'type="hidden" name="districts"' in body
    assert "Patna" in body


def test_the_pages_speak_hindi(client_as, state_staff, dc_patna):
    broadcast = _send(state_staff)
    client = _hindi(client_as(state_staff))
    for url, words in (
        (reverse("notify:broadcast-list"), "नया सामूहिक संदेश"),
        (reverse("notify:broadcast-create"), "पहले देखें"),
        (reverse("notify:broadcast-detail", args=[broadcast.pk]), "पहुँच"),
        (reverse("notify:mine"), "मुझे भेजे गए संदेश"),
    ):
        body = client.get(url).content.decode()
        assert 'lang="hi"' in body
        assert words in body, url
    error = client.post(
        reverse("notify:broadcast-create"),
        {"text": "क" * 250, "audience": Audience.COORDINATORS, "districts": [district("patna").pk]},
    )
    assert "इसे छोटा करें" in error.content.decode()


# --- Preview, send, delivery ---------------------------------------------------------------------


def test_preview_then_send(client_as, state_staff, dc_patna, django_capture_on_commit_callbacks):
    client = client_as(state_staff)
    data = {"text": "Meeting at 5", "audience": Audience.COORDINATORS, "districts": [district("patna").pk]}
    preview = client.post(reverse("notify:broadcast-create"), {**data, "preview": "1"})
    assert preview.status_code == 200
    assert b'data-testid="preview-total"' in preview.content
    assert b"1 person will receive it" in preview.content
    assert not Broadcast.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("notify:broadcast-create"), {**data, "send": "1"})
    broadcast = Broadcast.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == reverse("notify:broadcast-detail", args=[broadcast.pk])
    page = client.get(sent["Location"])
    assert page.status_code == 200
    assert b'data-testid="count-sent">1<' in page.content
    assert b'data-polling="0"' in page.content


def test_bad_input_shows_errors_and_writes_nothing(client_as, state_staff):
    response = client_as(state_staff).post(
        reverse("notify:broadcast-create"),
        {
            "text": "क" * 250,
            "audience": Audience.COORDINATORS,
            "districts": [district("patna").pk],
            "send": "1",
        },
    )
    assert response.status_code == 200
    assert b"SMS parts" in response.content
    assert not Broadcast.objects.exists()


def test_nobody_to_receive_it_is_an_error_on_the_page(client_as, state_staff):
    response = client_as(state_staff).post(
        reverse("notify:broadcast-create"),
        {"text": "Hello", "audience": Audience.DONORS, "districts": [district("patna").pk], "preview": "1"},
    )
    assert response.status_code == 200
    assert b"Nobody in the chosen districts" in response.content


def test_a_coordinator_posting_another_district_writes_nothing(client_as, dc_patna, dc_gaya):
    response = client_as(dc_patna).post(
        reverse("notify:broadcast-create"),
        {"text": "Hello", "audience": Audience.COORDINATORS, "districts": [district("gaya").pk], "send": "1"},
    )
    assert response.status_code == 200
    assert not Broadcast.objects.exists()


def test_the_delivery_page_polls_while_messages_wait(client_as, state_staff, dc_patna):
    broadcast = _send(state_staff)  # on_commit not run: the row stays queued
    assert Notification.objects.get(broadcast=broadcast).status == Status.QUEUED
    client = client_as(state_staff)
    page = client.get(reverse("notify:broadcast-detail", args=[broadcast.pk]))
    assert b'hx-trigger="every 2s"' in page.content
    fragment = client.get(reverse("notify:broadcast-detail", args=[broadcast.pk]), HTTP_HX_REQUEST="true")
    assert fragment.content.lstrip().startswith(b"<div")
    assert b'data-testid="count-queued">1<' in fragment.content
    assert b"<html" not in fragment.content


def test_the_delivery_page_masks_phones(client_as, state_staff):
    WorkerFactory(name="Ram Kumar", phone="+919812345678", consent_to_contact=True, consent_date="2021-05-01")
    broadcast = _send(state_staff, audience=Audience.WORKERS)
    body = (
        client_as(state_staff).get(reverse("notify:broadcast-detail", args=[broadcast.pk])).content.decode()
    )
    assert "Ram Kumar" in body
    assert "678" in body
    assert "9812345678" not in body


def test_a_coordinator_sees_only_broadcasts_to_his_district(client_as, state_staff, dc_patna, dc_gaya):
    to_gaya = _send(state_staff, ("gaya",), text="Only Gaya")
    to_patna = _send(state_staff, ("patna",), text="Only Patna")
    client = client_as(dc_patna)
    listing = client.get(reverse("notify:broadcast-list")).content.decode()
    assert "Only Patna" in listing
    assert "Only Gaya" not in listing
    assert client.get(reverse("notify:broadcast-detail", args=[to_gaya.pk])).status_code == 404
    assert client.get(reverse("notify:broadcast-detail", args=[to_patna.pk])).status_code == 200


def test_the_admin_link_is_for_state_admins(client_as, state_admin, state_staff):
    admin_page = client_as(state_admin).get(reverse("notify:broadcast-list")).content.decode()
    assert reverse("admin:notify_notification_changelist") in admin_page
    staff_page = client_as(state_staff).get(reverse("notify:broadcast-list")).content.decode()
    assert reverse("admin:notify_notification_changelist") not in staff_page


def test_the_menu_shows_messages_to_those_who_broadcast(client_as, state_staff, helpline_patna):
    assert reverse("notify:broadcast-list").encode() in client_as(state_staff).get("/").content


# --- Messages sent to me, to a worker ------------------------------------------------------------


def test_mine_lists_what_was_sent_to_me_only(client_as, state_staff, dc_patna, dc_gaya):
    _send(state_staff, ("patna", "gaya"), text="To both coordinators")
    patna_page = client_as(dc_patna).get(reverse("notify:mine")).content.decode()
    assert "To both coordinators" in patna_page
    assert "Dc Patna" in patna_page
    assert "Dc Gaya" not in patna_page


def test_a_workers_messages_are_seen_in_his_district_only(client_as, state_staff, dc_patna, dc_gaya):
    patna_worker = WorkerFactory(consent_to_contact=True, consent_date="2021-05-01")
    _send(state_staff, audience=Audience.WORKERS, text="Masks")
    url = reverse("notify:worker-messages", args=[patna_worker.pk])
    assert "Masks" in client_as(dc_patna).get(url).content.decode()
    assert client_as(dc_gaya).get(url).status_code == 404


# --- The API -----------------------------------------------------------------------------------


def test_api_preview_and_send(api, state_staff, dc_patna):
    api.force_authenticate(state_staff)
    data = {"text": "Meeting", "audience": "coordinators", "districts": ["patna"]}
    preview = api.post("/api/v1/broadcasts/preview/", data, format="json")
    assert preview.status_code == 200, preview.content
    assert preview.json()["by_channel"] == {Channel.EMAIL: 1}
    assert not Broadcast.objects.exists()
    created = api.post("/api/v1/broadcasts/", data, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["recipients"] == 1
    assert body["districts"] == ["patna"]
    assert sum(body["delivery"]["counts"].values()) == 1
    assert api.get("/api/v1/broadcasts/").json()["count"] == 1


def test_api_bad_input_is_a_400_with_field_errors(api, state_staff):
    api.force_authenticate(state_staff)
    response = api.post(
        "/api/v1/broadcasts/", {"text": "", "audience": "coordinators", "districts": ["patna"]}, format="json"
    )
    assert response.status_code == 400
    assert "text" in response.json()
    assert not Broadcast.objects.exists()


def test_api_coordinator_is_held_to_his_district(api, dc_patna, dc_gaya):
    api.force_authenticate(dc_patna)
    other = api.post(
        "/api/v1/broadcasts/",
        {"text": "Hi", "audience": "coordinators", "districts": ["gaya"]},
        format="json",
    )
    assert other.status_code == 400
    assert "districts" in other.json()
    own = api.post("/api/v1/broadcasts/", {"text": "Hi", "audience": "coordinators"}, format="json")
    assert own.status_code == 201, own.content
    assert own.json()["districts"] == ["patna"]


def test_api_helpline_operator_gets_403(api, helpline_patna):
    api.force_authenticate(helpline_patna)
    assert api.get("/api/v1/broadcasts/").status_code == 403
    assert (
        api.post(
            "/api/v1/broadcasts/preview/", {"text": "x", "audience": "coordinators"}, format="json"
        ).status_code
        == 403
    )


def test_api_gaya_sees_nothing_of_patna(api, state_staff, dc_patna, dc_gaya):
    broadcast = _send(state_staff, ("patna",))
    api.force_authenticate(dc_gaya)
    assert api.get("/api/v1/broadcasts/").json()["count"] == 0
    assert api.get(f"/api/v1/broadcasts/{broadcast.pk}/").status_code == 404


def test_a_user_with_a_worker_record_hears_it_once_per_broadcast(
    state_staff, django_capture_on_commit_callbacks
):
    person = user_create(
        username="dc_x", password=None, role=PortalRole.DISTRICT_COORDINATOR, district=district("patna")
    )
    assert person.profile.district.code == "patna"
    with django_capture_on_commit_callbacks(execute=True):
        broadcast = _send(state_staff)
    assert Notification.objects.filter(broadcast=broadcast, user=person).count() == 1


def test_a_helpline_operator_gets_403_not_404_on_a_broadcast(
    client_as, state_staff, dc_patna, helpline_patna
):
    broadcast = _send(state_staff)
    assert (
        client_as(helpline_patna).get(reverse("notify:broadcast-detail", args=[broadcast.pk])).status_code
        == 403
    )


def test_the_list_and_delivery_pages_do_not_query_per_row(
    client_as, state_staff, dc_patna, dc_gaya, django_assert_max_num_queries
):
    for n in range(5):
        WorkerFactory(consent_to_contact=True, consent_date="2021-05-01")
        _send(state_staff, ("patna", "gaya"), text=f"Message {n}")
    broadcast = _send(state_staff, audience=Audience.WORKERS, text="To workers")
    client = client_as(state_staff)
    client.get(reverse("notify:broadcast-list"))  # the session and the menu, once
    with django_assert_max_num_queries(10):
        assert client.get(reverse("notify:broadcast-list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notify:broadcast-detail", args=[broadcast.pk])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("notify:mine")).status_code == 200


def test_a_workers_page_links_what_was_sent_to_him(client_as, dc_patna):
    from tests.factories import WorkerFactory

    worker = WorkerFactory()
    page = client_as(dc_patna).get(f"/workers/{worker.pk}/edit/")
    assert page.status_code == 200
    assert f"/messages/worker/{worker.pk}/" in page.content.decode()
