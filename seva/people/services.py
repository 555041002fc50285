"""Writes with a rule in the people app: portal users with a role and scope, and workers."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from seva.base.scoping import forget_scope, user_scope
from seva.base.services import Errors, full_clean_into, locked_in_scope, model_update, raise_if
from seva.geo.models import District

from .choices import GROUP_NAMES, PortalRole
from .models import WORKER_FIELDS, Profile, Worker
from .validators import normalize_indian_mobile

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


def _check_worker(*, by: Any, worker: Worker) -> None:
    """The rules of a worker record, every error at once: a district in ``by``'s scope, an
    Indian mobile (stored in E.164, so the same number written differently is one worker), and
    the model's own checks (seat and booth inside the district, consent dated)."""
    errors: Errors = {}
    if not user_scope(by).allows_district(worker.district_id):
        errors["district"] = _("You cannot add or change workers of this district.")
    try:
        worker.phone = normalize_indian_mobile(worker.phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    full_clean_into(worker, errors, exclude=errors.keys())
    raise_if(errors)


@transaction.atomic
def worker_create(*, by: Any, data: dict[str, Any]) -> Worker:
    """Register a worker from ``data`` (the fields of ``WORKER_FIELDS``) in ``by``'s scope.

    The page, the API and the spreadsheet import all come here."""
    worker = Worker(**{field: data[field] for field in WORKER_FIELDS if field in data})
    _check_worker(by=by, worker=worker)
    worker.save()
    return worker


@transaction.atomic
def worker_update(*, by: Any, worker: Worker, data: dict[str, Any]) -> Worker:
    """Change the fields of ``WORKER_FIELDS`` that ``data`` holds, under the same rules as a new
    worker. A worker outside ``by``'s scope does not exist for him (404); the row is locked
    while it changes, and the whole row is saved (the model's checks may fill the seat in)."""
    worker = locked_in_scope(Worker, by=by, pk=worker.pk)
    model_update(worker, data, WORKER_FIELDS)
    _check_worker(by=by, worker=worker)
    worker.save()
    return worker
