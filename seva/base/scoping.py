"""Who may see what: the one place that limits any model to a user's scope.

A user's scope is the whole state or one district. Every model that holds district data gets
a queryset built on :class:`ScopedQuerySet` and names, in ``scope_path``, the lookup from the
model to its district (``"district"``, ``"assembly_seat__district"``; ``""`` for District
itself). Every page and API endpoint starts from ``Model.objects.visible_to(user)``, and single
objects are fetched through it, so another district's record is a 404 (it does not exist for
that user) rather than a 403 that confirms it is there.

This module sits below the apps (like NetBox's ``utilities``): it imports none of them and any
app may import it. It reads the user's scope from ``user.profile`` (``seva.people.Profile``)
by attribute, so geography need not import people.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from django.db import models

_CACHE_ATTR = "_seva_scope"


@dataclass(frozen=True)
class Scope:
    """What a user may see: everything, nothing, or one district (by id)."""

    everything: bool = False
    district_id: int | None = None

    @property
    def nothing(self) -> bool:
        return not self.everything and self.district_id is None

    def allows_district(self, district_id: int | None) -> bool:
        return self.everything or (district_id is not None and district_id == self.district_id)


NOTHING = Scope()
EVERYTHING = Scope(everything=True)


def user_scope(user: Any) -> Scope:
    """The scope of ``user``; cached on the user object for the request."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    with contextlib.suppress(AttributeError):  # AnonymousUser and the like
        setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope (after a profile change within one request or test)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _compute_scope(user: Any) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    try:
        profile = user.profile
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist: a user with no profile
        return NOTHING
    if profile.district_id is None:
        return EVERYTHING if profile.state_wide else NOTHING
    return Scope(district_id=profile.district_id)


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to limit itself to a user's scope."""

    def visible_to(self, user: Any) -> ScopedQuerySet:
        scope = user_scope(user)
        if scope.everything:
            return self
        if scope.nothing:
            return self.none()
        return self.in_district(scope.district_id)

    def in_district(self, district_id: int) -> ScopedQuerySet:
        path = self.model.scope_path
        lookup = f"{path}_id" if path else "pk"
        return self.filter(**{lookup: district_id})
