"""Writing messages into the outbox: the one way any part of the portal sends anything.

:func:`write` takes :class:`Draft` messages (already in the recipient's language), decides the
channel, suppresses what must not go (no consent, no valid address, the daily cap) with the
reason on the row, holds non-urgent SMS through quiet hours, inserts the rows with their
unique dedup keys (a second write of the same message is a no-op) and, once the transaction
commits, hands the new rows to Celery in batches. ``dry_run`` says what would be written and
writes nothing (``run_reminders --dry-run``, a broadcast's preview)."""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from .choices import Channel, Status
from .models import Notification
from .recipients import Recipient
from .sms import sms_parts

log = logging.getLogger(__name__)

KEY_LENGTH = Notification._meta.get_field("dedup_key").max_length

# The one kind of message written to somebody who refuses messages (no consent, opted out,
# inactive): the confirmation of his own SMS ``STOP`` (seva/notify/inbound.py), which he must
# get although, and because, he has just withdrawn. Nothing else passes; a missing or invalid
# number still suppresses it.
STOP_CONFIRMATION_KIND = "sms_stop_reply"


@dataclass
class Draft:
    """One message to write. ``about`` is what it is about (the day of a daily reminder, the
    shift, the escalation step, the event): with the kind and the recipient it makes the
    dedup key."""

    recipient: Recipient
    kind: str
    about: str
    body: str
    subject: str = ""
    urgent: bool = False
    # Force a channel (the morning digest is an e-mail); otherwise SMS where there is a valid
    # phone, else e-mail.
    channel: str | None = None
    broadcast_id: int | None = None

    @property
    def dedup_key(self) -> str:
        return f"{self.kind}:{self.recipient.key}:{self.about}"[:KEY_LENGTH]


@dataclass
class Planned:
    """What :func:`write` decided for a draft (the rows it wrote, or would write)."""

    draft: Draft
    channel: str
    address: str
    status: str
    reason: str = ""
    send_after: datetime.datetime | None = None
    exists: bool = False


@dataclass
class WriteResult:
    planned: list[Planned] = field(default_factory=list)
    created_ids: list[int] = field(default_factory=list)

    @property
    def written(self) -> int:
        return sum(1 for plan in self.planned if not plan.exists)

    @property
    def already(self) -> int:
        return sum(1 for plan in self.planned if plan.exists)

    def counts(self) -> Counter:
        """New rows by (channel, status): what a preview shows."""
        return Counter((plan.channel, plan.status) for plan in self.planned if not plan.exists)


def in_quiet_hours(at: datetime.datetime) -> bool:
    start, end = settings.SEVA_QUIET_HOURS
    hour = timezone.localtime(at).hour
    return hour >= start or hour < end if start > end else start <= hour < end


def quiet_hours_end(at: datetime.datetime) -> datetime.datetime:
    """The first moment after ``at`` outside quiet hours (07:00 local, today or tomorrow)."""
    local = timezone.localtime(at)
    end_hour = settings.SEVA_QUIET_HOURS[1]
    morning = local.replace(hour=end_hour, minute=0, second=0, microsecond=0)
    return morning if morning > local else morning + datetime.timedelta(days=1)


def _choose(draft: Draft) -> tuple[str, str, str]:
    """(channel, address, reason it cannot be sent)."""
    recipient = draft.recipient
    if draft.channel == Channel.EMAIL:
        email = recipient.valid_email
        return Channel.EMAIL, email or recipient.email, "" if email else str(_NO_EMAIL)
    if draft.channel == Channel.SMS:
        phone = recipient.valid_phone
        return Channel.SMS, phone or recipient.phone, "" if phone else str(_NO_PHONE)
    phone = recipient.valid_phone
    if phone:
        return Channel.SMS, phone, ""
    email = recipient.valid_email
    if email:
        return Channel.EMAIL, email, ""
    return Channel.SMS, recipient.phone or recipient.email, str(_NO_ADDRESS)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_keys(keys: list[str]) -> set[str]:
    """Which of ``keys`` are in the outbox already (one array parameter on PostgreSQL)."""
    found: set[str] = set()
    if connection.vendor == "postgresql":
        table = Notification._meta.db_table
        with connection.cursor() as cursor:
            for chunk in _chunks(keys, 50000):
                cursor.execute(f"SELECT dedup_key FROM {table} WHERE dedup_key = ANY(%s)", [chunk])  # noqa: S608
                found.update(key for (key,) in cursor.fetchall())
        return found
    for chunk in _chunks(keys, 5000):
        found.update(Notification.objects.filter(dedup_key__in=chunk).values_list("dedup_key", flat=True))
    return found


def _sent_today(addresses: set[str], now: datetime.datetime) -> Counter:
    """Non-urgent messages already written today to each address (the daily cap)."""
    if not addresses:  # nothing needs the cap (an urgent reply): no need to count the day
        return Counter()
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    counts: Counter = Counter()
    today = Notification.objects.filter(created_at__gte=day_start, urgent=False)
    if len(addresses) <= 1000:
        today = today.filter(address__in=list(addresses))
    rows = (
        today.exclude(status__in=[Status.SUPPRESSED, Status.FAILED])
        .values("address")
        .annotate(n=Count("id"))
        .values_list("address", "n")
    )
    for address, n in rows.iterator(chunk_size=5000):
        if address in addresses:
            counts[address] = n
    return counts


def plan(drafts: Iterable[Draft], *, now: datetime.datetime | None = None) -> list[Planned]:
    """Decide channel, address and status for each draft; mark those already in the outbox.
    Reasons are written in English: they are read by the state office in the admin."""
    with override("en"):
        return _plan(drafts, now=now or timezone.now())


def _plan(drafts: Iterable[Draft], *, now: datetime.datetime) -> list[Planned]:
    drafts = list({draft.dedup_key: draft for draft in drafts}.values())
    existing = _existing_keys([d.dedup_key for d in drafts])
    plans = []
    for draft in drafts:
        channel, address, reason = _choose(draft)
        plans.append(
            Planned(draft, channel, address, Status.QUEUED, reason, exists=draft.dedup_key in existing)
        )
    fresh = [p for p in plans if not p.exists]
    sent = _sent_today({p.address for p in fresh if not p.draft.urgent and p.address}, now)
    quiet = in_quiet_hours(now)
    cap = settings.SEVA_DAILY_MESSAGE_CAP
    for item in fresh:
        refused = item.draft.recipient.refused if item.draft.kind != STOP_CONFIRMATION_KIND else ""
        if refused:
            item.status, item.reason = Status.SUPPRESSED, str(refused)
        elif item.reason:
            item.status = Status.SUPPRESSED
        elif not item.draft.urgent and sent[item.address] >= cap:
            item.status = Status.SUPPRESSED
            item.reason = str(_DAILY_CAP) % {"cap": cap}
        else:
            if not item.draft.urgent:
                sent[item.address] += 1
            if quiet and not item.draft.urgent and item.channel == Channel.SMS:
                item.send_after = quiet_hours_end(now)
    return plans


def write(
    drafts: Iterable[Draft], *, dry_run: bool = False, now: datetime.datetime | None = None
) -> WriteResult:
    """Write the drafts into the outbox (see the module's docstring)."""
    now = now or timezone.now()
    result = WriteResult(planned=plan(drafts, now=now))
    if dry_run:
        return result
    fresh = [item for item in result.planned if not item.exists]
    insert = _insert_postgresql if connection.vendor == "postgresql" else _insert
    # In chunks, each committed and handed over at once: the worker delivers the first
    # thousands while the rest are written. A run cut short has written whole chunks; its
    # next run writes the rest (the keys skip what is there). Inside a caller's transaction
    # the hand-over waits for the caller's commit.
    for chunk in _chunks(fresh, settings.SEVA_NOTIFY_WRITE_CHUNK):
        with transaction.atomic():
            # A row another run wrote meanwhile is skipped by its unique key: never two.
            ids = insert(chunk, now)
            transaction.on_commit(lambda ids=ids: enqueue(ids, mark=False))
        result.created_ids.extend(ids)
    return result


def _columns(item: Planned) -> dict[str, Any]:
    draft, recipient = item.draft, item.draft.recipient
    return {
        "worker_id": recipient.worker_id,
        "user_id": recipient.user_id,
        "donor_id": recipient.donor_id,
        "name": recipient.name[:120],
        "district_id": recipient.district_id,
        "channel": item.channel,
        "address": item.address[:254],
        "language": recipient.language,
        "kind": draft.kind,
        "broadcast_id": draft.broadcast_id,
        "subject": draft.subject[:200],
        "body": draft.body,
        "parts": sms_parts(draft.body) if item.channel == Channel.SMS else 0,
        "urgent": draft.urgent,
        "dedup_key": draft.dedup_key,
        "status": item.status,
        "reason": item.reason[:300],
        "send_after": item.send_after,
    }


def _due(item: Planned) -> bool:
    return item.status == Status.QUEUED and item.send_after is None


def _insert(fresh: list[Planned], now: datetime.datetime) -> list[int]:
    """Any database: ``bulk_create`` skipping conflicts, then the ids of the new due rows
    (marked handed over: they are, at the commit; the re-queue job covers a broker outage)."""
    rows = [Notification(**_columns(item), enqueued_at=now if _due(item) else None) for item in fresh]
    Notification.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    ids: list[int] = []
    due = [item.draft.dedup_key for item in fresh if _due(item)]
    for chunk in _chunks(due, 5000):
        ids.extend(
            Notification.objects.filter(
                dedup_key__in=chunk, status=Status.QUEUED, enqueued_at=now
            ).values_list("id", flat=True)
        )
    return ids


# Column name → its PostgreSQL array type, for the unnest() insert.
_PG_TYPES = {
    "worker_id": "bigint",
    "user_id": "bigint",
    "donor_id": "bigint",
    "name": "text",
    "district_id": "bigint",
    "channel": "text",
    "address": "text",
    "language": "text",
    "kind": "text",
    "broadcast_id": "bigint",
    "subject": "text",
    "body": "text",
    "parts": "integer",
    "urgent": "boolean",
    "dedup_key": "text",
    "status": "text",
    "reason": "text",
    "send_after": "timestamptz",
    "enqueued_at": "timestamptz",
}


def _insert_postgresql(fresh: list[Planned], now: datetime.datetime) -> list[int]:
    """PostgreSQL: one ``INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING RETURNING``
    per 5,000 rows, which answers the new due rows' ids itself. Django's ``bulk_create``
    builds and binds every value of every row (50,000 rows: ~4 s of Python before the database
    does anything); here a column is one parameter (bench/README.md, "Fan-out")."""
    meta = Notification._meta
    names = list(_PG_TYPES)
    columns = [meta.get_field(name).column for name in names]
    unnest = ", ".join(f"%s::{_PG_TYPES[name]}[]" for name in names)
    sql = (
        f"INSERT INTO {meta.db_table} ({', '.join(columns)}, attempts, last_error, provider_id, created_at) "  # noqa: S608
        f"SELECT *, 0, '', '', %s FROM unnest({unnest}) "
        "ON CONFLICT (dedup_key) DO NOTHING RETURNING id, status, send_after IS NULL"
    )
    ids: list[int] = []
    with connection.cursor() as cursor:
        for chunk in _chunks(fresh, 5000):
            values = [{**_columns(item), "enqueued_at": now if _due(item) else None} for item in chunk]
            arrays = [[row[name] for row in values] for name in names]
            cursor.execute(sql, [now, *arrays])
            ids.extend(pk for pk, status, due in cursor.fetchall() if status == Status.QUEUED and due)
    return ids


def enqueue(ids: list[int], *, mark: bool = True) -> int:
    """Hand queued rows to Celery in batches. If the broker is down the rows stay queued and
    the re-queue job (every minute) hands them over again: delayed, never lost. Returns the
    number of batches handed over."""
    from .tasks import deliver_batch  # the tasks module imports this one

    if not ids:
        return 0
    handed = 0
    if mark:
        Notification.objects.filter(pk__in=ids, status=Status.QUEUED).update(enqueued_at=timezone.now())
    for chunk in _chunks(sorted(ids), settings.SEVA_NOTIFY_BATCH):
        try:
            deliver_batch.delay(chunk)
        except Exception as error:
            if deliver_batch.app.conf.task_always_eager:
                raise
            log.warning("notify: broker unavailable (%s); %d messages wait for the re-queue", error, len(ids))
            break
        handed += 1
    return handed


def requeue_due(*, now: datetime.datetime | None = None, limit: int = 50000) -> int:
    """Hand over again what is queued and due but not handed over recently (a broker outage,
    a quiet-hours hold that ended, a retry whose time came). Returns how many."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.SEVA_NOTIFY_REQUEUE_AFTER_SECONDS)
    due = Notification.objects.filter(status=Status.QUEUED).exclude(send_after__gt=now)
    ids = list(due.exclude(enqueued_at__gte=stale).order_by("id").values_list("id", flat=True)[:limit])
    enqueue(ids)
    return len(ids)


def message(language: str, build: Any) -> str:
    """``build()`` run in ``language`` (its gettext calls answer in it)."""
    with override(language):
        return str(build())


_NO_EMAIL = _("no valid e-mail address")
_NO_PHONE = _("no valid mobile number")
_NO_ADDRESS = _("no valid mobile number or e-mail address")
_DAILY_CAP = _("the daily limit of %(cap)s messages was reached")
