"""Writes to the access log, and the API the DPDP work uses to forget a person in it.

Every function is cheap: one INSERT (``access_record``), or one for a whole list page
(``access_record_many``), in the caller's transaction, so a view of personal details and its
log row stand or fall together.

A person is named in the log only by ``person_key(phone)``: an HMAC-SHA256 of the phone in
E.164 form keyed with ``SECRET_KEY``. The state admin types a phone to find a person's events;
the log itself never holds the phone, and without the key the hash cannot be reversed by
trying every Indian mobile number. Rotating ``SECRET_KEY`` makes older events unfindable by
phone (they stay findable by user, action and date).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
from collections.abc import Iterable
from typing import Any

import phonenumbers
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from seva.base.net import client_ip

from .choices import AccessAction, SubjectKind
from .models import AccessEvent

# A subject of a view: (kind, record id, the person's phone or "" when he has none).
Subject = tuple[str, int, Any]


def normalise_phone(phone: Any) -> str:
    """``phone`` in E.164 form (``+919876543210``) however it was typed; digits only when it
    cannot be parsed, so the same typing always gives the same key."""
    text = str(phone or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, getattr(settings, "PHONENUMBER_DEFAULT_REGION", None) or "IN")
    except phonenumbers.NumberParseException:
        return "".join(ch for ch in text if ch.isdigit())
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def person_key(phone: Any) -> str:
    """The key that names a person in the access log: HMAC-SHA256 (``SECRET_KEY``) of his
    normalised phone, 64 hex characters; ``""`` for no phone."""
    normal = normalise_phone(phone)
    if not normal:
        return ""
    secret = f"seva.audit.person:{settings.SECRET_KEY}".encode()
    return hmac.new(secret, normal.encode(), hashlib.sha256).hexdigest()


def _address(request: Any) -> str | None:
    if request is None:
        return None
    try:
        return str(ipaddress.ip_address(client_ip(request)))
    except ValueError:
        return None


def _who(request: Any, user: Any) -> Any:
    if user is None and request is not None:
        user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _event(
    *,
    action: str,
    request: Any = None,
    user: Any = None,
    username: str = "",
    subject: Subject | None = None,
    detail: dict[str, Any] | None = None,
) -> AccessEvent:
    user = _who(request, user)
    kind, pk, phone = subject or ("", None, "")
    return AccessEvent(
        at=timezone.now(),
        user=user,
        username=(user.get_username() if user is not None else username or "")[:150],
        address=_address(request),
        action=AccessAction(action),
        subject_kind=SubjectKind(kind) if kind else "",
        subject_id=pk,
        subject_key=person_key(phone),
        detail=detail or {},
    )


def access_record(
    *,
    action: str,
    request: Any = None,
    user: Any = None,
    username: str = "",
    subject: Subject | None = None,
    detail: dict[str, Any] | None = None,
) -> AccessEvent:
    """Log one event. ``user`` defaults to ``request.user``; ``username`` is used only
    without a user (a failed sign-in: the name typed). ``subject`` is ``(kind, id, phone)``
    of the person whose details were shown."""
    event = _event(
        action=action, request=request, user=user, username=username, subject=subject, detail=detail
    )
    event.save()
    return event


def access_viewed(*, request: Any, subjects: Iterable[Subject], detail: dict[str, Any] | None = None) -> int:
    """Log that ``request.user`` was shown the personal details of ``subjects`` (a list page:
    one INSERT for all of them). Returns how many events were written."""
    rows = [
        _event(action=AccessAction.VIEWED_PERSONAL, request=request, subject=subject, detail=detail)
        for subject in subjects
    ]
    if not rows:
        return 0
    if len(rows) == 1:
        rows[0].save()
        return 1
    AccessEvent.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def access_forget(*, keys: Iterable[str], subjects: Iterable[tuple[str, int]]) -> int:
    """Anonymise the events of an erased person: those with one of ``keys`` (``person_key``
    of his phones) or about one of ``subjects`` (``(kind, id)`` of his records). The event
    stays (that a view happened, when, by whom, of what kind of record) with ``erased`` set;
    whose data it was is gone. Returns the number of rows changed."""
    condition = Q()
    keys = [key for key in keys if key]
    if keys:
        condition |= Q(subject_key__in=keys)
    by_kind: dict[str, list[int]] = {}
    for kind, pk in subjects:
        by_kind.setdefault(str(kind), []).append(int(pk))
    for kind, ids in by_kind.items():
        condition |= Q(subject_kind=kind, subject_id__in=ids)
    if not condition:
        return 0
    return AccessEvent.objects.filter(condition).update(subject_key="", subject_id=None, erased=True)


def access_prune(*, before: datetime.datetime) -> int:
    """Delete the events older than ``before``; returns how many went."""
    deleted, _ = AccessEvent.objects.filter(at__lt=before).delete()
    return deleted


def keep_until_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """The oldest moment the log keeps (``SEVA_ACCESS_LOG_DAYS`` before now)."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.SEVA_ACCESS_LOG_DAYS)
