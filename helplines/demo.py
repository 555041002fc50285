"""Demo helplines (``manage.py seed_demo``): a Patna centre that also takes Gaya's and
Nalanda's calls and a Gaya centre, their members and shifts (with a gap in the next 24 hours),
facilities with fresh and stale availability reports, and open and closed requests, all
written through the services. Runs after the tasks app's demo (its donors); once only."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.utils import timezone

from seva.geo.models import District
from seva.people.choices import PortalRole
from seva.people.demo import DEMO_PASSWORD
from seva.people.models import Worker
from seva.people.services import user_create

from . import services
from .choices import Category, FacilityKind, Outcome, Urgency, Verification
from .models import Helpline, HelplineMember, HelpRequest, Shift

PATNA_LINE = "Patna Seva Helpline"
GAYA_LINE = "Gaya Seva Helpline"

FACILITIES = [
    # name, kind, district, hours since the last report (None: none),
    # free beds (general, oxygen, ICU, ventilator), oxygen cylinders, medicines
    ("Demo: AIIMS Patna", FacilityKind.HOSPITAL, "patna", 1, (4, 3, 1, 0), 0, ""),
    ("Demo: PMCH Patna", FacilityKind.HOSPITAL, "patna", 3, (10, 0, 0, 0), 0, ""),
    ("Demo: NMCH Patna", FacilityKind.HOSPITAL, "patna", 9, (2, 6, 2, 1), 0, ""),
    ("Demo: Patliputra Oxygen", FacilityKind.OXYGEN_SUPPLIER, "patna", 2, (0, 0, 0, 0), 40, ""),
    (
        "Demo: Ashok Rajpath Pharmacy",
        FacilityKind.PHARMACY,
        "patna",
        4,
        (0, 0, 0, 0),
        0,
        "Remdesivir, Dexamethasone",
    ),
    ("Demo: ANMMCH Gaya", FacilityKind.HOSPITAL, "gaya", 1, (6, 2, 0, 0), 0, ""),
    ("Demo: Gaya Covid Care Centre", FacilityKind.COVID_CARE, "gaya", 12, (20, 5, 0, 0), 0, ""),
    ("Demo: Gaya Blood Bank", FacilityKind.BLOOD_BANK, "gaya", None, (0, 0, 0, 0), 0, ""),
]

REQUESTS = [
    # caller, phone, patient, age, district, need, urgency, blood group, minutes ago, what then
    (
        "Demo: Rakesh Sharma",
        "+919910000001",
        "Demo: Shanti Devi",
        64,
        "patna",
        Category.OXYGEN_BED,
        Urgency.CRITICAL,
        "",
        25,
        None,
    ),
    (
        "Demo: Pooja Kumari",
        "+919910000002",
        "Demo: Ram Prasad",
        58,
        "gaya",
        Category.ICU,
        Urgency.HIGH,
        "",
        50,
        "assign",
    ),
    (
        "Demo: Sanjay Gupta",
        "+919910000003",
        "Demo: Meena Gupta",
        45,
        "patna",
        Category.BLOOD,
        Urgency.HIGH,
        "B+",
        15,
        None,
    ),
    (
        "Demo: Arti Singh",
        "+919910000004",
        "Demo: Arti Singh",
        33,
        "nalanda",
        Category.MEDICINE,
        Urgency.NORMAL,
        "",
        90,
        None,
    ),
    (
        "Demo: Dinesh Yadav",
        "+919910000005",
        "Demo: Sita Yadav",
        70,
        "patna",
        Category.HOSPITAL_BED,
        Urgency.HIGH,
        "",
        300,
        "resolve",
    ),
    (
        "Demo: Neha Verma",
        "+919910000006",
        "Demo: Om Verma",
        52,
        "gaya",
        Category.MEDICINE,
        Urgency.NORMAL,
        "",
        240,
        "medicine",
    ),
    (
        "Demo: Mukesh Ram",
        "+919910000007",
        "Demo: Lalita Ram",
        61,
        "patna",
        Category.VENTILATOR,
        Urgency.CRITICAL,
        "",
        400,
        "unresolved",
    ),
    (
        "Demo: Kavita Das",
        "+919910000008",
        "Demo: Kavita Das",
        29,
        "gaya",
        Category.MEALS,
        Urgency.NORMAL,
        "",
        30,
        None,
    ),
]


def _user(username: str, role: PortalRole, code: str, first: str, last: str) -> object:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            district=District.objects.get(code=code),
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
        )
    return user


def _helpline(name: str, code: str, serves: list[str], phones: str) -> Helpline:
    helpline = Helpline.objects.create(
        name=name, city=code.title(), district=District.objects.get(code=code), phones=phones
    )
    helpline.districts.set(District.objects.filter(code__in=[code, *serves]))
    return helpline


def seed(log: Callable[[str], object]) -> None:
    if Helpline.objects.filter(name=PATNA_LINE).exists():
        return
    now = timezone.now().replace(second=0, microsecond=0)
    admin = get_user_model().objects.get(username="state_admin")
    operator = _user("helpline_patna", PortalRole.HELPLINE_OPERATOR, "patna", "Patna", "Helpline")
    lead = _user("helpline_lead_patna", PortalRole.HELPLINE_LEAD, "patna", "Patna", "Helpline lead")
    gaya_operator = _user("helpline_gaya", PortalRole.HELPLINE_OPERATOR, "gaya", "Gaya", "Helpline")
    patna = _helpline(PATNA_LINE, "patna", ["nalanda", "gaya", "vaishali"], "0612-2219810, 104")
    gaya = _helpline(GAYA_LINE, "gaya", ["aurangabad", "nawada"], "0631-2222333")
    HelplineMember.objects.create(helpline=patna, user=operator)
    HelplineMember.objects.create(helpline=patna, user=lead, is_lead=True)
    HelplineMember.objects.create(helpline=gaya, user=gaya_operator, is_lead=True)

    hours = datetime.timedelta(hours=1)
    # Patna: covered now and tonight, then a gap the roster shows; Gaya: one long day shift.
    services.shift_create(
        by=lead, helpline=patna, operator=operator, start=now - 2 * hours, end=now + 6 * hours
    )
    services.shift_create(by=lead, helpline=patna, operator=lead, start=now + 6 * hours, end=now + 14 * hours)
    services.shift_create(
        by=admin, helpline=gaya, operator=gaya_operator, start=now - hours, end=now + 11 * hours
    )

    for name, kind, code, age, beds, cylinders, medicines in FACILITIES:
        facility = services.facility_create(
            by=admin, name=name, kind=kind, district=District.objects.get(code=code)
        )
        if age is not None:
            services.availability_report_create(
                by=admin,
                facility=facility,
                verification=Verification.CALLED,
                reported_at=now - age * hours,
                beds_general=beds[0],
                beds_oxygen=beds[1],
                beds_icu=beds[2],
                beds_ventilator=beds[3],
                oxygen_cylinders=cylinders,
                medicines=medicines,
            )

    for caller, phone, patient, age, code, need, urgency, group, minutes, then in REQUESTS:
        line = gaya if code == "gaya" and need == Category.MEALS else patna
        by = gaya_operator if line == gaya else operator
        request = services.request_create(
            by=by,
            helpline=line,
            district=District.objects.get(code=code),
            caller_name=caller,
            caller_phone=phone,
            patient_name=patient,
            patient_age=age,
            category=need,
            urgency=urgency,
            blood_group=group,
            details="Demo request",
        )
        HelpRequest.objects.filter(pk=request.pk).update(created_at=now - datetime.timedelta(minutes=minutes))
        request.events.update(at=now - datetime.timedelta(minutes=minutes))
        worker = Worker.objects.filter(district__code=code, is_active=True).order_by("pk").first()
        if then == "assign" and worker:
            services.request_assign(by=by, request=request, worker=worker)
        elif then == "resolve":
            services.request_resolve(
                by=by, request=request, outcome=Outcome.BED_ARRANGED, note="Demo: AIIMS Patna"
            )
        elif then == "medicine":
            services.request_resolve(by=by, request=request, outcome=Outcome.MEDICINE_PROVIDED)
        elif then == "unresolved":
            services.request_unresolved(
                by=by, request=request, note="Demo: no ventilator free in the district"
            )
    log(
        f"helplines: 2 helplines, {Shift.objects.count()} shifts, {len(FACILITIES)} facilities, "
        f"{HelpRequest.objects.count()} requests."
    )
