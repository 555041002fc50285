"""Donors, and the one rule of who may give blood or plasma when."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from seva.base.services import (
    Errors,
    duplicate_error,
    full_clean_into,
    locked_in_scope,
    model_update,
    raise_if,
)
from seva.geo.models import District
from seva.people.choices import Language
from seva.people.phones import NOT_REGISTRABLE_HERE
from seva.privacy.choices import ConsentChannel, ConsentPurpose, ConsentSubject
from seva.privacy.services import consent_record

from ...choices import CampKind
from ...models import Donor, DonorQuerySet
from ._shared import check_place_in_scope, not_in_future

# --- who may give ---------------------------------------------------------------------------


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


# --- writes -------------------------------------------------------------------------------

DONOR_TAKEN = _("A donor with this mobile number is already registered.")

_DONOR_FIELDS = (
    "name",
    "phone",
    "blood_group",
    "district",
    "last_donated_on",
    "recovered_on",
    "notes",
    "language",
)


def _save_donor(by: Any, donor: Donor) -> Donor:
    errors: Errors = {}
    check_place_in_scope(by, donor.district_id, "district", errors)
    full_clean_into(donor, errors, exclude=errors, validate_unique=False)
    if "phone" not in errors:
        # A number registered in another district is not revealed (nobody can test numbers).
        taken = duplicate_error(donor, "phone", by=by, seen=DONOR_TAKEN, unseen=NOT_REGISTRABLE_HERE)
        if taken:
            errors["phone"] = [taken]
    raise_if(errors)
    try:
        with transaction.atomic():
            donor.save()
    except IntegrityError:
        # Two people registered the same number at once: answered as if one came first.
        taken = duplicate_error(donor, "phone", by=by, seen=DONOR_TAKEN, unseen=NOT_REGISTRABLE_HERE)
        raise ValidationError({"phone": [taken or NOT_REGISTRABLE_HERE]}) from None
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
    language: str = Language.HINDI,
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
        language=language or Language.HINDI,
    )
    _save_donor(by, donor)
    if donor.consent_to_contact:
        _consent(by, donor, given=True, at=donor.consent_at)
    return donor


def _consent(
    by: Any, donor: Donor, *, given: bool, at: Any = None, channel: str = ConsentChannel.PORTAL
) -> None:
    """The history of the donor's consent (the fields stay the current state)."""
    consent_record(
        kind=ConsentSubject.DONOR,
        subject_id=donor.pk,
        purpose=ConsentPurpose.DONATION_MATCHING,
        given=given,
        by=by,
        at=at,
        channel=channel,
    )


# The one way back from an opt-out: :func:`donor_renew_consent`, with this permission.
RENEW_CONSENT_PERMISSION = "tasks17.renew_donor_consent"
OPT_OUT_ENDS_ONLY_BY_RENEWED_CONSENT = _(
    "The donor opted out. Only his own renewed consent, recorded with its date by a district "
    "coordinator or the state office, ends an opt-out."
)


@transaction.atomic
def donor_update(*, by: Any, donor: Donor, data: dict[str, Any]) -> Donor:
    """Change a donor's details. A donor who never agreed to be contacted may agree here (its
    time is recorded); taking consent back is an opt-out (:func:`donor_opt_out`). An opt-out is
    never undone here: consent given to an opted-out donor is an error on
    ``consent_to_contact`` (:func:`donor_renew_consent` is the way back). A donor outside
    ``by``'s scope is a 404."""
    donor = locked_in_scope(Donor, by=by, pk=donor.pk)
    blanks = {"notes": ""} if "notes" in data and data["notes"] is None else {}
    model_update(donor, {**data, **blanks}, _DONOR_FIELDS)
    consent_changed = None
    if "consent_to_contact" in data:
        consent = bool(data["consent_to_contact"])
        if consent and donor.opted_out_at is not None:
            raise ValidationError({"consent_to_contact": OPT_OUT_ENDS_ONLY_BY_RENEWED_CONSENT})
        if consent and not donor.consent_to_contact:
            donor.consent_at = timezone.now()
        elif not consent and donor.consent_to_contact:
            # He takes his consent back: that is an opt-out, so only renewed consent undoes it.
            donor.opted_out_at = timezone.now()
            donor.consent_at = None
        if consent != donor.consent_to_contact:
            consent_changed = consent
        donor.consent_to_contact = consent
    donor._history_user = by
    _save_donor(by, donor)
    if consent_changed is not None:
        _consent(by, donor, given=consent_changed)
    return donor


@transaction.atomic
def donor_opt_out(*, by: Any, donor: Donor, channel: str = ConsentChannel.PORTAL) -> Donor:
    """The donor asks not to be contacted: record when, and clear his consent. Anyone who may
    change donors in the donor's district may do it; doing it twice changes nothing (and
    records nothing). A donor outside ``by``'s scope is a 404. Only
    :func:`donor_renew_consent` undoes it.

    ``by=None`` is the donor himself, with no user in between: his ``STOP`` by SMS
    (``seva/notify/inbound.py``, ``channel=ConsentChannel.SMS``). The row is then found by its
    id alone (the sender proved the number by sending from it), and the consent record names
    no user."""
    if by is None:
        donor = Donor.objects.select_for_update().get(pk=donor.pk)
    else:
        donor = locked_in_scope(Donor, by=by, pk=donor.pk)
    if donor.opted_out_at is None:
        donor.opted_out_at = timezone.now()
        donor.consent_to_contact = False
        donor.consent_at = None
        donor._history_user = by
        donor.save(update_fields=["opted_out_at", "consent_to_contact", "consent_at", "updated_at"])
        _consent(by, donor, given=False, at=donor.opted_out_at, channel=channel)
    return donor


@transaction.atomic
def donor_renew_consent(*, by: Any, donor: Donor, consent_date: datetime.date) -> Donor:
    """The donor himself agrees again to be contacted, on ``consent_date``: ends his opt-out
    and records his consent with that date (the history names ``by`` and when it was
    recorded). Only a user with the ``renew_donor_consent`` permission (district coordinators
    and the state office, never the helpline) records it, else ``PermissionDenied``. The date
    cannot be in the future nor before his opt-out. A donor who already agrees is left as he is;
    one outside ``by``'s scope is a 404."""
    donor = locked_in_scope(Donor, by=by, pk=donor.pk)
    if not by.has_perm(RENEW_CONSENT_PERMISSION):
        raise PermissionDenied(_("Only a district coordinator or the state office records renewed consent."))
    errors: Errors = {}
    not_in_future(consent_date, "consent_date", errors)
    if donor.opted_out_at is not None and consent_date < timezone.localdate(donor.opted_out_at):
        errors["consent_date"] = _("The donor opted out on %(date)s: his renewed consent comes after it.") % {
            "date": date_format(timezone.localdate(donor.opted_out_at))
        }
    raise_if(errors)
    if donor.consent_to_contact and donor.opted_out_at is None:
        return donor
    if consent_date == timezone.localdate():
        donor.consent_at = timezone.now()
    else:
        # The day is what the donor said; noon keeps it on that day in any zone near India's.
        noon = timezone.make_aware(datetime.datetime.combine(consent_date, datetime.time(12)))
        donor.consent_at = max(noon, donor.opted_out_at) if donor.opted_out_at else noon
    donor.consent_to_contact = True
    donor.opted_out_at = None
    donor._history_user = by
    donor.save(update_fields=["opted_out_at", "consent_to_contact", "consent_at", "updated_at"])
    _consent(by, donor, given=True, at=donor.consent_at)
    return donor
