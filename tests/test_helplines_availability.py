"""Facilities and availability: bad numbers and times refused by field, the search shows the
freshest first and stale reports last, and shifts never overlap for one operator."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from helplines import services
from helplines.choices import FacilityKind, Verification
from helplines.models import AvailabilityReport, Shift
from helplines.selectors import availability_search
from tests.factories import district
from tests.factories_helplines import facility, report

pytestmark = pytest.mark.django_db


def _errors(call):
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_it_refuses_negative_absurd_and_future_numbers(operator):
    place = facility()
    errors = _errors(
        lambda: services.availability_report_create(
            by=operator,
            facility=place,
            verification="guessed",
            reported_at=timezone.now() + datetime.timedelta(hours=1),
            beds_oxygen=-1,
            beds_icu=99999,
            oxygen_cylinders="many",
        )
    )
    assert {"verification", "reported_at", "beds_oxygen", "beds_icu", "oxygen_cylinders"} <= set(errors)
    assert not AvailabilityReport.objects.exists()


def test_search_finds_free_oxygen_beds_freshest_first_stale_last(operator, settings):
    settings.SEVA_AVAILABILITY_STALE_HOURS = 6
    fresh = facility(name="AIIMS Patna")
    older = facility(name="NMCH")
    stale = facility(name="IGIMS")
    full = facility(name="Ruban")
    report(operator, stale, hours_ago=8, beds_oxygen=9)
    report(operator, older, hours_ago=2, beds_oxygen=1)
    report(operator, fresh, hours_ago=0.5, beds_oxygen=3)
    report(operator, full, hours_ago=0.1, beds_oxygen=0, beds_general=5)
    report(operator, stale, hours_ago=9, beds_oxygen=0)  # an older report does not count
    rows = availability_search(operator, kind="oxygen", district=district("patna"))
    assert [row["facility"] for row in rows] == [fresh, older, stale]
    assert [row["stale"] for row in rows] == [False, False, True]
    assert availability_search(operator, kind="oxygen", district=district("gaya")) == []


def test_an_operator_finds_beds_in_the_districts_his_helpline_serves(operator, dc_gaya):
    gaya_hospital = facility(code="gaya", name="ANMMCH")
    report(dc_gaya, gaya_hospital, beds_icu=2)
    assert [row["facility"] for row in availability_search(operator, kind="icu")] == [gaya_hospital]
    siwan = facility(code="siwan", name="Sadar Siwan")
    with pytest.raises(Http404):  # not one of his districts
        report(operator, siwan, beds_icu=1)


def test_a_facility_needs_a_known_kind(operator):
    errors = _errors(
        lambda: services.facility_create(by=operator, name="X", kind="temple", district=district("patna"))
    )
    assert "kind" in errors
    made = services.facility_create(
        by=operator, name="Sadar Gaya", kind=FacilityKind.HOSPITAL, district=district("gaya")
    )
    assert made.district.code == "gaya"
    assert "district" in _errors(
        lambda: services.facility_create(
            by=operator, name="Y", kind=FacilityKind.PHARMACY, district=district("siwan")
        )
    )


# --- shifts --------------------------------------------------------------------------------


def _at(hours):
    base = timezone.now().replace(minute=0, second=0, microsecond=0)
    return base + datetime.timedelta(hours=hours)


def test_shifts_of_one_operator_never_overlap(lead, operator, patna_line):
    services.shift_create(by=lead, helpline=patna_line, operator=operator, start=_at(0), end=_at(8))
    errors = _errors(
        lambda: services.shift_create(
            by=lead, helpline=patna_line, operator=operator, start=_at(7), end=_at(12)
        )
    )
    assert "already has a shift" in errors["start"][0]
    services.shift_create(by=lead, helpline=patna_line, operator=operator, start=_at(8), end=_at(16))
    assert Shift.objects.count() == 2
    later = Shift.objects.get(start=_at(8))
    assert "start" in _errors(lambda: services.shift_update(by=lead, shift=later, data={"start": _at(6)}))
    assert "end" in _errors(
        lambda: services.shift_create(by=lead, helpline=patna_line, operator=lead, start=_at(5), end=_at(4))
    )


def test_only_the_lead_manages_shifts_and_only_for_members(lead, operator, patna_line, dc_patna):
    with pytest.raises(PermissionDenied):
        services.shift_create(by=operator, helpline=patna_line, operator=operator, start=_at(0), end=_at(8))
    errors = _errors(
        lambda: services.shift_create(
            by=lead, helpline=patna_line, operator=dc_patna, start=_at(0), end=_at(8)
        )
    )
    assert "operator" in errors


def test_verification_is_one_of_the_three(operator):
    made = report(operator, facility(), beds_general=4)
    assert made.verification == Verification.CALLED and made.beds_free["general"] == 4
