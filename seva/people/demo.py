"""Demo users, one per role (DESIGN.md; Patna's district president too), and a few demo
workers in Patna and Gaya."""

from collections.abc import Callable

from django.contrib.auth import get_user_model

from seva.geo.models import AssemblySeat, Booth, District

from .choices import BloodGroup, PortalRole, WorkerRole
from .models import Profile, Worker
from .services import user_create

DEMO_PASSWORD = "seva-demo-2021"  # noqa: S105 - published in the README; seed_demo refuses without DEBUG

DEMO_USERS = [
    ("state_admin", PortalRole.STATE_ADMIN, None, "State", "Admin"),
    ("state_staff", PortalRole.STATE_STAFF, None, "State", "Staff"),
    ("dc_patna", PortalRole.DISTRICT_COORDINATOR, "patna", "Patna", "Coordinator"),
    ("dc_gaya", PortalRole.DISTRICT_COORDINATOR, "gaya", "Gaya", "Coordinator"),
    ("president_patna", PortalRole.DISTRICT_PRESIDENT, "patna", "Patna", "President"),
    ("helpline_patna", PortalRole.HELPLINE_OPERATOR, "patna", "Patna", "Helpline"),
]

DEMO_WORKERS = [
    # name, district, role, blood group, skills
    ("Demo: Ramesh Kumar", "patna", WorkerRole.DISTRICT_PRESIDENT, BloodGroup.B_POS, "organiser"),
    ("Demo: Sunita Devi", "patna", WorkerRole.BOOTH_PRESIDENT, BloodGroup.O_POS, "nurse"),
    ("Demo: Anil Singh", "patna", WorkerRole.VOLUNTEER, BloodGroup.A_POS, "driver"),
    ("Demo: Priya Kumari", "patna", WorkerRole.MLA, BloodGroup.AB_POS, ""),
    ("Demo: Md. Salim", "patna", WorkerRole.MANDAL_PRESIDENT, BloodGroup.O_NEG, "cook"),
    ("Demo: Vijay Paswan", "gaya", WorkerRole.DISTRICT_PRESIDENT, BloodGroup.B_NEG, "organiser"),
    ("Demo: Kiran Yadav", "gaya", WorkerRole.BOOTH_PRESIDENT, BloodGroup.A_NEG, "data entry"),
    ("Demo: Manoj Mishra", "gaya", WorkerRole.MP, BloodGroup.O_POS, ""),
    ("Demo: Rekha Sinha", "gaya", WorkerRole.VOLUNTEER, BloodGroup.B_POS, "nurse"),
]


def seed(log: Callable[[str], object]) -> None:
    user_model = get_user_model()
    made = 0
    for username, role, code, first, last in DEMO_USERS:
        if user_model.objects.filter(username=username).exists():
            continue
        district = District.objects.get(code=code) if code else None
        user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            district=district,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
        )
        made += 1
    for index, (name, code, role, blood, skills) in enumerate(DEMO_WORKERS, start=1):
        seat = AssemblySeat.objects.filter(district__code=code).order_by("number").first()
        booth = Booth.objects.filter(assembly_seat=seat).order_by("number").first()
        Worker.objects.get_or_create(
            phone=f"+9199000{index:05d}",
            defaults={
                "name": name,
                "district": seat.district,
                "assembly_seat": seat,
                "booth": booth,
                "role": role,
                "blood_group": blood,
                "skills": skills,
            },
        )
    # The president's account is linked to his worker record, as the state admin does it in
    # the admin; his review rights come from his group, not from that record.
    president = Profile.objects.get(user__username="president_patna")
    if president.worker_id is None:
        president.worker = Worker.objects.get(phone="+919900000001")
        president.save(update_fields=["worker"])
    log(f"people: {made} demo users made (password {DEMO_PASSWORD}); {len(DEMO_WORKERS)} demo workers")
