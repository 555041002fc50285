"""The objects the permission matrix asks about: the seven personas and, in Patna and in
Gaya, one row of each kind a URL can name (``tests/permission_matrix.py`` refers to them as
``"@camp.patna"``). Built once per test module; every row goes through the real services,
as the portal's own pages would write it."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from helplines.services import shift_create
from seva.accounts.services import token_issue
from seva.notify import broadcasts
from seva.notify.choices import Audience
from seva.people.choices import PortalRole, WorkerRole
from seva.people.services import user_create
from seva.reports.models import ImportJob, ReportFile
from tasks17.models import ChecklistItem, Metric, Target
from tasks17.records import services as records
from tests.factories import BoothFactory, MandalFactory, WorkerFactory, district, seat_in
from tests.factories_helplines import facility, helpline, member, open_request
from tests.factories_tasks import report

PASSWORD = "seva-test-pass-2021"


@dataclass
class World:
    """Personas by role key, and objects by ``"kind.district"`` (``"camp.patna"``)."""

    users: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)
    client: Any = None  # set by the walk: one test client, reused
    sessions: dict[str, dict[str, str]] = field(default_factory=dict)  # role: its cookies

    def pk(self, ref: str) -> Any:
        """``"@camp.patna"`` → that camp's key in URLs (its pk, or its code / number);
        ``"@uuid"`` → a new UUID each time (a phone's ``client_uuid``)."""
        if ref == "@uuid":
            return str(uuid.uuid4())
        obj = self.objects[ref.lstrip("@")]
        return getattr(obj, "pk", obj)

    def resolve(self, value: Any) -> Any:
        """Replace every ``"@kind.district"`` inside ``value`` (a dict, list or string); a
        callable is called (a file to upload is made anew for every request)."""
        if callable(value):
            return value()
        if isinstance(value, str) and value.startswith("@"):
            return self.pk(value)
        if isinstance(value, dict):
            return {key: self.resolve(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.resolve(item) for item in value]
        return value


# What only those who may see Patna's records may read: names the world gives Patna's rows.
# (Facilities are left out: the public board names them.)
PATNA_PRIVATE = tuple(
    f"{kind} of patna"
    for kind in ("Booth", "Mandal", "Worker", "MLA", "Town hall", "Donor", "Booth presidents", "Caller")
)


def _user(username: str, role: PortalRole, code: str | None = None) -> Any:
    return user_create(
        username=username,
        password=PASSWORD,
        role=role,
        district=district(code) if code else None,
        first_name=username.replace("_", " ").title(),
        email=f"{username}@example.org",
    )


def world_build() -> World:
    """Make the personas and the objects (the report file goes to ``MEDIA_ROOT``)."""
    today = timezone.localdate()
    world = World()
    users = world.users
    users["admin"] = _user("state_admin", PortalRole.STATE_ADMIN)
    users["staff"] = _user("state_staff", PortalRole.STATE_STAFF)
    users["dc_patna"] = _user("dc_patna", PortalRole.DISTRICT_COORDINATOR, "patna")
    users["dc_gaya"] = _user("dc_gaya", PortalRole.DISTRICT_COORDINATOR, "gaya")
    users["operator"] = _user("helpline_patna", PortalRole.HELPLINE_OPERATOR, "patna")
    users["lead"] = _user("helpline_lead_patna", PortalRole.HELPLINE_LEAD, "patna")
    users["anon"] = None
    gaya_operator = _user("helpline_gaya", PortalRole.HELPLINE_OPERATOR, "gaya")

    lines = {
        "patna": helpline("Patna Seva Helpline", "patna", serves=["nalanda"]),
        "gaya": helpline("Gaya Seva Helpline", "gaya"),
    }
    member(users["operator"], lines["patna"])
    member(users["lead"], lines["patna"], lead=True)
    member(gaya_operator, lines["gaya"], lead=True)
    operators = {"patna": users["operator"], "gaya": gaya_operator}
    coordinators = {"patna": users["dc_patna"], "gaya": users["dc_gaya"]}
    checklist = [
        ChecklistItem.objects.create(text_en="Every household surveyed", text_hi="हर परिवार", position=1)
    ]
    masks = Metric.objects.get(task__code="masks-sanitiser", code="masks")
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=2)

    objects = world.objects
    for code in ("patna", "gaya"):
        by = coordinators[code]
        seat = seat_in(code)
        booth = BoothFactory(assembly_seat=seat, name=f"Booth of {code}")
        objects[f"district.{code}"] = code
        objects[f"district-pk.{code}"] = district(code).pk
        objects[f"seat-pk.{code}"] = seat.pk
        objects[f"lok-sabha-seat.{code}"] = seat.lok_sabha_seat.number
        objects[f"seat.{code}"] = seat.number
        objects[f"booth.{code}"] = booth
        objects[f"booth-number.{code}"] = booth.number  # the dashboards name a booth by its number
        objects[f"mandal.{code}"] = MandalFactory(assembly_seat=seat, name=f"Mandal of {code}")
        objects[f"worker.{code}"] = WorkerFactory(district=district(code), name=f"Worker of {code}")
        objects[f"mla.{code}"] = WorkerFactory(
            district=district(code), role=WorkerRole.MLA, name=f"MLA of {code}"
        )
        objects[f"activity.{code}"] = report(by, code=code, booth=booth)
        objects[f"target.{code}"] = Target.objects.create(
            task=masks.task,
            metric=masks,
            district=district(code),
            period_start=today - datetime.timedelta(days=5),
            period_end=today + datetime.timedelta(days=20),
            value=1000,
        )
        objects[f"camp.{code}"] = records.camp_create(
            by=by,
            kind="blood",
            district=district(code),
            venue=f"Town hall of {code}",
            date=today,
            organiser="Yuva Morcha",
        )
        objects[f"donor.{code}"] = records.donor_register(
            by=by,
            name=f"Donor of {code}",
            phone="9876500001" if code == "patna" else "9876500002",
            blood_group="O+",
            district=district(code),
            consent_to_contact=True,
        )
        objects[f"conference.{code}"] = records.conference_record(
            by=by,
            representative=objects[f"mla.{code}"],
            district=district(code),
            worker_group=f"Booth presidents of {code}",
            date=today,
            participant_count=20,
            topics="Oxygen",
            client_uuid=uuid.uuid4(),
        )
        objects[f"declaration.{code}"] = records.booth_declare(
            by=by,
            booth=BoothFactory(assembly_seat=seat),
            declared_on=today,
            ticked_item_ids=[checklist[0].pk],
        )
        objects[f"helpline.{code}"] = lines[code]
        objects[f"shift.{code}"] = shift_create(
            by=users["admin"],
            helpline=lines[code],
            operator=operators[code],
            start=start,
            end=start + datetime.timedelta(hours=8),
        )
        objects[f"request.{code}"] = open_request(
            operators[code], lines[code], code=code, caller_name=f"Caller of {code}"
        )
        # The same caller again: what a duplicate is marked against (by its reference).
        objects[f"reference.{code}"] = open_request(
            operators[code], lines[code], code=code, caller_phone="+919812300099"
        ).reference
        objects[f"facility.{code}"] = facility(code=code, name=f"Hospital of {code}")
        objects[f"import.{code}"] = ImportJob.objects.create(
            kind="workers", file_name="workers.csv", file_format="csv", created_by=by
        )
        report_file = ReportFile(requested_by=by, kind="register", status="ready", progress=100)
        report_file.file.save(f"register-{code}.csv", ContentFile(b"a,b\n1,2\n"), save=False)
        report_file.save()
        objects[f"report.{code}"] = report_file
        objects[f"broadcast.{code}"] = broadcasts.broadcast_send(
            by=by, text="Meeting at 5", audience=Audience.COORDINATORS, districts=[district(code).pk]
        )
        objects[f"token.{code}"] = token_issue(user=by, device="Phone")[0]
    # Values for bodies: dates, a free time on the roster, the checklist point, an operator.
    later = start + datetime.timedelta(days=3)
    objects["today"] = today.isoformat()
    objects["start+4h"] = (start + datetime.timedelta(hours=4)).isoformat()
    objects["later"] = later.isoformat()
    objects["later+8h"] = (later + datetime.timedelta(hours=8)).isoformat()
    objects["later-local"] = later.strftime("%Y-%m-%dT%H:%M")
    objects["later+8h-local"] = (later + datetime.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M")
    objects["checklist"] = checklist[0].pk
    objects["masks"] = masks.pk
    objects["masks-task"] = masks.task.pk
    objects["operator"] = users["operator"].pk
    return world
