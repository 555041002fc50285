"""Broadcasts: a message written by the state office (or a coordinator, for his district) to a
role in chosen districts.

:func:`audience_recipients` selects who an audience is; :func:`broadcast_preview` says, writing
nothing, how many would get it and by which channel, and how many would not and why;
:func:`broadcast_send` checks the message and the scope, creates the :class:`Broadcast` and
writes one outbox row per recipient (:func:`broadcast_write`), at once for a small audience,
in a Celery task (``tasks.send_broadcast``) for a large one. Writing a broadcast twice writes
nothing new: each row's dedup key names the broadcast and the recipient.

A broadcast goes out in the language its author wrote it in; only the e-mail's subject line
follows the recipient's language."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from seva.base.scoping import user_scope
from seva.geo.models import District
from seva.people.choices import GROUP_NAMES, PortalRole, WorkerRole
from seva.people.models import Worker
from tasks17.models import Donor

from . import outbox, recipients
from .choices import Audience, BroadcastStatus, Channel, Status
from .models import Broadcast
from .outbox import Draft
from .sms import sms_parts

log = logging.getLogger(__name__)

KIND = "broadcast"
TEXT_MAX_LENGTH = Broadcast._meta.get_field("text").max_length


def max_sms_parts() -> int:
    """The longest broadcast, in SMS parts (``SEVA_BROADCAST_MAX_SMS_PARTS``, 3 by default)."""
    return int(settings.SEVA_BROADCAST_MAX_SMS_PARTS)


def inline_max() -> int:
    """Up to this many recipients a broadcast is written during the request; beyond, by a
    Celery task (``SEVA_BROADCAST_INLINE_MAX``, 500 by default)."""
    return int(settings.SEVA_BROADCAST_INLINE_MAX)


# --- Who an audience is ------------------------------------------------------------------------


def _coordinator_users(district_ids: list[int]) -> Any:
    return (
        get_user_model()
        .objects.filter(
            groups__name=GROUP_NAMES[PortalRole.DISTRICT_COORDINATOR],
            is_active=True,
            profile__district_id__in=district_ids,
        )
        .select_related("profile", "profile__worker")
        .order_by("pk")
    )


def _workers(audience: str, district_ids: list[int], skill: str) -> Any:
    workers = Worker.objects.filter(district_id__in=district_ids, is_active=True)
    if audience == Audience.BOOTH_PRESIDENTS:
        return workers.filter(role=WorkerRole.BOOTH_PRESIDENT)
    if skill:
        workers = workers.filter(skills__icontains=skill)
    return workers


def _donors(district_ids: list[int]) -> Any:
    return Donor.objects.contactable().filter(district_id__in=district_ids)


# The phone as stored text (E.164): read through the model field, each of 50,000 numbers would be
# parsed and validated again by phonenumbers (about 90 % of the time of choosing them).
_PHONE_TEXT = Cast("phone", output_field=CharField())
_WORKER_FIELDS = tuple(name for name in recipients.WORKER_VALUES if name != "phone")


def audience_count(audience: str, district_ids: Iterable[int], skill: str = "") -> int:
    """How many people ``audience`` is in the districts: one counting query."""
    ids = list(district_ids)
    if audience == Audience.COORDINATORS:
        return _coordinator_users(ids).count()
    if audience == Audience.DONORS:
        return _donors(ids).count()
    return _workers(audience, ids, skill.strip()).count()


def audience_recipients(
    audience: str, district_ids: Iterable[int], skill: str = ""
) -> list[recipients.Recipient]:
    """The people ``audience`` names in the districts ``district_ids``: coordinators (users in
    the District coordinator group with one of the districts), booth presidents, active workers
    (those whose skills mention ``skill``, if given) or donors who agreed to be contacted.
    Workers are read as ``values()`` rows: there may be fifty thousand."""
    ids = list(district_ids)
    skill = (skill or "").strip()
    if audience == Audience.COORDINATORS:
        return [recipients.from_user(user) for user in _coordinator_users(ids)]
    if audience == Audience.DONORS:
        donors = _donors(ids).only(
            "id", "name", "phone", "language", "district_id", "consent_to_contact", "opted_out_at"
        )
        return [recipients.from_donor(donor) for donor in donors.order_by("pk").iterator(chunk_size=5000)]
    if audience in (Audience.BOOTH_PRESIDENTS, Audience.WORKERS):
        rows = _workers(audience, ids, skill).order_by("pk").values(*_WORKER_FIELDS, phone_text=_PHONE_TEXT)
        people = []
        for row in rows.iterator(chunk_size=5000):
            row["phone"] = row.pop("phone_text")
            people.append(recipients.from_worker_values(row))
        return people
    raise ValueError(f"unknown audience {audience!r}")


# --- Checking a broadcast ----------------------------------------------------------------------


def _subjects() -> dict[str, str]:
    """The e-mail subject in each language, made once (not once per recipient)."""
    from seva.people.choices import Language

    return {
        code: outbox.message(code, lambda: _("A message from the Seva office")) for code in Language.values
    }


def check_text(text: str) -> dict[str, list[Any]]:
    """The text's errors: empty, or longer than a broadcast may be (characters, SMS parts)."""
    text = (text or "").strip()
    if not text:
        return {"text": [_("Write the message.")]}
    if len(text) > TEXT_MAX_LENGTH:
        return {
            "text": [
                _("The message is %(length)s characters long; it may have at most %(max)s.")
                % {"length": len(text), "max": TEXT_MAX_LENGTH}
            ]
        }
    parts, limit = sms_parts(text), max_sms_parts()
    if parts > limit:
        return {
            "text": [
                _("The message takes %(parts)s SMS parts; it may take at most %(max)s. Shorten it.")
                % {"parts": parts, "max": limit}
            ]
        }
    return {}


def _district_ids(by: Any, districts: Iterable[Any] | None) -> tuple[list[int], dict[str, list[Any]]]:
    """The districts a broadcast goes to, in ``by``'s scope: a coordinator's own district
    whatever he chose, and an error if he named another."""
    ids = sorted({getattr(d, "pk", d) for d in (districts or []) if d not in (None, "")})
    scope = user_scope(by)
    if scope.everything:
        if not ids:
            return [], {"districts": [_("Choose at least one district.")]}
        known = set(District.objects.filter(pk__in=ids).values_list("pk", flat=True))
        if known != set(ids):
            return [], {"districts": [_("Choose districts from the list.")]}
        return ids, {}
    if scope.district_id is None:
        raise PermissionDenied
    if any(pk != scope.district_id for pk in ids):
        return [], {"districts": [_("You may send a message to your own district only.")]}
    return [scope.district_id], {}


@dataclass
class Checked:
    """A broadcast that passed its checks, ready to preview or send."""

    text: str
    audience: str
    skill: str
    district_ids: list[int]
    count: int


def broadcast_check(
    *, by: Any, text: str, audience: str, districts: Iterable[Any] | None, skill: str = ""
) -> Checked:
    """Check a broadcast as :func:`broadcast_send` would, writing nothing; raise
    ``ValidationError`` with field errors (in the active language) or ``PermissionDenied``."""
    if not by.has_perm("notify.add_broadcast"):
        raise PermissionDenied
    errors = check_text(text)
    if audience not in Audience.values:
        errors["audience"] = [_("Choose whom the message goes to.")]
    skill = (skill or "").strip()
    if skill and audience != Audience.WORKERS:
        skill = ""  # a skill narrows workers only
    district_ids, district_errors = _district_ids(by, districts)
    errors.update(district_errors)
    count = 0
    if not errors:
        count = audience_count(audience, district_ids, skill)
        if count == 0:
            errors["audience"] = [_("Nobody in the chosen districts would receive this message.")]
    if errors:
        raise ValidationError(errors)
    return Checked(text.strip(), audience, skill, district_ids, count)


# --- Preview -----------------------------------------------------------------------------------


@dataclass
class Preview:
    """What a broadcast would write: how many rows, by channel and status, and why some would
    not be sent."""

    total: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    not_sent: int = 0
    reasons: list[tuple[str, int]] = field(default_factory=list)
    held: int = 0  # SMS held until quiet hours end

    @property
    def to_send(self) -> int:
        return self.total - self.not_sent

    def channel_rows(self) -> list[tuple[str, str, int]]:
        return [(code, str(Channel(code).label), n) for code, n in sorted(self.by_channel.items())]


def _drafts(checked: Checked, people: list[recipients.Recipient], broadcast_id: int | None) -> list[Draft]:
    subjects = _subjects()
    about = f"b{broadcast_id}" if broadcast_id else "preview"
    return [
        Draft(
            recipient=person,
            kind=KIND,
            about=about,
            body=checked.text,
            subject=subjects.get(person.language, subjects["hi"]),
            broadcast_id=broadcast_id,
        )
        for person in people
    ]


def broadcast_preview(
    *, by: Any, text: str, audience: str, districts: Iterable[Any] | None, skill: str = ""
) -> Preview:
    """How many would receive the broadcast, by which channel, and how many would not and why
    (an ``outbox.write`` dry run: nothing is written)."""
    checked = broadcast_check(by=by, text=text, audience=audience, districts=districts, skill=skill)
    people = audience_recipients(checked.audience, checked.district_ids, checked.skill)
    result = outbox.write(_drafts(checked, people, None), dry_run=True)
    preview = Preview()
    reasons: Counter = Counter()
    for plan in result.planned:
        if plan.exists:
            continue
        preview.total += 1
        if plan.status == Status.SUPPRESSED:
            preview.not_sent += 1
            reasons[plan.reason] += 1
        else:
            preview.by_channel[plan.channel] = preview.by_channel.get(plan.channel, 0) + 1
            if plan.send_after is not None:
                preview.held += 1
    preview.reasons = reasons.most_common()
    return preview


# --- Sending -----------------------------------------------------------------------------------


def broadcast_send(
    *, by: Any, text: str, audience: str, districts: Iterable[Any] | None, skill: str = ""
) -> Broadcast:
    """Check the broadcast, create it and write its messages: now for a small audience, in a
    Celery task (after the commit) for a large one. Raises ``ValidationError`` with field
    errors, or ``PermissionDenied``; then nothing is written."""
    checked = broadcast_check(by=by, text=text, audience=audience, districts=districts, skill=skill)
    with transaction.atomic():
        broadcast = Broadcast(
            text=checked.text,
            audience=checked.audience,
            skill=checked.skill,
            created_by=by,
            status=BroadcastStatus.SENDING,
            recipients=checked.count,
        )
        broadcast.full_clean(exclude=["districts"])
        broadcast.save()
        broadcast.districts.set(checked.district_ids)
        if checked.count <= inline_max():
            broadcast_write(broadcast_id=broadcast.pk)
            broadcast.refresh_from_db()
        else:
            pk = broadcast.pk
            transaction.on_commit(lambda: _hand_over(pk))
    return broadcast


def _hand_over(broadcast_id: int) -> None:
    """Give a large broadcast to Celery; with the broker down, write it here rather than leave
    it unwritten (the outbox's re-queue then delivers it when the broker is back)."""
    from .tasks import send_broadcast  # the tasks module imports this one

    try:
        send_broadcast.delay(broadcast_id)
    except Exception as error:
        if send_broadcast.app.conf.task_always_eager:
            raise
        log.warning(
            "notify: broker unavailable (%s); broadcast %s written in the request", error, broadcast_id
        )
        broadcast_write(broadcast_id=broadcast_id)


def broadcast_write(*, broadcast_id: int) -> int:
    """Write one outbox row per recipient of the broadcast; mark it handed to delivery with
    its recipient count. A second run writes nothing new. Returns the rows written."""
    broadcast = Broadcast.objects.get(pk=broadcast_id)
    district_ids = list(broadcast.districts.values_list("pk", flat=True))
    checked = Checked(broadcast.text, broadcast.audience, broadcast.skill, district_ids, 0)
    people = audience_recipients(broadcast.audience, district_ids, broadcast.skill)
    result = outbox.write(_drafts(checked, people, broadcast.pk))
    total = len(result.planned)
    Broadcast.objects.filter(pk=broadcast.pk).update(status=BroadcastStatus.DONE, recipients=total)
    return result.written


# --- Delivery ----------------------------------------------------------------------------------


@dataclass
class Delivery:
    """Where a broadcast's messages are, as the user may see them."""

    counts: dict[str, int]
    reasons: list[tuple[str, str, int]]  # status label, reason, how many
    total: int

    @property
    def pending(self) -> int:
        return self.counts.get(Status.QUEUED, 0) + self.counts.get(Status.SENDING, 0)

    def rows(self) -> list[tuple[str, str, int]]:
        return [(code, str(label), self.counts.get(code, 0)) for code, label in Status.choices]


def broadcast_delivery(broadcast: Broadcast, notifications: Any) -> Delivery:
    """Counts by status and the reasons of what was not sent or failed, over ``notifications``
    (the broadcast's rows the user may see)."""
    from django.db.models import Count

    rows = notifications.filter(broadcast=broadcast)
    counts = {row["status"]: row["n"] for row in rows.values("status").annotate(n=Count("id")).order_by()}
    reasons = [
        (str(Status(row["status"]).label), row["reason"], row["n"])
        for row in rows.filter(status__in=[Status.SUPPRESSED, Status.FAILED, Status.UNCERTAIN])
        .exclude(reason="")
        .values("status", "reason")
        .annotate(n=Count("id"))
        .order_by("-n", "reason")
    ]
    return Delivery(counts=counts, reasons=reasons, total=sum(counts.values()))
