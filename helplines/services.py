"""Every write of the helplines app: keyword-only, atomic, each change of a request writing its
timeline event in the same transaction (docs/helplines.md).

A request to change is taken with ``locked_in_scope`` (locked for the transaction; outside the
user's scope a 404), so two operators cannot take or change one request at once: the second
waits, then sees what the first did. Errors are one ``ValidationError`` dict per call.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seva.audit.choices import AccessAction, SubjectKind
from seva.audit.services import access_record
from seva.base.scoping import user_scope
from seva.base.services import Errors, full_clean_into, locked_in_scope, model_update, raise_if
from seva.geo.models import District
from seva.people.models import Worker
from seva.privacy.choices import ConsentChannel, ConsentPurpose, ConsentSubject
from seva.privacy.services import consent_record
from tasks17.choices import ActivityOrigin
from tasks17.models import Donor, Task
from tasks17.services import activity_submit_or_get

from .choices import (
    COUNTED_CLOSINGS,
    DONOR_CATEGORIES,
    FIRST_ACTION_KINDS,
    OPEN_STATUSES,
    EventKind,
    Outcome,
    RequestStatus,
)
from .models import (
    AvailabilityReport,
    Facility,
    Helpline,
    HelplineMember,
    HelpRequest,
    RequestCounter,
    RequestEvent,
    Shift,
)
from .selectors import donor_matches

HELPLINE_TASK_CODE = "helpline"
# The namespace of the client reference each closed request's report carries: one per request,
# so the report of a request can never be written twice.
REPORT_NAMESPACE = uuid.UUID("5d0c3c4e-7f55-4b39-9a3c-2f6a3c1d7e21")

# Numbers no report can honestly hold (a typo: 5000 oxygen beds at one hospital).
MAX_BEDS = 5000
MAX_CYLINDERS = 20000
# A device clock a little ahead is not a report from the future.
CLOCK_SKEW = datetime.timedelta(minutes=2)
MAX_SHIFT = datetime.timedelta(hours=24)

NOT_A_MEMBER = _("You are not a member of this helpline.")
CLOSED = _("This request is closed (%(status)s): it cannot change any more.")


# --- who may act ----------------------------------------------------------------------------


def is_member(user: Any, helpline_id: int, *, lead: bool = False) -> bool:
    members = HelplineMember.objects.filter(user_id=user.pk, helpline_id=helpline_id)
    return members.filter(is_lead=True).exists() if lead else members.exists()


def can_work_on(user: Any, request: HelpRequest) -> bool:
    """Whether ``user`` may change ``request``: the permission, and a member of its helpline
    or a state-wide user. District users watch their district's requests; they do not take
    another helpline's calls."""
    if not user.has_perm("helplines.change_helprequest"):
        return False
    return user_scope(user).everything or is_member(user, request.helpline_id)


def _require_worker(by: Any, request: HelpRequest) -> None:
    if not can_work_on(by, request):
        raise PermissionDenied(_("Only the helpline's members can change its requests."))


def _require_open(request: HelpRequest) -> None:
    if request.status not in OPEN_STATUSES:
        raise ValidationError({"status": CLOSED % {"status": request.get_status_display()}})


def _lock(by: Any, request: HelpRequest | int) -> HelpRequest:
    pk = request if isinstance(request, int) else request.pk
    row = locked_in_scope(HelpRequest, by=by, pk=pk)
    _require_worker(by, row)
    row._history_user = by  # the change history names who, from the API too
    return row


def _event(request: HelpRequest, kind: EventKind, by: Any, note: str = "", **data: Any) -> RequestEvent:
    """Write one timeline event; the first acting one also sets ``first_action_at``."""
    now = timezone.now()
    event = RequestEvent.objects.create(request=request, kind=kind, by=by, at=now, note=note or "", data=data)
    if kind in FIRST_ACTION_KINDS and request.first_action_at is None:
        request.first_action_at = now
        request.save(update_fields=["first_action_at"])
    return event


def _required_text(value: str | None, field: str, message: Any, errors: Errors) -> str:
    text = (value or "").strip()
    if not text:
        errors[field] = message
    return text[:2000]


# --- requests -----------------------------------------------------------------------------


def open_requests_of_caller(phone: Any, *, exclude: int | None = None) -> Any:
    """The open requests from the caller ``phone`` (the desk warns about them)."""
    rows = HelpRequest.objects.open().filter(caller_phone=phone)
    return rows.exclude(pk=exclude) if exclude else rows


def _next_reference(district: District) -> str:
    """``PAT-0042``: the district's code and its next number, taken under the counter row's
    lock, so two requests never get one number and a number is never reused."""
    if not RequestCounter.objects.filter(pk=district.pk).exists():
        try:
            with transaction.atomic():
                RequestCounter.objects.create(district=district, last=0)
        except IntegrityError:  # another request made the row at the same moment
            pass
    counter = RequestCounter.objects.select_for_update().get(pk=district.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{district.ref_code}-{counter.last:04d}"


@transaction.atomic
def request_create(
    *,
    by: Any,
    helpline: Helpline,
    district: District,
    caller_name: str,
    caller_phone: Any,
    category: str,
    urgency: str,
    patient_name: str = "",
    patient_age: int | None = None,
    blood_group: str = "",
    details: str = "",
    caller_shares_phone: bool = False,
) -> HelpRequest:
    """Open a help request at ``helpline`` for a caller from ``district`` (which the helpline
    must serve). ``by`` is a member of the helpline (or a state-wide user). The request gets
    its reference (``PAT-0042``); the event ``created`` names the caller's other open requests
    (``same_caller_open``), which the desk shows as a warning. All rules are checked at once."""
    errors: Errors = {}
    if not (user_scope(by).everything or is_member(by, helpline.pk)):
        errors["helpline"] = NOT_A_MEMBER
    elif not helpline.is_active:
        errors["helpline"] = _("This helpline is closed.")
    if district is not None and "helpline" not in errors and not helpline.serves(district.pk):
        errors["district"] = _("This helpline does not take calls for %(district)s.") % {"district": district}
    elif district is not None and not district.ref_code:
        errors["district"] = _("This district has no reference code yet; ask the state office.")
    if isinstance(patient_age, int) and not isinstance(patient_age, bool) and patient_age > 120:
        errors["patient_age"] = _("Give an age between 0 and 120.")
    request = HelpRequest(
        reference="-",
        helpline=helpline,
        district=district,
        caller_name=(caller_name or "").strip(),
        caller_phone=caller_phone or "",
        caller_shares_phone=bool(caller_shares_phone),
        patient_name=(patient_name or "").strip(),
        patient_age=patient_age,
        blood_group=blood_group or "",
        category=category or "",
        urgency=urgency or "",
        details=(details or "").strip(),
        status=RequestStatus.OPEN,
        created_by=by,
    )
    if request.category in DONOR_CATEGORIES and not request.blood_group:
        errors["blood_group"] = _("Give the patient's blood group: donors are matched by it.")
    full_clean_into(request, errors, exclude=["reference", "helpline", "created_by", *errors])
    raise_if(errors)
    request.reference = _next_reference(district)
    request._history_user = by
    request.save()
    if request.caller_shares_phone:
        # Said on the call: his number may go to the worker who helps him.
        consent_record(
            kind=ConsentSubject.CALLER,
            subject_id=request.pk,
            purpose=ConsentPurpose.CALLER_PHONE_SHARED,
            given=True,
            by=by,
            channel=ConsentChannel.PHONE_CALL,
        )
    others = list(
        open_requests_of_caller(request.caller_phone, exclude=request.pk).values_list("reference", flat=True)
    )
    _event(request, EventKind.CREATED, by, same_caller_open=others)
    return request


@transaction.atomic
def request_assign(*, by: Any, request: HelpRequest, worker: Worker, reassign: bool = False) -> HelpRequest:
    """Hand an open request to an active worker of its district. A request already assigned
    is refused unless ``reassign`` is given: two operators taking the same request at once
    cannot both succeed (the row is locked; the second sees the first's assignment)."""
    request = _lock(by, request)
    _require_open(request)
    errors: Errors = {}
    if worker is None:
        errors["worker"] = _("Choose a worker.")
    elif worker.district_id != request.district_id:
        errors["worker"] = _("This worker is not of the request's district (%(district)s).") % {
            "district": request.district
        }
    elif not worker.is_active:
        errors["worker"] = _("This worker is inactive.")
    elif request.assigned_to_id == worker.pk:
        errors["worker"] = _("The request is already with this worker.")
    elif request.assigned_to_id and not reassign:
        errors["worker"] = _("%(worker)s has already taken this request.") % {"worker": request.assigned_to}
    raise_if(errors)
    previous = request.assigned_to_id
    request.assigned_to = worker
    request.status = RequestStatus.ASSIGNED
    request.save(update_fields=["assigned_to", "status"])
    _event(request, EventKind.ASSIGNED, by, worker=worker.pk, worker_name=worker.name, previous=previous)
    return request


@transaction.atomic
def request_note(*, by: Any, request: HelpRequest, note: str) -> RequestEvent:
    """Add a note to a request's timeline (also to a closed one: what happened after)."""
    request = _lock(by, request)
    errors: Errors = {}
    text = _required_text(note, "note", _("Write the note."), errors)
    raise_if(errors)
    return _event(request, EventKind.NOTE, by, text)


@transaction.atomic
def request_callback(*, by: Any, request: HelpRequest, note: str = "") -> RequestEvent:
    """Record that the caller was called back."""
    request = _lock(by, request)
    _require_open(request)
    return _event(request, EventKind.CALLED_BACK, by, (note or "").strip()[:2000])


@transaction.atomic
def request_escalate(*, by: Any, request: HelpRequest, note: str) -> HelpRequest:
    """Escalate an open request (to the lead, the district), saying why."""
    request = _lock(by, request)
    _require_open(request)
    errors: Errors = {}
    text = _required_text(note, "note", _("Say why the request is escalated."), errors)
    raise_if(errors)
    request.escalated = True
    request.save(update_fields=["escalated"])
    _event(request, EventKind.ESCALATED, by, text)
    return request


def _write_report(by: Any, request: HelpRequest, values: dict[str, int]) -> Any:
    """The helpline task's report of a closed request, in the helpline's own district (where
    the call was taken), dated the day it closed, through the one report service."""
    task = Task.objects.filter(code=HELPLINE_TASK_CODE).first()
    if task is None or not task.is_active:
        raise ValidationError(
            {"status": _("The helpline task is retired: the state office must switch it on.")}
        )
    try:
        activity, _created = activity_submit_or_get(
            by=by,
            task=task,
            district=request.helpline.district,
            date=timezone.localdate(),
            values=values,
            client_uuid=uuid.uuid5(REPORT_NAMESPACE, f"help-request:{request.pk}"),
            notes=request.reference,
            origin=ActivityOrigin.HELPLINE,
        )
    except ValidationError as error:
        rename = {"district": "helpline", "task": "status", "date": "status", "values": "outcome"}
        raise ValidationError(
            {rename.get(field, "status"): messages for field, messages in error.message_dict.items()}
        ) from None
    return activity


def _close(
    by: Any, request: HelpRequest, status: RequestStatus, kind: EventKind, note: str, **data: Any
) -> None:
    request.status = status
    request.resolved_at = timezone.now()
    fields = ["status", "resolved_at", "outcome", "duplicate_of"]
    if status in COUNTED_CLOSINGS:
        values = {"calls": 1}
        if request.outcome == Outcome.BED_ARRANGED:
            values["beds"] = 1
        if request.outcome == Outcome.MEDICINE_PROVIDED:
            values["medicines"] = 1
        request.activity = _write_report(by, request, values)
        fields.append("activity")
        data["report"] = values
    request.save(update_fields=fields)
    _event(request, kind, by, note, **data)


@transaction.atomic
def request_resolve(*, by: Any, request: HelpRequest, outcome: str, note: str = "") -> HelpRequest:
    """Close a request as resolved, with its outcome. Once only. Writes the helpline task's
    report: calls 1, beds 1 when a bed was arranged, medicines 1 when a medicine need was met."""
    request = _lock(by, request)
    _require_open(request)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose how the request was met.")})
    request.outcome = outcome
    _close(
        by, request, RequestStatus.RESOLVED, EventKind.RESOLVED, (note or "").strip()[:2000], outcome=outcome
    )
    return request


def _close_saying_why(
    by: Any, request: HelpRequest, status: str, kind: str, why: str, field: str, message: Any
):
    """Close an open request with a reason the user must give (``field``, ``message``)."""
    request = _lock(by, request)
    _require_open(request)
    errors: Errors = {}
    text = _required_text(why, field, message, errors)
    raise_if(errors)
    _close(by, request, status, kind, text)
    return request


@transaction.atomic
def request_unresolved(*, by: Any, request: HelpRequest, note: str) -> HelpRequest:
    """Close a request that could not be met, saying why. The call still counts (calls 1)."""
    return _close_saying_why(
        by,
        request,
        RequestStatus.UNRESOLVED,
        EventKind.UNRESOLVED,
        note,
        "note",
        _("Say why the request could not be met."),
    )


@transaction.atomic
def request_duplicate(*, by: Any, request: HelpRequest, of: HelpRequest | str) -> HelpRequest:
    """Close a request as a duplicate of another (by object or reference). Counts nowhere."""
    request = _lock(by, request)
    _require_open(request)
    reference = of if isinstance(of, str) else of.reference
    original = HelpRequest.objects.visible_to(by).filter(reference=(reference or "").strip().upper()).first()
    if original is None:
        raise ValidationError({"duplicate_of": _("No request with this reference.")})
    if original.pk == request.pk:
        raise ValidationError({"duplicate_of": _("A request cannot be a duplicate of itself.")})
    request.duplicate_of = original
    _close(by, request, RequestStatus.DUPLICATE, EventKind.DUPLICATE, "", of=original.reference)
    return request


@transaction.atomic
def request_cancel(*, by: Any, request: HelpRequest, reason: str) -> HelpRequest:
    """Cancel a request (the caller no longer needs help), saying why. Counts nowhere."""
    return _close_saying_why(
        by,
        request,
        RequestStatus.CANCELLED,
        EventKind.CANCELLED,
        reason,
        "reason",
        _("Say why the request is cancelled."),
    )


@transaction.atomic
def request_open_personal(*, by: Any, request: HelpRequest) -> RequestEvent:
    """Record that ``by`` opened the request's personal details (names, phones)."""
    return _event(request, EventKind.PERSONAL_OPENED, by)


@transaction.atomic
def request_contact_donor(*, by: Any, request: HelpRequest, donor: Donor, note: str = "") -> RequestEvent:
    """Record that a matched donor was contacted for a blood or plasma request. Only a donor
    the matching lists (eligible, consenting, of the district, a compatible group) may be."""
    request = _lock(by, request)
    _require_open(request)
    if not donor_matches(request).filter(pk=getattr(donor, "pk", None)).exists():
        raise ValidationError({"donor": _("This donor is not a match for this request.")})
    return _event(
        request,
        EventKind.DONOR_CONTACTED,
        by,
        (note or "").strip()[:2000],
        donor=donor.pk,
        donor_group=donor.blood_group,
    )


# --- facilities and availability ---------------------------------------------------------


def _district_allowed(by: Any, district_id: int | None) -> bool:
    scope = user_scope(by)
    if scope.everything or scope.allows_district(district_id):
        return True
    helplines = Helpline.objects.filter(members__user_id=by.pk)
    return any(helpline.serves(district_id) for helpline in helplines)


@transaction.atomic
def facility_create(
    *, by: Any, name: str, kind: str, district: District, address: str = "", phone: str = ""
) -> Facility:
    """Add a facility in a district of ``by``'s scope (or one his helplines serve)."""
    errors: Errors = {}
    if district is not None and not _district_allowed(by, district.pk):
        errors["district"] = _("This place is not in your scope.")
    facility = Facility(
        name=(name or "").strip(),
        kind=kind or "",
        district=district,
        address=address or "",
        phone=phone or "",
    )
    full_clean_into(facility, errors, exclude=list(errors))
    raise_if(errors)
    facility._history_user = by
    facility.save()
    return facility


_COUNTS = {
    "beds_general": MAX_BEDS,
    "beds_oxygen": MAX_BEDS,
    "beds_icu": MAX_BEDS,
    "beds_ventilator": MAX_BEDS,
    "oxygen_cylinders": MAX_CYLINDERS,
}


@transaction.atomic
def availability_report_create(
    *,
    by: Any,
    facility: Facility,
    verification: str,
    reported_at: datetime.datetime | None = None,
    medicines: str = "",
    **counts: Any,
) -> AvailabilityReport:
    """Record what ``facility`` had free (``beds_general``, ``beds_oxygen``, ``beds_icu``,
    ``beds_ventilator``, ``oxygen_cylinders``): whole numbers, not negative, not absurd (at
    most 5000 beds of a kind, 20000 cylinders), as of a time not in the future."""
    unknown = set(counts) - set(_COUNTS)
    if unknown:
        raise TypeError(f"unknown counts: {sorted(unknown)}")
    facility = Facility.objects.visible_to(by).filter(pk=facility.pk).first()
    if facility is None:
        raise Http404
    errors: Errors = {}
    cleaned: dict[str, int] = {}
    for field, limit in _COUNTS.items():
        value = counts.get(field) or 0
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            errors[field] = _("Enter a whole number.")
        elif value < 0:
            errors[field] = _("This cannot be negative.")
        elif value > limit:
            errors[field] = _("%(number)s is more than any facility has: at most %(max)s.") % {
                "number": value,
                "max": limit,
            }
        else:
            cleaned[field] = value
    now = timezone.now()
    when = reported_at or now
    if timezone.is_naive(when):
        errors["reported_at"] = _("Give the time with its time zone.")
    elif when > now + CLOCK_SKEW:
        errors["reported_at"] = _("The time cannot be in the future.")
    report = AvailabilityReport(
        facility=facility,
        reported_at=when,
        reported_by=by,
        verification=verification or "",
        medicines=(medicines or "").strip(),
        **cleaned,
    )
    full_clean_into(report, errors, exclude=["facility", "reported_by", *errors])
    raise_if(errors)
    report.save()
    return report


# --- helplines and shifts ------------------------------------------------------------------


@transaction.atomic
def helpline_create(
    *,
    by: Any,
    name: str,
    city: str,
    district: District,
    phones: str,
    districts: Any = (),
    is_24x7: bool = True,
    opens_at: datetime.time | None = None,
    closes_at: datetime.time | None = None,
) -> Helpline:
    """Set up a helpline (the state office). It always serves its own district."""
    if not (by.has_perm("helplines.add_helpline") and user_scope(by).everything):
        raise PermissionDenied(_("Only the state office sets up helplines."))
    errors: Errors = {}
    helpline = Helpline(
        name=(name or "").strip(),
        city=(city or "").strip(),
        district=district,
        phones=(phones or "").strip(),
        is_24x7=bool(is_24x7),
        opens_at=opens_at,
        closes_at=closes_at,
    )
    full_clean_into(helpline, errors)
    raise_if(errors)
    helpline.save()
    helpline.districts.set({district.pk, *(getattr(d, "pk", d) for d in districts)})
    return helpline


def can_manage_shifts(user: Any, helpline_id: int) -> bool:
    """The helpline's lead, or a state-wide user, with the permission."""
    if not user.has_perm("helplines.add_shift"):
        return False
    return user_scope(user).everything or is_member(user, helpline_id, lead=True)


def _check_shift(by: Any, shift: Shift, errors: Errors) -> None:
    if not can_manage_shifts(by, shift.helpline_id):
        raise PermissionDenied(_("Only the helpline's lead manages its shifts."))
    if shift.operator_id and not is_member(shift.operator, shift.helpline_id):
        errors["operator"] = _("This person is not a member of the helpline.")
    if shift.start and shift.end:
        if shift.end <= shift.start:
            errors["end"] = _("The shift must end after it starts.")
        elif shift.end - shift.start > MAX_SHIFT:
            errors["end"] = _("A shift lasts at most 24 hours.")
    if errors or not shift.operator_id:
        return
    # Lock the operator's row: two leads adding shifts for one person at once queue here, on
    # PostgreSQL and SQLite alike (an exclusion constraint would be PostgreSQL only).
    get_user_model().objects.select_for_update().filter(pk=shift.operator_id).first()
    clash = Shift.objects.filter(operator_id=shift.operator_id).overlapping(shift.start, shift.end)
    clash = clash.exclude(pk=shift.pk).select_related("helpline").first()
    if clash:
        errors["start"] = _("%(operator)s already has a shift then (%(helpline)s, %(start)s–%(end)s).") % {
            "operator": shift.operator,
            "helpline": clash.helpline,
            "start": timezone.localtime(clash.start).strftime("%d.%m %H:%M"),
            "end": timezone.localtime(clash.end).strftime("%d.%m %H:%M"),
        }


@transaction.atomic
def shift_create(
    *, by: Any, helpline: Helpline, operator: Any, start: datetime.datetime, end: datetime.datetime
) -> Shift:
    """Put an operator (a member) on a helpline's roster. One operator's shifts never overlap."""
    if not Helpline.objects.visible_to(by).filter(pk=helpline.pk).exists():
        raise Http404
    shift = Shift(helpline=helpline, operator=operator, start=start, end=end)
    errors: Errors = {}
    _check_shift(by, shift, errors)
    full_clean_into(shift, errors, exclude=["helpline", *errors])
    raise_if(errors)
    shift.save()
    return shift


@transaction.atomic
def shift_update(*, by: Any, shift: Shift, data: dict[str, Any]) -> Shift:
    """Move a shift or give it to another member; the same rules as :func:`shift_create`."""
    shift = locked_in_scope(Shift, by=by, pk=shift.pk)
    model_update(shift, data, ("operator", "start", "end"))
    errors: Errors = {}
    _check_shift(by, shift, errors)
    full_clean_into(shift, errors, exclude=["helpline", *errors])
    raise_if(errors)
    shift.save()
    return shift


def sla_settings() -> dict[str, int]:
    return dict(settings.SEVA_HELPLINE_SLA_MINUTES)


# How long one person's look at a request's personal details stays one timeline event.
PERSONAL_OPEN_QUIET = datetime.timedelta(minutes=10)


@transaction.atomic
def request_personal_opened(
    *, by: Any, request: HelpRequest, http_request: Any = None
) -> RequestEvent | None:
    """The detail page and the API call this when ``by`` is shown a request's personal
    details: every time an access-log event (who, when, from where: ``http_request``, the
    caller named by his phone's key), and a timeline event unless he opened them within the
    last ten minutes."""
    access_record(
        action=AccessAction.VIEWED_PERSONAL,
        request=http_request,
        user=by,
        subject=(SubjectKind.HELP_REQUEST, request.pk, request.caller_phone),
        detail={"reference": request.reference},
    )
    since = timezone.now() - PERSONAL_OPEN_QUIET
    if request.events.filter(kind=EventKind.PERSONAL_OPENED, by=by, at__gte=since).exists():
        return None
    return request_open_personal(by=by, request=request)
