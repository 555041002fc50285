"""Writes with a rule in the people app: portal users with a role and scope, and workers."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from seva.base.scoping import forget_scope, user_scope
from seva.base.services import (
    Errors,
    duplicate_error,
    full_clean_into,
    locked_in_scope,
    model_update,
    raise_if,
)
from seva.geo.models import District
from seva.privacy.choices import ConsentChannel, ConsentPurpose, ConsentSubject
from seva.privacy.services import consent_record

from .choices import GROUP_NAMES, PortalRole, WorkerRole
from .models import WORKER_FIELDS, Profile, Worker
from .phones import NOT_REGISTRABLE_HERE

STATE_WIDE_ROLES = {PortalRole.STATE_ADMIN, PortalRole.STATE_STAFF}


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: PortalRole,
    district: District | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> Any:
    """Create a portal user in ``role``'s group with its scope.

    State roles are state-wide and take no district; district coordinators and helpline
    operators must have one. State admins may use the Django admin (``is_staff``).
    """
    state_wide = role in STATE_WIDE_ROLES
    if state_wide and district is not None:
        raise ValueError(f"{role.label} is a state-wide role: give no district.")
    if not state_wide and district is None:
        raise ValueError(f"{role.label} needs a district.")
    user = get_user_model()(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=role == PortalRole.STATE_ADMIN,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    profile = Profile(user=user, state_wide=state_wide, district=district)
    profile.full_clean()
    profile.save()
    forget_scope(user)
    return user


# Positions only the state office gives or takes away: a district user may neither make
# anyone one of these nor change the role of someone who holds one.
STATE_GIVEN_WORKER_ROLES = frozenset(
    role.value
    for role in (WorkerRole.STATE_OFFICE_BEARER, WorkerRole.DISTRICT_PRESIDENT, WorkerRole.MP, WorkerRole.MLA)
)
# What says who a worker is in the organisation and where, so what a scope or a right could
# one day be read from: nobody changes it on the worker linked to his own account.
_OWN_WORKER_LOCKED = ("role", "district")

WORKER_TAKEN = _("A worker with this mobile number is already registered.")


def _value(worker: Worker, field: str) -> Any:
    """A field's stored value (a foreign key's id, not the row)."""
    return getattr(worker, Worker._meta.get_field(field).attname)


def _own_worker(by: Any, worker: Worker) -> bool:
    """Is ``worker`` the worker record linked to ``by``'s own account?"""
    if worker.pk is None or not getattr(by, "pk", None):
        return False
    return Profile.objects.filter(user_id=by.pk, worker_id=worker.pk).exists()


def _check_worker(*, by: Any, worker: Worker, before: dict[str, Any] | None = None) -> None:
    """The rules of a worker record, every error at once: a district in ``by``'s scope; an
    Indian mobile, new (a duplicate outside ``by``'s scope is not revealed); the positions
    only the state office gives (``STATE_GIVEN_WORKER_ROLES``); nobody changes his own role
    or place (``before`` holds the values before a change); and the model's own checks (seat
    and booth inside the district, consent dated, not in the future)."""
    errors: Errors = {}
    before = before or {}
    if not user_scope(by).allows_district(worker.district_id):
        errors["district"] = _("You cannot add or change workers of this district.")
    if _own_worker(by, worker):
        for field in _OWN_WORKER_LOCKED:
            if field in before and _value(worker, field) != before[field]:
                errors[field] = _("Nobody changes his own role or place: ask the state office.")
    if not user_scope(by).everything and "role" not in errors:
        old_role = before.get("role")
        if worker.role != old_role and {str(worker.role), str(old_role)} & STATE_GIVEN_WORKER_ROLES:
            errors["role"] = _("Only the state office gives or takes away this position.")
    full_clean_into(worker, errors, exclude=errors.keys(), validate_unique=False)
    if "phone" not in errors:
        taken = duplicate_error(worker, "phone", by=by, seen=WORKER_TAKEN, unseen=NOT_REGISTRABLE_HERE)
        if taken:
            errors["phone"] = [taken]
    raise_if(errors)


def _save_worker(*, by: Any, worker: Worker) -> None:
    """Save, answering a number registered at the same moment by someone else as the checks
    answer one registered before (the unique index decides; the savepoint keeps the
    transaction usable). The history names ``by``, from the API, imports and tasks too."""
    worker._history_user = by
    try:
        with transaction.atomic():
            worker.save()
    except IntegrityError:
        taken = duplicate_error(worker, "phone", by=by, seen=WORKER_TAKEN, unseen=NOT_REGISTRABLE_HERE)
        raise ValidationError({"phone": [taken or NOT_REGISTRABLE_HERE]}) from None


@transaction.atomic
def worker_create(*, by: Any, data: dict[str, Any]) -> Worker:
    """Register a worker from ``data`` (the fields of ``WORKER_FIELDS``) in ``by``'s scope.

    The page, the API and the spreadsheet import all come here."""
    worker = Worker(**{field: data[field] for field in WORKER_FIELDS if field in data})
    _check_worker(by=by, worker=worker)
    _save_worker(by=by, worker=worker)
    if worker.consent_to_contact:
        _consent(by, worker, given=True)
    return worker


def _consent(by: Any, worker: Worker, *, given: bool, channel: str = ConsentChannel.PORTAL) -> None:
    """The history of the worker's consent to be contacted (``consent_to_contact`` and
    ``consent_date`` stay the current state; the record's time is when it was recorded)."""
    consent_record(
        kind=ConsentSubject.WORKER,
        subject_id=worker.pk,
        purpose=ConsentPurpose.CAMPAIGN_CONTACT,
        given=given,
        by=by,
        channel=channel,
    )


@transaction.atomic
def worker_update(*, by: Any, worker: Worker, data: dict[str, Any]) -> Worker:
    """Change the fields of ``WORKER_FIELDS`` that ``data`` holds, under the same rules as a new
    worker, and two more: nobody changes the role or place of the worker linked to his own
    account, and only the state office changes a role to or from one it gives. A worker
    outside ``by``'s scope does not exist for him (404); the row is locked while it changes,
    and the whole row is saved (the model's checks may fill the seat in)."""
    worker = locked_in_scope(Worker, by=by, pk=worker.pk)
    before = {field: _value(worker, field) for field in _OWN_WORKER_LOCKED}
    consented = worker.consent_to_contact
    model_update(worker, data, WORKER_FIELDS)
    _check_worker(by=by, worker=worker, before=before)
    _save_worker(by=by, worker=worker)
    if bool(worker.consent_to_contact) != bool(consented):
        _consent(by, worker, given=bool(worker.consent_to_contact))
    return worker


@transaction.atomic
def worker_consent_withdraw(*, worker: Worker, by: Any = None, channel: str = ConsentChannel.SMS) -> Worker:
    """The worker himself takes back his consent to be contacted, with no user in between
    (``by=None``): his ``STOP`` by SMS (``seva/notify/inbound.py``). Only the consent changes:
    ``consent_to_contact`` off and ``consent_date`` cleared, as the edit page leaves an
    unticked consent (the rest of the record, and the rules :func:`worker_update` checks for
    an editor, are not his to touch here). A consent record (withdrawn, through ``channel``,
    under the notice in force) is written in the same transaction. A worker who has already
    withdrawn is left as he is and nothing is recorded. Giving consent again is an editor's
    change through :func:`worker_update`, as before.

    With a user ``by``, the row is fetched in his scope (404 outside it)."""
    if by is None:
        worker = Worker.objects.select_for_update().get(pk=worker.pk)
    else:
        worker = locked_in_scope(Worker, by=by, pk=worker.pk)
    if not worker.consent_to_contact:
        return worker
    worker.consent_to_contact = False
    worker.consent_date = None  # as the edit page leaves a consent unticked
    worker._history_user = by
    worker.save(update_fields=["consent_to_contact", "consent_date", "updated_at"])
    _consent(by, worker, given=False, channel=channel)
    return worker
