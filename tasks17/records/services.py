"""Writes with a rule for the special records, and the one donor-eligibility rule.

Every function is keyword-only and atomic, and raises ``ValidationError`` with a dict of
field -> message, like ``tasks17.services``. A record that counts writes its activity through
``tasks17.services.activity_submit_or_get`` with its own ``origin`` and a ``client_uuid``
of its own; a record writes its report once (the step that writes it runs once: a camp is
held once, a declaration made once), and never takes over a report it did not write.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from seva.base.scoping import user_scope
from seva.geo.models import Booth, District
from seva.people.choices import WorkerRole
from seva.people.models import Worker
from seva.people.validators import normalize_indian_mobile

from .. import services as activity_services
from ..choices import (
    CAMP_TASK_CODES,
    CONFERENCE_TASK_CODE,
    CORONA_FREE_TASK_CODE,
    ActivityOrigin,
    ActivityStatus,
    CampKind,
    CampStatus,
)
from ..models import (
    Activity,
    BoothDeclaration,
    ChecklistItem,
    DonationCamp,
    Donor,
    DonorQuerySet,
    Task,
    VideoConference,
)

# Who may lead a video conference with a worker group.
REPRESENTATIVE_ROLES = (WorkerRole.MP, WorkerRole.MLA, WorkerRole.STATE_OFFICE_BEARER)


# --- shared helpers -----------------------------------------------------------------------


def _raise_if(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)


def _merge(errors: dict[str, Any], error: ValidationError, rename: dict[str, str] | None = None) -> None:
    """Add a ``ValidationError``'s messages to ``errors``, renaming fields where asked."""
    for field, messages in error.message_dict.items():
        errors.setdefault((rename or {}).get(field, field), messages)


def _full_clean(instance: Any, errors: dict[str, Any], exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        _merge(errors, error)


def _active_task(code: str, field: str, errors: dict[str, Any]) -> Task | None:
    """The task a record feeds; a field error when it is missing or retired."""
    task = Task.objects.filter(code=code).first()
    if task is None or not task.is_active:
        errors[field] = _(
            "The task this record counts for (“%(code)s”) is retired: the state office must "
            "switch it on again before such records can be saved."
        ) % {"code": code}
        return None
    return task


def _whole_number(value: Any) -> int | None:
    """``value`` as a whole number (``12``, ``12.0``), or ``None`` when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int) else None


def _not_in_future(day: datetime.date | None, field: str, errors: dict[str, Any]) -> None:
    if day is not None and day > timezone.localdate():
        errors[field] = _("The date cannot be in the future.")


def _submit(*, rename: dict[str, str], **kwargs: Any) -> Activity:
    """Write a record's new activity through the one report service.

    Its errors come back under the record's own fields: ``rename`` maps the service's field
    names and metric codes (a number's error) to them; other metric codes go where
    ``"values"`` goes. A client reference that already names a report is refused: a record
    never takes over a report it did not write.
    """
    try:
        activity, created = activity_services.activity_submit_or_get(**kwargs)
    except ValidationError as error:
        errors: dict[str, Any] = {}
        metric_errors = getattr(error, "metric_errors", None) or {}
        for code, messages in metric_errors.items():
            errors.setdefault(rename.get(code, rename.get("values", "values")), messages)
        for field, messages in error.message_dict.items():
            if not (field == "values" and metric_errors):  # those are named by metric above
                errors.setdefault(rename.get(field, field), messages)
        raise ValidationError(errors) from None
    if not created:
        raise ValidationError({"client_uuid": _("This client reference is already in use.")})
    return activity


# --- donation camps -----------------------------------------------------------------------

_CAMP_FIELDS = ("kind", "district", "assembly_seat", "venue", "date", "organiser", "organiser_phone", "notes")


def _check_camp(by: Any, camp: DonationCamp, errors: dict[str, Any]) -> None:
    if camp.district_id and not user_scope(by).allows_district(camp.district_id):
        errors["district"] = _("You cannot plan camps for this district.")
    if camp.organiser_phone:
        try:
            camp.organiser_phone = normalize_indian_mobile(camp.organiser_phone)
        except ValidationError as error:
            errors["organiser_phone"] = error.messages
    _full_clean(camp, errors, exclude=["activity", "created_by", *errors])
    _raise_if(errors)


@transaction.atomic
def camp_create(
    *,
    by: Any,
    kind: CampKind,
    district: District,
    venue: str,
    date: datetime.date,
    organiser: str,
    assembly_seat: Any = None,
    organiser_phone: str = "",
    notes: str = "",
) -> DonationCamp:
    """Plan a blood or plasma donation camp in a district of ``by``'s scope, optionally at an
    assembly seat of that district. The organiser's mobile, when given, is normalised."""
    camp = DonationCamp(
        kind=kind,
        district=district,
        assembly_seat=assembly_seat,
        venue=venue,
        date=date,
        organiser=organiser,
        organiser_phone=organiser_phone or "",
        notes=notes or "",
        status=CampStatus.PLANNED,
        created_by=by,
    )
    _check_camp(by, camp, {})
    camp.save()
    return camp


def _locked_camp(by: Any, camp: DonationCamp) -> DonationCamp:
    camp = DonationCamp.objects.select_for_update().get(pk=camp.pk)
    if not user_scope(by).allows_district(camp.district_id):
        raise ValidationError({"district": _("You cannot change camps of this district.")})
    return camp


def _require_planned(camp: DonationCamp) -> None:
    if camp.status != CampStatus.PLANNED:
        raise ValidationError(
            {
                "status": _("This camp is %(status)s: only a planned camp can be changed.")
                % {"status": camp.get_status_display()}
            }
        )


@transaction.atomic
def camp_update(*, by: Any, camp: DonationCamp, data: dict[str, Any]) -> DonationCamp:
    """Change a camp's plan (kind, place, venue, date, organiser, notes) while it is planned;
    a held or cancelled camp is history and stays as it is."""
    camp = _locked_camp(by, camp)
    _require_planned(camp)
    for key, value in data.items():
        if key in _CAMP_FIELDS:
            setattr(camp, key, "" if value is None and key in ("organiser_phone", "notes") else value)
    _check_camp(by, camp, {})
    camp.save()
    return camp


@transaction.atomic
def camp_hold(
    *,
    by: Any,
    camp: DonationCamp,
    donors: Any,
    units: Any,
    date: datetime.date | None = None,
) -> DonationCamp:
    """Mark a planned camp as held, with how many donors gave and how many units were collected.

    Only a planned camp can be held, not on a date in the future (``date`` defaults to the
    camp's planned date and replaces it when given). ``donors`` and ``units`` are whole numbers,
    not negative and not above the ``max_per_report`` of their metric in the camp kind's task
    (``CAMP_TASK_CODES``), which must be active: the report service checks them, as for any
    report. Holding writes that task's activity, ``{camps: 1, donors: n, units: m}``, with
    origin ``camp``; a held camp cannot be held again, so it is never counted twice. Like any report, a
    district user cannot write it more than ``SEVA_BACKDATE_DAYS`` back. All or nothing.
    """
    camp = _locked_camp(by, camp)
    _require_planned(camp)
    errors: dict[str, Any] = {}
    day = date or camp.date
    _not_in_future(day, "date", errors)
    task = _active_task(CAMP_TASK_CODES[CampKind(camp.kind)], "kind", errors)
    _raise_if(errors)
    activity = _submit(
        rename={"task": "kind", "camps": "kind", "donors": "donors", "values": "units"},
        by=by,
        task=task,
        district=camp.district,
        assembly_seat=camp.assembly_seat,
        date=day,
        values={"camps": 1, "donors": donors, "units": units},
        client_uuid=uuid.uuid4(),
        notes=camp.venue,
        origin=ActivityOrigin.CAMP,
    )
    numbers = activity.numbers  # as the report service accepted them (zeros are not kept)
    camp.status = CampStatus.HELD
    camp.date = day
    camp.donors = numbers.get("donors", 0)
    camp.units = numbers.get("units", 0)
    camp.activity = activity
    camp.save(update_fields=["status", "date", "donors", "units", "activity"])
    return camp


@transaction.atomic
def camp_cancel(*, by: Any, camp: DonationCamp, reason: str) -> DonationCamp:
    """Cancel a planned camp; the reason is required and added to its notes. Nothing counts."""
    camp = _locked_camp(by, camp)
    _require_planned(camp)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the camp is cancelled.")})
    line = str(_("Cancelled: %(reason)s") % {"reason": reason})
    camp.notes = f"{camp.notes}\n{line}".strip()[:2000]
    camp.status = CampStatus.CANCELLED
    camp.save(update_fields=["status", "notes"])
    return camp


# --- donors and who may give ---------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    """Whether a donor may be asked to give now, why (or why not), and from when he may."""

    eligible: bool
    reason: str
    next_date: datetime.date | None = None


@dataclass(frozen=True)
class _Cutoffs:
    """The dates a donor's own dates are compared with, on one day, for one kind of gift."""

    donated_by: datetime.date  # the last donation must be on or before this day (or never)
    recovered_from: datetime.date | None = None  # plasma: recovery on or after this day...
    recovered_by: datetime.date | None = None  # ...and on or before this one


def _cutoffs(kind: CampKind | str, on: datetime.date) -> _Cutoffs:
    """The rule, in one place, for :func:`donor_eligibility` and :func:`eligible_donors`.

    Blood: the last donation at least ``SEVA_BLOOD_DONATION_INTERVAL_DAYS`` (90) before ``on``.
    Plasma: the last donation at least ``SEVA_PLASMA_DONATION_INTERVAL_DAYS`` (14) before, and
    ``on`` between ``SEVA_PLASMA_MIN_DAYS_AFTER_RECOVERY`` (28) and
    ``SEVA_PLASMA_MAX_DAYS_AFTER_RECOVERY`` (120) days after recovery, both days included.
    """
    days = datetime.timedelta
    if CampKind(kind) == CampKind.BLOOD:
        return _Cutoffs(donated_by=on - days(settings.SEVA_BLOOD_DONATION_INTERVAL_DAYS))
    return _Cutoffs(
        donated_by=on - days(settings.SEVA_PLASMA_DONATION_INTERVAL_DAYS),
        recovered_from=on - days(settings.SEVA_PLASMA_MAX_DAYS_AFTER_RECOVERY),
        recovered_by=on - days(settings.SEVA_PLASMA_MIN_DAYS_AFTER_RECOVERY),
    )


def donor_eligibility(donor: Donor, kind: CampKind | str, on: datetime.date | None = None) -> Eligibility:
    """May ``donor`` be asked to give blood or plasma (``kind``) on ``on`` (today by default)?

    Never when he has opted out or has not agreed to be contacted. Otherwise by
    :func:`_cutoffs`: blood needs 90 days since the last donation; plasma needs a recovery
    date, ``on`` within 28 to 120 days after it, and 14 days since the last donation (the
    numbers are settings). ``next_date`` is the first day he may give, when there is one.
    """
    on = on or timezone.localdate()
    kind = CampKind(kind)
    if donor.opted_out_at is not None:
        return Eligibility(False, str(_("Opted out of being contacted.")))
    if not donor.consent_to_contact:
        return Eligibility(False, str(_("Has not agreed to be contacted.")))
    cut = _cutoffs(kind, on)
    waits: list[datetime.date] = []
    reasons: list[str] = []
    if kind == CampKind.PLASMA:
        if donor.recovered_on is None:
            return Eligibility(False, str(_("No date of recovery from Covid: plasma needs one.")))
        if donor.recovered_on < cut.recovered_from:
            return Eligibility(
                False,
                str(
                    _("Recovered more than %(days)s days ago: too late to give plasma.")
                    % {"days": settings.SEVA_PLASMA_MAX_DAYS_AFTER_RECOVERY}
                ),
            )
        if donor.recovered_on > cut.recovered_by:
            waits.append(donor.recovered_on + (on - cut.recovered_by))
            reasons.append(str(_("Recovered too recently.")))
    if donor.last_donated_on is not None and donor.last_donated_on > cut.donated_by:
        waits.append(donor.last_donated_on + (on - cut.donated_by))
        reasons.append(str(_("Gave on %(date)s.") % {"date": date_format(donor.last_donated_on)}))
    if waits:
        next_date = max(waits)
        if kind == CampKind.PLASMA:
            window_end = donor.recovered_on + datetime.timedelta(
                days=settings.SEVA_PLASMA_MAX_DAYS_AFTER_RECOVERY
            )
            if next_date > window_end:
                reasons.append(str(_("The plasma window closes before then.")))
                return Eligibility(False, " ".join(reasons))
        reasons.append(str(_("May give from %(date)s.") % {"date": date_format(next_date)}))
        return Eligibility(False, " ".join(reasons), next_date)
    if kind == CampKind.BLOOD:
        return Eligibility(True, str(_("May give blood.")))
    return Eligibility(True, str(_("May give plasma.")))


def eligible_donors(
    kind: CampKind | str,
    on: datetime.date | None = None,
    blood_group: str | None = None,
    district: District | int | None = None,
    queryset: DonorQuerySet | None = None,
) -> DonorQuerySet:
    """The donors who may be asked to give ``kind`` on ``on`` (today by default): the query
    form of :func:`donor_eligibility`, built on the same :func:`_cutoffs`, so the two agree.

    Only contactable donors (consent given, not opted out). ``blood_group`` and ``district``
    narrow it; ``queryset`` is where to start, e.g. ``Donor.objects.visible_to(user)``.
    The helplines' donor matching (``GET /api/v1/help-requests/{id}/matches/``) calls this
    with the request's kind, blood group and district.
    """
    on = on or timezone.localdate()
    cut = _cutoffs(kind, on)
    donors = (queryset if queryset is not None else Donor.objects.all()).contactable()
    donors = donors.filter(Q(last_donated_on__isnull=True) | Q(last_donated_on__lte=cut.donated_by))
    if cut.recovered_from is not None:
        donors = donors.filter(recovered_on__gte=cut.recovered_from, recovered_on__lte=cut.recovered_by)
    if blood_group:
        donors = donors.filter(blood_group=blood_group)
    if district is not None:
        donors = donors.filter(district=district)
    return donors


_DONOR_FIELDS = ("name", "phone", "blood_group", "district", "last_donated_on", "recovered_on", "notes")


def _save_donor(by: Any, donor: Donor) -> Donor:
    errors: dict[str, Any] = {}
    if donor.district_id and not user_scope(by).allows_district(donor.district_id):
        errors["district"] = _("You cannot register donors for this district.")
    try:
        donor.phone = normalize_indian_mobile(donor.phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    _full_clean(donor, errors, exclude=errors)
    _raise_if(errors)
    try:
        with transaction.atomic():
            donor.save()
    except IntegrityError:
        # Two people registered the same number at once.
        raise ValidationError(
            {"phone": _("A donor with this mobile number is already registered.")}
        ) from None
    return donor


@transaction.atomic
def donor_register(
    *,
    by: Any,
    name: str,
    phone: str,
    blood_group: str,
    district: District,
    last_donated_on: datetime.date | None = None,
    recovered_on: datetime.date | None = None,
    consent_to_contact: bool = False,
    notes: str = "",
) -> Donor:
    """Register a donor in a district of ``by``'s scope. The mobile number is normalised to
    E.164 and must be new; dates cannot be in the future. Consent records when it was given."""
    donor = Donor(
        name=name,
        phone=phone,
        blood_group=blood_group,
        district=district,
        last_donated_on=last_donated_on,
        recovered_on=recovered_on,
        consent_to_contact=bool(consent_to_contact),
        consent_at=timezone.now() if consent_to_contact else None,
        notes=notes or "",
    )
    return _save_donor(by, donor)


def _locked_donor(by: Any, donor: Donor) -> Donor:
    donor = Donor.objects.select_for_update().get(pk=donor.pk)
    if not user_scope(by).allows_district(donor.district_id):
        raise ValidationError({"district": _("You cannot change donors of this district.")})
    return donor


@transaction.atomic
def donor_update(*, by: Any, donor: Donor, data: dict[str, Any]) -> Donor:
    """Change a donor's details. Giving consent (again) records its time and ends an opt-out;
    taking it back clears it, as :func:`donor_opt_out` does."""
    donor = _locked_donor(by, donor)
    for key, value in data.items():
        if key in _DONOR_FIELDS:
            setattr(donor, key, "" if value is None and key == "notes" else value)
    if "consent_to_contact" in data:
        consent = bool(data["consent_to_contact"])
        if consent and not donor.consent_to_contact:
            donor.consent_at = timezone.now()
            donor.opted_out_at = None
        elif not consent:
            donor.consent_at = None
        donor.consent_to_contact = consent
    return _save_donor(by, donor)


@transaction.atomic
def donor_opt_out(*, by: Any, donor: Donor) -> Donor:
    """The donor asks not to be contacted: record when, and clear his consent. Anyone who may
    change donors in the donor's district may do it; doing it twice changes nothing."""
    donor = _locked_donor(by, donor)
    if donor.opted_out_at is None:
        donor.opted_out_at = timezone.now()
        donor.consent_to_contact = False
        donor.consent_at = None
        donor.save(update_fields=["opted_out_at", "consent_to_contact", "consent_at", "updated_at"])
    return donor


# --- video conferences --------------------------------------------------------------------

_CONFERENCE_FIELDS = ("representative", "worker_group", "date", "participant_count", "topics", "follow_ups")


def _check_conference(
    by: Any, conference: VideoConference, participants: list[Worker], errors: dict[str, Any]
) -> dict[str, int]:
    """The rules of a conference; returns its activity's numbers."""
    if conference.district_id and not user_scope(by).allows_district(conference.district_id):
        errors["district"] = _("You cannot record conferences for this district.")
    rep = conference.representative if conference.representative_id else None
    if rep is not None:
        if rep.role not in REPRESENTATIVE_ROLES:
            errors["representative"] = _(
                "The representative must be an MP, an MLA or a state office-bearer; %(name)s is a %(role)s."
            ) % {"name": rep.name, "role": rep.get_role_display()}
        elif not rep.is_active:
            errors["representative"] = _("%(name)s is no longer an active worker.") % {"name": rep.name}
        elif not Worker.objects.visible_to(by).filter(pk=rep.pk).exists():
            errors["representative"] = _("This worker is not in your scope.")
    visible = set(
        Worker.objects.visible_to(by).filter(pk__in=[w.pk for w in participants]).values_list("pk", flat=True)
    )
    if any(w.pk not in visible for w in participants):
        errors["participants"] = _("Some of the workers are not in your scope.")
    elif any(w.district_id != conference.district_id or not w.is_active for w in participants):
        errors["participants"] = _(
            "The workers taking part must be active workers of the conference's district."
        )
    _not_in_future(conference.date, "date", errors)
    count = _whole_number(conference.participant_count)
    if count is None or count < 1:
        errors["participant_count"] = _("Say how many workers took part (at least one).")
    elif count < len(participants):
        errors["participant_count"] = _(
            "%(count)s is fewer than the %(registered)s registered workers named as taking part."
        ) % {"count": count, "registered": len(participants)}
    _full_clean(conference, errors, exclude=["activity", "created_by", "representative", "district", *errors])
    return {"meetings": 1, "participants": count or 0}


@transaction.atomic
def conference_record_or_get(
    *,
    by: Any,
    representative: Worker,
    district: District,
    worker_group: str,
    date: datetime.date,
    participant_count: int,
    topics: str,
    participants: Iterable[Worker] = (),
    follow_ups: str = "",
    client_uuid: uuid.UUID | None = None,
) -> tuple[VideoConference, bool]:
    """Record a representative's video conference with a group of workers, and say whether it
    is new (``False`` when the same ``client_uuid`` was already recorded: nothing is added).

    The representative is a worker in ``by``'s scope with role MP, MLA or state office-bearer
    (else an error on ``representative``); the district is in scope; the date is not in the
    future; ``participants`` are registered workers in scope, and ``participant_count`` (all who
    took part) is at least 1 and at least their number. Writes the activity of task
    ``CONFERENCE_TASK_CODE``, ``{meetings: 1, participants: participant_count}``, with origin
    ``conference`` and ``client_uuid`` (from the sender, else a new one).
    """
    if client_uuid is not None:
        existing = VideoConference.objects.filter(activity__client_uuid=client_uuid).first()
        if existing is not None:
            if not VideoConference.objects.visible_to(by).filter(pk=existing.pk).exists():
                raise ValidationError({"client_uuid": _("This client reference is already in use.")})
            return existing, False
    participants = list(participants)
    conference = VideoConference(
        representative=representative,
        district=district,
        worker_group=worker_group,
        date=date,
        participant_count=participant_count,
        topics=topics,
        follow_ups=follow_ups or "",
        created_by=by,
    )
    errors: dict[str, Any] = {}
    values = _check_conference(by, conference, participants, errors)
    task = _active_task(CONFERENCE_TASK_CODE, "task", errors)
    _raise_if(errors)
    conference.save()
    conference.participants.set(participants)
    conference.activity = _submit(
        rename={"values": "participant_count"},
        by=by,
        task=task,
        district=district,
        date=date,
        values=values,
        client_uuid=client_uuid or uuid.uuid4(),
        notes=worker_group,
        origin=ActivityOrigin.CONFERENCE,
    )
    conference.save(update_fields=["activity"])
    return conference, True


def conference_record(**kwargs: Any) -> VideoConference:
    """:func:`conference_record_or_get`, returning only the conference."""
    return conference_record_or_get(**kwargs)[0]


@transaction.atomic
def conference_update(
    *,
    by: Any,
    conference: VideoConference,
    data: dict[str, Any],
    participants: Iterable[Worker] | None = None,
) -> VideoConference:
    """Correct a conference while its activity awaits review (same rules as recording it);
    the activity's numbers follow through ``services.activity_update``. The district stays."""
    conference = VideoConference.objects.select_for_update().get(pk=conference.pk)
    if not user_scope(by).allows_district(conference.district_id):
        raise ValidationError({"district": _("You cannot change conferences of this district.")})
    if data.get("district") is not None and data["district"].pk != conference.district_id:
        raise ValidationError({"district": _("The district of a conference cannot change.")})
    activity = conference.activity
    if activity is not None and activity.status != ActivityStatus.SUBMITTED:
        raise ValidationError(
            {"status": _("Its report has been reviewed: the conference can no longer be changed.")}
        )
    for key, value in data.items():
        if key in _CONFERENCE_FIELDS:
            setattr(conference, key, "" if value is None and key == "follow_ups" else value)
    chosen = list(participants) if participants is not None else list(conference.participants.all())
    errors: dict[str, Any] = {}
    values = _check_conference(by, conference, chosen, errors)
    _raise_if(errors)
    conference.save()
    conference.participants.set(chosen)
    if activity is not None:
        try:
            activity_services.activity_update(
                by=by,
                activity=activity,
                task=activity.task,
                date=conference.date,
                values=values,
                assembly_seat=activity.assembly_seat,
                notes=conference.worker_group,
                _from_record=True,
            )
        except ValidationError as error:
            errors = {}
            _merge(errors, error, {"values": "participant_count"})
            raise ValidationError(errors) from None
    return conference


# --- corona-free booths -------------------------------------------------------------------


@transaction.atomic
def booth_declare(
    *,
    by: Any,
    booth: Booth,
    declared_on: datetime.date,
    ticked_item_ids: Iterable[int],
    booth_president: Worker | None = None,
    notes: str = "",
) -> BoothDeclaration:
    """Declare a booth corona-free from ``declared_on``.

    The booth is in ``by``'s scope; the date is not in the future (nor, for district users,
    more than ``SEVA_BACKDATE_DAYS`` back); every active checklist item is ticked (else an
    error on ``checklist`` naming the missing ones); the booth has no standing declaration;
    the booth president, when named, is a worker of the booth's district. Stores the points
    as they read now (``[{id, text_en, text_hi}]``), sets ``booth.corona_free_since`` and writes
    the activity of task ``CORONA_FREE_TASK_CODE``, ``{booths_declared: 1}``, origin
    ``booth_declaration``: all or nothing.
    """
    booth = Booth.objects.select_for_update().select_related("assembly_seat").get(pk=booth.pk)
    district_id = booth.assembly_seat.district_id
    errors: dict[str, Any] = {}
    if not user_scope(by).allows_district(district_id):
        errors["booth"] = _("You cannot declare booths of this district.")
    _not_in_future(declared_on, "declared_on", errors)
    items = list(ChecklistItem.objects.active())
    ticked = {int(pk) for pk in ticked_item_ids}
    missing = [item for item in items if item.pk not in ticked]
    if not items:
        errors["checklist"] = _("The state office has not set the corona-free checklist yet.")
    elif missing:
        errors["checklist"] = _("Every point must be met. Not ticked: %(points)s") % {
            "points": "; ".join(item.text for item in missing)
        }
    standing = BoothDeclaration.objects.filter(booth=booth, withdrawn_at__isnull=True).first()
    if standing is not None:
        errors.setdefault(
            "booth",
            _(
                "This booth already stands declared corona-free since %(date)s; "
                "withdraw that declaration first."
            )
            % {"date": date_format(standing.declared_on)},
        )
    if booth_president is not None:
        if booth_president.district_id != district_id:
            errors["booth_president"] = _("The booth president must be a worker of the booth's district.")
        elif booth_president.role != WorkerRole.BOOTH_PRESIDENT or not booth_president.is_active:
            errors["booth_president"] = _("%(name)s is not an active booth president.") % {
                "name": booth_president.name
            }
    task = _active_task(CORONA_FREE_TASK_CODE, "task", errors)
    _raise_if(errors)
    declaration = BoothDeclaration(
        booth=booth,
        declared_on=declared_on,
        booth_president=booth_president,
        checklist=[{"id": item.pk, "text_en": item.text_en, "text_hi": item.text_hi} for item in items],
        notes=notes or "",
        declared_by=by,
    )
    _full_clean(
        declaration, errors, exclude=["booth", "booth_president", "declared_by", "activity", "withdrawn_by"]
    )
    _raise_if(errors)
    try:
        with transaction.atomic():
            declaration.save()
    except IntegrityError:
        raise ValidationError(
            {"booth": _("This booth has just been declared corona-free by someone else.")}
        ) from None
    booth.corona_free_since = declared_on
    booth.save(update_fields=["corona_free_since"])
    declaration.activity = _submit(
        rename={"date": "declared_on", "district": "booth", "assembly_seat": "booth", "values": "checklist"},
        by=by,
        task=task,
        district=booth.assembly_seat.district,
        assembly_seat=booth.assembly_seat,
        booth=booth,
        date=declared_on,
        values={"booths_declared": 1},
        client_uuid=uuid.uuid4(),
        notes=notes or "",
        origin=ActivityOrigin.BOOTH_DECLARATION,
    )
    declaration.save(update_fields=["activity"])
    return declaration


@transaction.atomic
def booth_withdraw(*, by: Any, declaration: BoothDeclaration, reason: str) -> BoothDeclaration:
    """Take back a standing declaration, with a reason (required). The booth is no longer
    corona-free (``corona_free_since`` cleared) and the declaration's activity is marked
    ``withdrawn``, so it stops counting in every figure; both stay in the history."""
    declaration = (
        BoothDeclaration.objects.select_for_update()
        .select_related("booth__assembly_seat")
        .get(pk=declaration.pk)
    )
    if not user_scope(by).allows_district(declaration.booth.assembly_seat.district_id):
        raise ValidationError({"booth": _("You cannot change declarations of this district.")})
    if declaration.withdrawn_at is not None:
        raise ValidationError({"status": _("This declaration has already been withdrawn.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the declaration is withdrawn.")})
    declaration.withdrawn_at = timezone.now()
    declaration.withdrawn_by = by
    declaration.withdrawal_reason = reason[:1000]
    declaration.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    booth = declaration.booth
    booth.corona_free_since = None
    booth.save(update_fields=["corona_free_since"])
    if declaration.activity_id:
        activity_services.activity_withdraw(by=by, activity=declaration.activity)
    return declaration
