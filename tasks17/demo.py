"""Demo reports and targets for Patna and Gaya, written through the services like real ones.

Runs after ``seva.people.demo`` (users ``dc_patna``, ``dc_gaya``, ``state_staff``) and
``seva.geo.demo`` (demo booths). About two weeks of typed-in reports for the tasks people
report by hand; state staff verify some and reject one, and set targets for the current
fortnight. Tasks fed by their own records (camps, conferences, corona-free declarations, the
helpline) get no typed-in demo reports: those records write them (``_seed_records``).

Each report has a fixed ``client_uuid`` (uuid5 of its key, not of its date), so running
``seed_demo`` again, on any day, stores nothing twice; reviews and targets are looked up
before they are made.
"""

from __future__ import annotations

import calendar
import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from seva.geo.models import AssemblySeat, Booth, District

from .choices import ActivityStatus
from .models import Activity, Campaign, Metric, Target, Task
from .services import activity_reject, activity_submit, activity_verify, campaign_save, target_create

_NAMESPACE = uuid.UUID("5f0c1b7e-2b7a-4c53-9d51-3f6d1e0a2a17")

VERIFY, REJECT = "verify", "reject"

# reporter, task, days ago, seat index in the district (None: district-wide), values, notes,
# review by state staff (None: awaits review).
DEMO_ACTIVITIES: list[tuple[str, str, int, int | None, dict[str, int], str, str | None]] = [
    (
        "dc_patna",
        "masks-sanitiser",
        9,
        0,
        {"masks": 1200, "sanitiser": 150},
        "At the vegetable market.",
        VERIFY,
    ),
    ("dc_patna", "meals", 8, 1, {"meals": 320, "families": 64}, "Community kitchen, ward 12.", VERIFY),
    ("dc_patna", "migrant-help", 7, None, {"people": 140, "ration_kits": 120}, "Patna Junction.", VERIFY),
    ("dc_patna", "elderly-medicine", 6, 2, {"workers": 8, "people": 45}, "Medicines taken home.", VERIFY),
    ("dc_patna", "health-awareness", 5, 0, {"people": 900}, "Leaflets on vaccination centres.", None),
    ("dc_patna", "masks-sanitiser", 4, 3, {"masks": 2500, "sanitiser": 300}, "Auto-rickshaw stands.", REJECT),
    ("dc_patna", "meals", 3, 1, {"meals": 410, "families": 80}, "Community kitchen, ward 12.", VERIFY),
    ("dc_patna", "masks-sanitiser", 2, 0, {"masks": 1800, "sanitiser": 200}, "Gandhi Maidan.", None),
    ("dc_patna", "meals", 1, 2, {"meals": 280, "families": 55}, "Home delivery to isolated families.", None),
    ("dc_gaya", "migrant-help", 9, None, {"people": 85, "ration_kits": 80}, "Gaya Junction.", VERIFY),
    ("dc_gaya", "health-awareness", 8, 0, {"people": 600}, "Village meetings on testing.", VERIFY),
    ("dc_gaya", "elderly-medicine", 6, 1, {"workers": 12, "people": 90}, "Medicines taken home.", VERIFY),
    ("dc_gaya", "masks-sanitiser", 5, 2, {"masks": 3000, "sanitiser": 250}, "Weekly haat.", REJECT),
    ("dc_gaya", "meals", 4, 0, {"meals": 150, "families": 30}, "Near the district hospital.", VERIFY),
    ("dc_gaya", "migrant-help", 2, None, {"people": 60, "ration_kits": 60}, "Bus stand.", None),
    ("dc_gaya", "health-awareness", 1, 1, {"people": 450}, "Door to door in two wards.", None),
]

REJECTION_REASON = "The masks given are more than the stock received: please check and send again."

# district, task, metric, target for the current fortnight
DEMO_TARGETS = [
    ("patna", "masks-sanitiser", "masks", 20000),
    ("patna", "masks-sanitiser", "sanitiser", 2500),
    ("patna", "meals", "meals", 5000),
    ("patna", "migrant-help", "people", 1000),
    ("gaya", "migrant-help", "people", 600),
    ("gaya", "health-awareness", "people", 8000),
    ("gaya", "meals", "meals", 2000),
]


def current_fortnight(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The 1st–15th or the 16th–end of the month that holds ``today``."""
    if today.day <= 15:
        return today.replace(day=1), today.replace(day=15)
    last = calendar.monthrange(today.year, today.month)[1]
    return today.replace(day=16), today.replace(day=last)


def _place(district: District, seat_index: int | None) -> dict[str, Any]:
    if seat_index is None:
        return {}
    seats = list(AssemblySeat.objects.filter(district=district).order_by("number")[: seat_index + 1])
    seat = seats[min(seat_index, len(seats) - 1)]
    booth = Booth.objects.filter(assembly_seat=seat).order_by("number").first()
    return {"assembly_seat": seat, "booth": booth}


def _review(staff: Any, activity: Activity, decision: str | None) -> bool:
    if staff is None or decision is None or activity.status != ActivityStatus.SUBMITTED:
        return False
    if decision == VERIFY:
        activity_verify(by=staff, activity=activity)
    else:
        activity_reject(by=staff, activity=activity, reason=REJECTION_REASON)
    return True


DEMO_CAMPAIGN = "Seva Hi Sangathan – Abhiyan 2 (demo)"


def _demo_campaign(today: datetime.date, log: Callable[[str], object]) -> None:
    """Keep the campaign period valid for the demo: its reports are dated around today, so
    unless the active campaign already covers today, a demo campaign of 60 days ending 30
    days from today becomes the active one (the real campaign's row stays, inactive)."""
    active = Campaign.objects.active().first()
    if active is not None and active.start_date <= today <= active.end_date:
        return
    campaign = Campaign.objects.filter(name=DEMO_CAMPAIGN).first() or Campaign(name=DEMO_CAMPAIGN)
    campaign.start_date = today - datetime.timedelta(days=30)
    campaign.end_date = today + datetime.timedelta(days=30)
    campaign.is_active = True
    campaign_save(campaign=campaign)
    log(f"tasks17: demo campaign {campaign.start_date} – {campaign.end_date} is active")


def seed(log: Callable[[str], object]) -> None:
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=["dc_patna", "dc_gaya", "state_staff"])
    }
    staff = users.get("state_staff")
    today = timezone.localdate()
    _demo_campaign(today, log)
    made = reviewed = 0
    for reporter, task_code, days_ago, seat_index, values, notes, decision in DEMO_ACTIVITIES:
        user = users.get(reporter)
        task = Task.objects.filter(code=task_code, is_active=True).first()
        if user is None or task is None:
            continue
        district = user.profile.district
        client_uuid = uuid.uuid5(_NAMESPACE, f"{reporter}:{task_code}:{days_ago}")
        activity = Activity.objects.filter(client_uuid=client_uuid).first()
        if activity is None:
            activity = activity_submit(
                by=user,
                task=task,
                district=district,
                date=today - datetime.timedelta(days=days_ago),
                values=values,
                client_uuid=client_uuid,
                notes=f"Demo: {notes}",
                **_place(district, seat_index),
            )
            made += 1
        reviewed += _review(staff, activity, decision)

    start, end = current_fortnight(today)
    targets = 0
    for code, task_code, metric_code, value in DEMO_TARGETS:
        metric = Metric.objects.filter(task__code=task_code, code=metric_code).select_related("task").first()
        district = District.objects.get(code=code)
        if staff is None or metric is None:
            continue
        if Target.objects.filter(
            metric=metric, district=district, period_start=start, period_end=end
        ).exists():
            continue
        target_create(
            by=staff,
            task=metric.task,
            metric=metric,
            district=district,
            period_start=start,
            period_end=end,
            value=value,
        )
        targets += 1
    log(f"tasks17: {made} demo reports made, {reviewed} reviewed; {targets} demo targets made")
    if "dc_patna" in users:
        _seed_records(users["dc_patna"], today, log)


def _seed_records(coordinator: Any, today: datetime.date, log: Callable[[str], object]) -> None:
    """A camp held and one planned, three donors, a conference and a corona-free booth in
    Patna, through the records' services; skipped when Patna already has demo records."""
    from seva.people.models import Worker

    from .choices import CampKind
    from .models import BoothDeclaration, ChecklistItem, DonationCamp
    from .records import services as records

    district = coordinator.profile.district
    if DonationCamp.objects.filter(district=district, venue__startswith="Demo").exists():
        return
    # The checklist is the state office's to write; these two points only show how it works.
    items = [
        ChecklistItem.objects.get_or_create(text_en=text_en, defaults={"text_hi": text_hi, "position": n})[0]
        for n, (text_en, text_hi) in enumerate(
            [
                ("Demo: every household of the booth contacted", "डेमो: बूथ के हर परिवार से संपर्क"),
                ("Demo: no active case in the booth for 14 days", "डेमो: 14 दिन से बूथ में कोई सक्रिय केस नहीं"),
            ],
            start=1,
        )
    ]
    held = records.camp_create(
        by=coordinator,
        kind=CampKind.BLOOD,
        district=district,
        venue="Demo: Gandhi Maidan community hall",
        date=today - datetime.timedelta(days=2),
        organiser="Demo: Yuva Morcha, Patna",
    )
    records.camp_hold(by=coordinator, camp=held, donors=42, units=40)
    records.camp_create(
        by=coordinator,
        kind=CampKind.PLASMA,
        district=district,
        venue="Demo: PMCH blood bank",
        date=today + datetime.timedelta(days=3),
        organiser="Demo: Patna medical cell",
    )
    for n, (name, group, gave, recovered) in enumerate(
        [
            ("Demo: Arun Kumar", "B+", 120, None),
            ("Demo: Sita Devi", "O+", 30, None),
            ("Demo: Imran Ali", "A+", None, 40),
        ]
    ):
        records.donor_register(
            by=coordinator,
            name=name,
            phone=f"+91700000{n:04d}",
            blood_group=group,
            district=district,
            last_donated_on=today - datetime.timedelta(days=gave) if gave else None,
            recovered_on=today - datetime.timedelta(days=recovered) if recovered else None,
            consent_to_contact=True,
        )
    mla = Worker.objects.filter(district=district, role="mla", is_active=True).first()
    if mla is not None:
        records.conference_record(
            by=coordinator,
            representative=mla,
            district=district,
            worker_group="Demo: booth presidents of one mandal",
            date=today - datetime.timedelta(days=1),
            participant_count=35,
            topics="Oxygen, vaccination camps, home isolation kits",
        )
    booth = Booth.objects.filter(assembly_seat__district=district, declarations__isnull=True).first()
    if booth is not None and not BoothDeclaration.objects.filter(booth=booth).exists():
        records.booth_declare(
            by=coordinator, booth=booth, declared_on=today, ticked_item_ids=[item.pk for item in items]
        )
    log("tasks17: demo camps, donors, a conference and a corona-free booth in Patna")
