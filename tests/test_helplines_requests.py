"""A help request's life through the services: references, the rules of each step, the
timeline, first action and SLA, and the helpline task's report written on closing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone, translation

from helplines import services
from helplines.choices import Category, EventKind, Outcome, RequestStatus, Urgency
from helplines.models import HelpRequest, RequestCounter
from helplines.selectors import helpline_figures, queue
from seva.geo.models import District
from seva.geo.refcodes import REF_CODES
from tasks17.choices import ActivityOrigin
from tasks17.models import ActivityValue, DailyRollup
from tests.factories import WorkerFactory, district
from tests.factories_helplines import open_request

pytestmark = pytest.mark.django_db


def _errors(call):
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def _helpline_figures():
    rows = (
        DailyRollup.objects.filter(task__code="helpline").values("metric__code").annotate(n=Sum("reported"))
    )
    return {row["metric__code"]: row["n"] for row in rows}


# --- references ---------------------------------------------------------------------------


def test_every_district_has_a_distinct_reference_code():
    codes = dict(District.objects.values_list("code", "ref_code"))
    assert codes == REF_CODES
    assert len(set(codes.values())) == 38
    assert codes["sheikhpura"] != codes["sheohar"]
    assert codes["madhepura"] != codes["madhubani"]


def test_references_count_up_per_district_and_are_never_reused(operator, patna_line):
    first = open_request(operator, patna_line)
    second = open_request(operator, patna_line, caller_phone="+919812345679")
    gaya = open_request(operator, patna_line, code="gaya", caller_phone="+919812345670")
    assert (first.reference, second.reference, gaya.reference) == ("PAT-0001", "PAT-0002", "GAY-0001")
    services.request_cancel(by=operator, request=second, reason="Caller found a bed")
    HelpRequest.objects.filter(pk=second.pk).delete()
    assert open_request(operator, patna_line, caller_phone="+919812345671").reference == "PAT-0003"
    assert RequestCounter.objects.get(pk=district("patna").pk).last == 3


def test_a_refused_request_takes_no_number(operator, patna_line):
    _errors(lambda: open_request(operator, patna_line, caller_phone="12345"))
    assert open_request(operator, patna_line).reference == "PAT-0001"


# --- bad input ----------------------------------------------------------------------------


def test_it_names_each_bad_field_at_once(operator, patna_line):
    errors = _errors(
        lambda: open_request(
            operator, patna_line, caller_phone="12345", category="spaceship", urgency="whenever"
        )
    )
    assert {"caller_phone", "category", "urgency"} <= set(errors)
    assert not HelpRequest.objects.exists()


def test_it_refuses_a_district_the_helpline_does_not_serve(operator, patna_line):
    errors = _errors(lambda: open_request(operator, patna_line, code="siwan"))
    assert "does not take calls" in errors["district"][0]


def test_it_answers_in_hindi(operator, patna_line):
    with translation.override("hi"):
        errors = _errors(lambda: open_request(operator, patna_line, code="siwan"))
    assert errors["district"][0] == "यह हेल्पलाइन सीवान की कॉल नहीं लेती।"


def test_a_non_member_cannot_open_a_request_at_the_helpline(gaya_operator, patna_line):
    errors = _errors(lambda: open_request(gaya_operator, patna_line, code="gaya"))
    assert "helpline" in errors


def test_blood_needs_the_patients_group(operator, patna_line):
    errors = _errors(lambda: open_request(operator, patna_line, category=Category.BLOOD))
    assert "blood_group" in errors


def test_it_refuses_an_absurd_age(operator, patna_line):
    assert "patient_age" in _errors(lambda: open_request(operator, patna_line, patient_age=190))


# --- the timeline -------------------------------------------------------------------------


def test_the_same_caller_with_an_open_request_is_named_on_the_new_one(operator, patna_line):
    first = open_request(operator, patna_line)
    second = open_request(operator, patna_line, category=Category.MEDICINE)
    created = second.events.get(kind=EventKind.CREATED)
    assert created.data["same_caller_open"] == [first.reference]
    assert list(services.open_requests_of_caller(first.caller_phone, exclude=first.pk)) == [second]


def test_assigning_takes_an_active_worker_of_the_requests_district(operator, patna_line):
    request = open_request(operator, patna_line, code="gaya")
    patna_worker = WorkerFactory(district=district("patna"))
    sleeping = WorkerFactory(district=district("gaya"), is_active=False)
    assert "worker" in _errors(
        lambda: services.request_assign(by=operator, request=request, worker=patna_worker)
    )
    assert (
        "inactive"
        in _errors(lambda: services.request_assign(by=operator, request=request, worker=sleeping))["worker"][
            0
        ]
    )
    worker = WorkerFactory(district=district("gaya"))
    services.request_assign(by=operator, request=request, worker=worker)
    request.refresh_from_db()
    assert (request.status, request.assigned_to) == (RequestStatus.ASSIGNED, worker)
    assert request.first_action_at is not None
    other = WorkerFactory(district=district("gaya"))
    assert (
        "already taken"
        in _errors(lambda: services.request_assign(by=operator, request=request, worker=other))["worker"][0]
    )
    services.request_assign(by=operator, request=request, worker=other, reassign=True)
    kinds = list(request.events.values_list("kind", flat=True))
    assert kinds == [EventKind.CREATED, EventKind.ASSIGNED, EventKind.ASSIGNED]


def test_resolving_writes_the_helpline_report_once(operator, patna_line):
    request = open_request(operator, patna_line, code="gaya")
    services.request_resolve(by=operator, request=request, outcome=Outcome.BED_ARRANGED, note="AIIMS Patna")
    request.refresh_from_db()
    assert request.status == RequestStatus.RESOLVED and request.resolved_at
    activity = request.activity
    assert (activity.origin, activity.task.code, activity.district.code) == (
        ActivityOrigin.HELPLINE,
        "helpline",
        "patna",
    )
    assert activity.date == timezone.localdate()
    assert activity.numbers == {"calls": 1, "beds": 1}
    assert _helpline_figures() == {"calls": 1, "beds": 1}
    errors = _errors(
        lambda: services.request_resolve(by=operator, request=request, outcome=Outcome.BED_ARRANGED)
    )
    assert "status" in errors
    assert _helpline_figures() == {"calls": 1, "beds": 1}
    assert request.events.filter(kind=EventKind.RESOLVED).count() == 1


def test_a_medicine_met_counts_as_a_medicine(operator, patna_line):
    request = open_request(operator, patna_line, category=Category.MEDICINE)
    services.request_resolve(by=operator, request=request, outcome=Outcome.MEDICINE_PROVIDED)
    assert _helpline_figures() == {"calls": 1, "medicines": 1}


def test_resolving_needs_a_known_outcome(operator, patna_line):
    request = open_request(operator, patna_line)
    assert "outcome" in _errors(
        lambda: services.request_resolve(by=operator, request=request, outcome="magic")
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN and request.activity is None


def test_unresolved_counts_the_call_duplicates_and_cancellations_count_nothing(operator, patna_line):
    first = open_request(operator, patna_line)
    second = open_request(operator, patna_line, caller_phone="+919812345679")
    third = open_request(operator, patna_line, caller_phone="+919812345670")
    assert "note" in _errors(lambda: services.request_unresolved(by=operator, request=first, note=" "))
    services.request_unresolved(by=operator, request=first, note="No bed anywhere tonight")
    services.request_duplicate(by=operator, request=second, of=first.reference.lower())
    services.request_cancel(by=operator, request=third, reason="Patient admitted elsewhere")
    assert _helpline_figures() == {"calls": 1}
    assert ActivityValue.objects.filter(activity__task__code="helpline").count() == 1
    second.refresh_from_db()
    assert second.duplicate_of == first and second.activity is None


def test_notes_callbacks_and_escalations_are_events(operator, patna_line):
    request = open_request(operator, patna_line)
    services.request_callback(by=operator, request=request, note="No answer")
    services.request_note(by=operator, request=request, note="Son will call back")
    assert "note" in _errors(lambda: services.request_escalate(by=operator, request=request, note=""))
    services.request_escalate(by=operator, request=request, note="Critical, no bed")
    request.refresh_from_db()
    assert request.escalated
    assert list(request.events.values_list("kind", "by__username")) == [
        ("created", "helpline_patna"),
        ("called_back", "helpline_patna"),
        ("note", "helpline_patna"),
        ("escalated", "helpline_patna"),
    ]


def test_a_coordinator_watches_but_cannot_change(operator, patna_line, dc_patna, dc_gaya):
    request = open_request(operator, patna_line, code="gaya")
    with pytest.raises(PermissionDenied):
        services.request_note(by=dc_gaya, request=request, note="mine")
    with pytest.raises(Http404):
        services.request_note(by=dc_patna, request=request, note="not in my district")


# --- SLA and figures ----------------------------------------------------------------------


def _aged(request, minutes):
    HelpRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    request.refresh_from_db()
    return request


def test_past_sla_follows_the_urgency(operator, patna_line, settings):
    settings.SEVA_HELPLINE_SLA_MINUTES = {"critical": 15, "high": 60, "normal": 240}
    critical = _aged(open_request(operator, patna_line, urgency=Urgency.CRITICAL), 20)
    normal = _aged(
        open_request(operator, patna_line, urgency=Urgency.NORMAL, caller_phone="+919812345679"), 20
    )
    assert critical.is_past_sla() and not normal.is_past_sla()
    assert [row.pk for row in queue(operator)] == [critical.pk, normal.pk]


def test_figures_count_medians_and_sla(operator, patna_line, settings):
    settings.SEVA_HELPLINE_SLA_MINUTES = {"critical": 15, "high": 60, "normal": 240}
    late = _aged(open_request(operator, patna_line, urgency=Urgency.CRITICAL), 30)
    quick = _aged(open_request(operator, patna_line, code="gaya", caller_phone="+919812345679"), 10)
    services.request_resolve(by=operator, request=quick, outcome=Outcome.ADVICE_GIVEN)
    figures = helpline_figures()
    assert (figures["open"], figures["resolved"], figures["past_sla"], figures["open_past_sla"]) == (
        1,
        1,
        1,
        1,
    )
    assert 9.5 <= figures["median_minutes_to_first_action"] <= 10.5
    assert 9.5 <= figures["median_minutes_to_resolution"] <= 10.5
    patna = helpline_figures(district=late.district)
    assert (patna["open"], patna["resolved"]) == (1, 0)


def test_the_dashboards_show_the_helpline_figures(
    client_as, operator, patna_line, state_staff, dc_gaya, settings
):
    settings.SEVA_HELPLINE_SLA_MINUTES = {"critical": 15, "high": 60, "normal": 240}
    _aged(open_request(operator, patna_line, code="gaya", urgency=Urgency.CRITICAL), 30)
    done = open_request(operator, patna_line, caller_phone="+919812345679")
    services.request_resolve(by=operator, request=done, outcome=Outcome.ADVICE_GIVEN)
    state = client_as(state_staff).get("/dashboard/", {"days": 7})
    assert state.context["helpline"]["open"] == 1 and state.context["helpline"]["resolved"] == 1
    by_district = {row["district"].code: row for row in state.context["helpline_districts"]}
    assert by_district["gaya"]["past_sla"] == 1 and by_district["patna"]["resolved"] == 1
    assert 'data-testid="helpline-figures"' in state.content.decode()
    gaya = client_as(dc_gaya).get("/dashboard/districts/gaya/", {"days": 7})
    assert gaya.context["helpline"]["open"] == 1 and gaya.context["helpline"]["resolved"] == 0
