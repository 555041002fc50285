"""Helplines for the tests: a Patna centre that also takes Gaya's calls, its lead and
operator, a Gaya centre, and a way to open requests through the service."""

import datetime

import pytest
from django.utils import timezone

from helplines import services
from helplines.choices import Category, FacilityKind, Urgency, Verification
from helplines.models import Facility, Helpline, HelplineMember
from seva.people.choices import PortalRole
from seva.people.services import user_create
from tests.factories import district


def persona(username, role, code):
    return user_create(
        username=username,
        password="seva-test-pass-2021",
        role=role,
        district=district(code),
        first_name=username,
    )


def helpline(name, code, serves=(), **extra):
    line = Helpline.objects.create(
        name=name, city=name.split()[0], district=district(code), phones="0612-2200100", **extra
    )
    line.districts.set([district(code), *(district(other) for other in serves)])
    return line


def member(user, line, lead=False):
    HelplineMember.objects.create(user=user, helpline=line, is_lead=lead)
    for attr in ("_seva_helplines", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, attr):
            delattr(user, attr)
    return user


def open_request(by, line, code="patna", **fields):
    values = {
        "caller_name": "Sunita Devi",
        "caller_phone": "+919812345678",
        "patient_name": "Mohan Lal",
        "patient_age": 62,
        "category": Category.OXYGEN_BED,
        "urgency": Urgency.HIGH,
        "details": "SpO2 88",
        **fields,
    }
    return services.request_create(by=by, helpline=line, district=district(code), **values)


def facility(code="patna", name="PMCH", kind=FacilityKind.HOSPITAL):
    return Facility.objects.create(name=name, kind=kind, district=district(code), phone="0612-2300000")


def report(by, place, hours_ago=0, **counts):
    return services.availability_report_create(
        by=by,
        facility=place,
        verification=Verification.CALLED,
        reported_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        **counts,
    )


@pytest.fixture
def patna_line(db):
    return helpline("Patna Seva Helpline", "patna", serves=["gaya", "nalanda"])


@pytest.fixture
def gaya_line(db):
    return helpline("Gaya Seva Helpline", "gaya")


@pytest.fixture
def operator(helpline_patna, patna_line):
    """The Patna operator persona, a member of the Patna helpline."""
    return member(helpline_patna, patna_line)


@pytest.fixture
def lead(patna_line):
    return member(persona("helpline_lead_patna", PortalRole.HELPLINE_LEAD, "patna"), patna_line, lead=True)


@pytest.fixture
def gaya_operator(gaya_line):
    return member(persona("helpline_gaya", PortalRole.HELPLINE_OPERATOR, "gaya"), gaya_line)
