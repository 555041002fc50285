"""Who a message goes to, read once from a worker, a user or a donor: name, phone, e-mail,
language, district, and whether anything may be sent to him at all."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import to_python

from seva.people.validators import validate_indian_mobile

_E164_INDIAN_MOBILE = re.compile(r"\+91[6-9]\d{9}")

NO_CONSENT = _("has not agreed to be contacted")
OPTED_OUT = _("opted out")
INACTIVE = _("inactive")


@dataclass(frozen=True)
class Recipient:
    name: str
    phone: str = ""
    email: str = ""
    language: str = "hi"
    district_id: int | None = None
    worker_id: int | None = None
    user_id: int | None = None
    donor_id: int | None = None
    # Why nothing may be sent to him (no consent, opted out, inactive); empty when we may.
    refused: Any = ""

    @property
    def key(self) -> str:
        """A short, stable name for the dedup key: ``w12``, ``u3``, ``d9``."""
        if self.worker_id:
            return f"w{self.worker_id}"
        if self.user_id:
            return f"u{self.user_id}"
        if self.donor_id:
            return f"d{self.donor_id}"
        return f"a{self.phone or self.email}"

    @property
    def valid_phone(self) -> str:
        """The phone, if it is an Indian mobile. Stored numbers were checked when saved and
        are E.164, so a pattern suffices (a fan-out reads 50,000 of them); a number from
        elsewhere (an SMS sender, a camp organiser typed loosely) gets the full check."""
        if not self.phone:
            return ""
        if _E164_INDIAN_MOBILE.fullmatch(self.phone):
            return self.phone
        try:
            validate_indian_mobile(self.phone)
        except (ValidationError, TypeError, ValueError):
            return ""
        return str(to_python(self.phone, region="IN"))

    @property
    def valid_email(self) -> str:
        if not self.email:
            return ""
        try:
            validate_email(self.email)
        except ValidationError:
            return ""
        return self.email


def from_worker(worker: Any) -> Recipient:
    refused = ""
    if not worker.is_active:
        refused = INACTIVE
    elif not worker.consent_to_contact:
        refused = NO_CONSENT
    return Recipient(
        name=worker.name,
        phone=str(worker.phone or ""),
        email=worker.email or "",
        language=worker.language,
        district_id=worker.district_id,
        worker_id=worker.pk,
        refused=refused,
    )


def from_worker_values(row: dict[str, Any]) -> Recipient:
    """The same from a ``values()`` row (fan-out to many workers without model instances)."""
    refused = ""
    if not row["is_active"]:
        refused = INACTIVE
    elif not row["consent_to_contact"]:
        refused = NO_CONSENT
    return Recipient(
        name=row["name"],
        phone=str(row["phone"] or ""),
        email=row["email"] or "",
        language=row["language"],
        district_id=row["district_id"],
        worker_id=row["id"],
        refused=refused,
    )


WORKER_VALUES = ("id", "name", "phone", "email", "language", "district_id", "is_active", "consent_to_contact")


def worker_rows(workers: Any) -> Iterator[dict[str, Any]]:
    """The ``WORKER_VALUES`` of a queryset of workers, streamed, the phone as its stored text:
    turning 50,000 stored numbers into ``PhoneNumber`` objects and back is seconds of a
    fan-out's time."""
    rows = workers.annotate(phone_text=Cast("phone", CharField())).values(
        *[name for name in WORKER_VALUES if name != "phone"], "phone_text"
    )
    for row in rows.iterator(chunk_size=5000):
        row["phone"] = row.pop("phone_text")
        yield row


def from_user(user: Any) -> Recipient:
    """A portal user: his e-mail, and the phone of the worker record he is, if any. Users
    hold accounts of the campaign: they need no consent to hear about their own work."""
    profile = getattr(user, "profile", None)
    worker = getattr(profile, "worker", None) if profile is not None else None
    return Recipient(
        name=user.get_full_name() or user.get_username(),
        phone=str(worker.phone) if worker is not None and worker.phone else "",
        email=user.email or "",
        language=getattr(profile, "language", "hi") or "hi",
        district_id=getattr(profile, "district_id", None),
        user_id=user.pk,
        refused="" if user.is_active else INACTIVE,
    )


def from_donor(donor: Any) -> Recipient:
    refused = ""
    if donor.opted_out_at is not None:
        refused = OPTED_OUT
    elif not donor.consent_to_contact:
        refused = NO_CONSENT
    return Recipient(
        name=donor.name,
        phone=str(donor.phone or ""),
        language=donor.language,
        district_id=donor.district_id,
        donor_id=donor.pk,
        refused=refused,
    )


def from_phone(
    phone: str, *, name: str = "", language: str = "hi", district_id: int | None = None
) -> Recipient:
    """Somebody known only by a number (a camp's organiser, an unknown SMS sender)."""
    return Recipient(name=name, phone=phone, language=language, district_id=district_id)
