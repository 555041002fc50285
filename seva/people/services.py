"""Writes with a rule in the people app: portal users with a role and scope, and workers."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from seva.base.scoping import forget_scope
from seva.geo.models import District

from .choices import GROUP_NAMES, PortalRole
from .models import Profile, Worker
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


@transaction.atomic
def worker_create(*, data: dict[str, Any]) -> Worker:
    """Create a worker from cleaned field values; the mobile number is normalised first."""
    worker = Worker(**data)
    worker.phone = normalize_indian_mobile(worker.phone)
    worker.full_clean()
    worker.save()
    return worker


@transaction.atomic
def worker_update(*, worker: Worker, data: dict[str, Any]) -> Worker:
    """Change a worker's fields and validate the whole record before saving."""
    for key, value in data.items():
        setattr(worker, key, value)
    worker.phone = normalize_indian_mobile(worker.phone)
    worker.full_clean()
    worker.save()
    return worker
