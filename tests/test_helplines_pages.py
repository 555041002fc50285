"""The helpline pages: the desk (form, warning, reference, find, queue), a request's page and
its steps, masking by role and scope on every page, the roster, facilities, and the public
board (no personal data, small, cached)."""

import datetime
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from helplines import services
from helplines.choices import Category, EventKind, Outcome, RequestStatus, Urgency
from helplines.models import HelpRequest, Shift
from helplines.views import board_cache_key
from seva.people.choices import PortalRole
from tasks17.models import Donor
from tasks17.records.services import donor_register
from tests.factories import WorkerFactory, district
from tests.factories_helplines import facility, open_request, persona, report

pytestmark = pytest.mark.django_db

DESK = "/helplines/desk/"


def _form(**extra):
    return {
        "caller_name": "Sunita Devi",
        "caller_phone": "98123 45678",
        "patient_name": "Mohan Lal",
        "patient_age": "62",
        "district": district("gaya").pk,
        "category": Category.OXYGEN_BED,
        "urgency": Urgency.CRITICAL,
        "details": "SpO2 88",
        **extra,
    }


def test_the_desk_saves_a_request_and_shows_its_reference(client_as, operator, patna_line):
    page = client_as(operator).post(DESK, _form())
    request = HelpRequest.objects.get()
    assert page.status_code == 302 and page.url.endswith(f"?saved={request.pk}")
    shown = client_as(operator).get(page.url)
    assert "GAY-0001" in shown.content.decode()
    assert request.helpline == patna_line and request.created_by == operator


def test_a_refused_request_keeps_everything_typed(client_as, operator, patna_line):
    page = client_as(operator).post(DESK, _form(caller_phone="12345", district=district("siwan").pk))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="Sunita Devi"' in body and "SpO2 88" in body and 'value="12345"' in body
    assert "caller_phone" in page.context["form"].errors and "district" in page.context["form"].errors
    assert not HelpRequest.objects.exists()


def test_the_desk_warns_about_the_same_callers_open_request(client_as, operator, patna_line):
    first = open_request(operator, patna_line)
    check = client_as(operator).get(reverse("helplines:caller-check"), {"caller_phone": "+91 98123-45678"})
    assert first.reference in check.content.decode()
    assert reverse("helplines:request-detail", args=[first.pk]) in check.content.decode()
    page = client_as(operator).post(DESK, _form())
    assert first.reference in client_as(operator).get(page.url).content.decode()


def test_the_reference_finds_the_request(client_as, operator, patna_line):
    request = open_request(operator, patna_line)
    found = client_as(operator).get(DESK, {"ref": request.reference.lower()})
    assert found.status_code == 302 and found.url == reverse("helplines:request-detail", args=[request.pk])
    missing = client_as(operator).get(DESK, {"ref": "PAT-9999"})
    assert "No request with this reference." in missing.content.decode()


def test_the_queue_puts_the_most_urgent_and_oldest_first_and_marks_sla(client_as, operator, patna_line):
    normal = open_request(operator, patna_line, urgency=Urgency.NORMAL)
    critical = open_request(operator, patna_line, urgency=Urgency.CRITICAL, caller_phone="+919812345679")
    HelpRequest.objects.filter(pk=critical.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=30)
    )
    page = client_as(operator).get(reverse("helplines:queue"))
    body = page.content.decode()
    assert body.index(critical.reference) < body.index(normal.reference)
    assert "past-sla" in body
    assert 'hx-trigger="every 15s"' in client_as(operator).get(DESK).content.decode()


def test_the_request_page_steps_assign_and_resolve(client_as, operator, patna_line):
    request = open_request(operator, patna_line, code="gaya")
    worker = WorkerFactory(district=district("gaya"))
    client = client_as(operator)
    wrong = WorkerFactory(district=district("patna"))
    refused = client.post(reverse("helplines:request-assign", args=[request.pk]), {"worker": wrong.pk})
    assert refused.status_code == 400
    done = client.post(reverse("helplines:request-assign", args=[request.pk]), {"worker": worker.pk})
    assert done.status_code == 302
    twice = client.post(reverse("helplines:request-resolve", args=[request.pk]), {"outcome": "nonsense"})
    assert twice.status_code == 400
    client.post(reverse("helplines:request-resolve", args=[request.pk]), {"outcome": Outcome.BED_ARRANGED})
    request.refresh_from_db()
    assert request.status == RequestStatus.RESOLVED and request.assigned_to == worker
    again = client.post(
        reverse("helplines:request-resolve", args=[request.pk]), {"outcome": Outcome.BED_ARRANGED}
    )
    assert again.status_code == 400 and "closed" in again.content.decode()


# --- masking by role and scope ---------------------------------------------------------------


@pytest.fixture
def gaya_request(operator, patna_line):
    return open_request(
        operator, patna_line, code="gaya", caller_name="Kamla Prasad", caller_phone="+919812300001"
    )


def _page_text(client, url):
    page = client.get(url)
    return page.status_code, page.content.decode()


@pytest.mark.parametrize(
    ("persona_name", "sees_names"),
    [("state_admin", True), ("operator", True), ("dc_gaya", True), ("state_staff", False)],
)
def test_names_and_phones_show_only_to_those_allowed(
    request, client_as, gaya_request, persona_name, sees_names
):
    user = request.getfixturevalue(persona_name)
    client = client_as(user)
    for url in (
        reverse("helplines:request-detail", args=[gaya_request.pk]),
        reverse("helplines:request-list"),
    ):
        status, body = _page_text(client, url)
        assert status == 200, url
        assert ("Kamla Prasad" in body) is sees_names, url
        assert ("+919812300001" in body) is sees_names, url
        assert ("K•••• P••••" in body) is not sees_names, url


def test_an_operator_of_another_helpline_sees_his_districts_requests_masked(
    client_as, gaya_request, gaya_operator
):
    status, body = _page_text(
        client_as(gaya_operator), reverse("helplines:request-detail", args=[gaya_request.pk])
    )
    assert status == 200 and "Kamla Prasad" not in body and "K•••• P••••" in body


def test_other_districts_requests_do_not_exist(client_as, gaya_request, dc_patna):
    client = client_as(dc_patna)
    assert client.get(reverse("helplines:request-detail", args=[gaya_request.pk])).status_code == 404
    assert gaya_request.reference not in client.get(reverse("helplines:request-list")).content.decode()
    assert client.post(
        reverse("helplines:request-note", args=[gaya_request.pk]), {"note": "x"}
    ).status_code in (403, 404)


def test_a_coordinator_cannot_use_the_desk(client_as, dc_gaya):
    assert client_as(dc_gaya).get(DESK).status_code == 403


def test_opening_personal_details_is_an_event_once_in_a_while(client_as, gaya_request, dc_gaya, state_staff):
    url = reverse("helplines:request-detail", args=[gaya_request.pk])
    client_as(dc_gaya).get(url)
    client_as(dc_gaya).get(url)
    client_as(state_staff).get(url)  # masked: nothing opened
    opened = gaya_request.events.filter(kind=EventKind.PERSONAL_OPENED)
    assert list(opened.values_list("by__username", flat=True)) == ["dc_gaya"]


def test_the_donor_panel_lists_matches_for_a_blood_request(client_as, operator, patna_line, state_admin):
    donor = donor_register(
        by=state_admin,
        name="Ravi Donor",
        phone="+919800000031",
        blood_group="O-",
        district=district("patna"),
        consent_to_contact=True,
    )
    request = open_request(operator, patna_line, category=Category.BLOOD, blood_group="A+")
    client = client_as(operator)
    assert "Ravi Donor" in client.get(reverse("helplines:request-detail", args=[request.pk])).content.decode()
    client.post(reverse("helplines:request-contact-donor", args=[request.pk, donor.pk]))
    assert request.events.filter(kind=EventKind.DONOR_CONTACTED).exists()


# --- roster and facilities -------------------------------------------------------------------


def test_the_roster_shows_who_is_on_and_the_gaps(client_as, lead, operator, patna_line):
    now = timezone.now()
    Shift.objects.create(
        helpline=patna_line,
        operator=operator,
        start=now - datetime.timedelta(hours=1),
        end=now + datetime.timedelta(hours=5),
    )
    Shift.objects.create(
        helpline=patna_line,
        operator=lead,
        start=now + datetime.timedelta(hours=8),
        end=now + datetime.timedelta(hours=30),
    )
    page = client_as(lead).get(reverse("helplines:roster", args=[patna_line.pk]))
    on_now, gaps = page.context["on_now"], page.context["gaps"]
    assert [shift.operator for shift in on_now] == [operator]
    assert len(gaps) == 1 and gaps[0][1] - gaps[0][0] == datetime.timedelta(hours=3)
    overlap = client_as(lead).post(
        reverse("helplines:shift-create", args=[patna_line.pk]),
        {
            "operator": operator.pk,
            "start": (now + datetime.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
            "end": (now + datetime.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert overlap.status_code == 400 and "already has a shift" in overlap.content.decode()
    assert (
        client_as(operator).post(reverse("helplines:shift-create", args=[patna_line.pk]), {}).status_code
        == 403
    )


def test_facility_search_and_report(client_as, operator):
    place = facility(name="AIIMS Patna")
    client = client_as(operator)
    bad = client.post(
        reverse("helplines:availability-create", args=[place.pk]),
        {"verification": "called", "beds_oxygen": "-3"},
    )
    assert bad.status_code == 200 and "beds_oxygen" in bad.context["form"].errors
    client.post(
        reverse("helplines:availability-create", args=[place.pk]),
        {"verification": "called", "beds_oxygen": "4"},
    )
    page = client.get(reverse("helplines:facilities"), {"kind": "oxygen", "district": district("patna").pk})
    assert [row["facility"] for row in page.context["rows"]] == [place]
    assert "AIIMS Patna" in page.content.decode()


def test_a_gaya_coordinator_sees_no_patna_facility(client_as, dc_gaya):
    facility(name="AIIMS Patna")
    page = client_as(dc_gaya).get(reverse("helplines:facilities"))
    assert "AIIMS Patna" not in page.content.decode()


# --- the public board ------------------------------------------------------------------------


def test_the_public_board_carries_no_personal_data(client, operator, patna_line, state_admin, dc_gaya):
    request = open_request(
        operator, patna_line, code="gaya", caller_name="Kamla Prasad", caller_phone="+919812300001"
    )
    services.request_resolve(by=operator, request=request, outcome=Outcome.BED_ARRANGED)
    donor_register(
        by=state_admin,
        name="Ravi Donor",
        phone="+919800000041",
        blood_group="O-",
        district=district("patna"),
        consent_to_contact=True,
    )
    report(operator, facility(name="AIIMS Patna"), beds_oxygen=7, medicines="Remdesivir")
    report(dc_gaya, facility(code="gaya", name="ANMMCH"), hours_ago=10, beds_icu=3)
    cache.clear()
    page = client.get("/availability/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Remdesivir" in body and "0612-2200100" in body
    assert len(page.content) + len(Path("static/css/helplines-board.css").read_bytes()) < 50 * 1024
    cached = cache.get(board_cache_key("en"))
    assert cached == body
    secrets = set()
    for row in HelpRequest.objects.all():
        secrets |= {row.caller_name, str(row.caller_phone), row.patient_name, str(row.caller_phone)[-10:]}
    for donor in Donor.objects.all():
        secrets |= {donor.name, str(donor.phone), str(donor.phone)[-10:]}
    secrets.discard("")
    assert secrets and not [secret for secret in secrets if secret in body or secret in cached]
    assert "csrf" not in body.lower() and "Set-Cookie" not in page.headers


def test_the_public_board_shows_fresh_numbers_and_is_cached(client, operator, dc_gaya, settings):
    report(operator, facility(name="AIIMS Patna"), beds_oxygen=7)
    report(dc_gaya, facility(code="gaya", name="ANMMCH"), hours_ago=10, beds_icu=3)
    cache.clear()
    board = client.get("/availability/", {"lang": "en"})
    body = board.content.decode()
    assert "<b>7</b>" in body and "No recent report." in body
    assert board["Cache-Control"] == "public, max-age=60"
    report(operator, facility(name="NMCH"), beds_oxygen=5)
    assert client.get("/availability/", {"lang": "en"}).content.decode() == body  # a minute's cache
    hindi = client.get("/availability/", {"lang": "hi"}).content.decode()
    assert 'lang="hi"' in hindi


def test_the_lead_persona_has_the_lead_group():
    user = persona("lead_x", PortalRole.HELPLINE_LEAD, "patna")
    assert user.has_perm("helplines.add_shift") and not user.has_perm("helplines.delete_helprequest")


def test_the_queue_and_the_list_take_a_flat_number_of_queries(
    client_as, operator, patna_line, django_assert_max_num_queries
):
    for n in range(8):
        open_request(
            operator, patna_line, code="gaya" if n % 2 else "patna", caller_phone=f"+9198123450{n:02d}"
        )
    client = client_as(operator)
    client.get(reverse("helplines:queue"))  # warm the session
    # Session, user, permissions, membership, the rows: 8 and 9 today, whatever the rows.
    with django_assert_max_num_queries(9):
        assert len(client.get(reverse("helplines:queue")).context["queue"]) == 8
    with django_assert_max_num_queries(10):
        assert len(client.get(reverse("helplines:request-list")).context["rows"]) == 8
    with django_assert_max_num_queries(12):
        assert len(client.get(reverse("helplines:desk")).context["queue"]) == 8
