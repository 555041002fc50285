"""Delivering outbox rows: claim, send, mark.

A batch is claimed with one UPDATE that moves rows from ``queued`` to ``sending`` under a
fresh claim id (an atomic compare-and-set: two workers handed the same ids never both get a
row), then sent through the channel, then marked sent, queued again with a backoff, or failed
with the reason. A row left ``sending`` by a worker that died may have gone out: it is resent
only through a gateway that drops repeats by our reference; otherwise it becomes ``uncertain``
for the state admin to check (:func:`recover_stale`)."""

from __future__ import annotations

import datetime
import logging
import random
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from . import outbox
from .choices import Channel, Status
from .models import Notification
from .sms import Result, SmsMessage, get_backend

log = logging.getLogger(__name__)


@dataclass
class Retry:
    """Rows to try again, and when."""

    ids: list[int]
    countdown: float


def backoff(attempts: int) -> float:
    """Seconds before attempt ``attempts + 1``: exponential, capped, with full jitter (so a
    gateway that came back is not hit by every retry at once)."""
    base = settings.SEVA_NOTIFY_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    capped = min(base, settings.SEVA_NOTIFY_RETRY_MAX_SECONDS)
    return capped / 2 + random.uniform(0, capped / 2)  # noqa: S311 - jitter, not a secret


def claim(ids: list[int], *, now: datetime.datetime | None = None) -> list[Notification]:
    """Move the due, queued rows among ``ids`` to ``sending`` and return them. One statement
    decides: of two workers handed the same ids, each row goes to one."""
    now = now or timezone.now()
    token = uuid.uuid4()
    due = Notification.objects.filter(pk__in=ids, status=Status.QUEUED).filter(
        Q(send_after__isnull=True) | Q(send_after__lte=now)
    )
    if connection.vendor == "postgresql":
        # UPDATE … RETURNING: the claimed rows come back from the same statement.
        table = Notification._meta.db_table
        columns = ", ".join(f.column for f in Notification._meta.concrete_fields)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET status = %s, claim = %s, sending_at = %s, attempts = attempts + 1 "  # noqa: S608
                "WHERE id = ANY(%s) AND status = %s AND (send_after IS NULL OR send_after <= %s) "
                f"RETURNING {columns}",
                [Status.SENDING, token, now, list(ids), Status.QUEUED, now],
            )
            names = [f.attname for f in Notification._meta.concrete_fields]
            rows = [Notification.from_db("default", names, row) for row in cursor.fetchall()]
        return sorted(rows, key=lambda row: row.pk)
    due.update(status=Status.SENDING, claim=token, sending_at=now, attempts=F("attempts") + 1)
    return list(Notification.objects.filter(claim=token, status=Status.SENDING).order_by("id"))


def _send_sms(rows: list[Notification]) -> list[Result]:
    backend = get_backend()
    messages = [
        SmsMessage(to=row.address, body=row.body, reference=row.dedup_key, kind=row.kind) for row in rows
    ]
    try:
        return backend.send(messages)
    except Exception as error:
        log.exception("notify: the SMS backend failed")
        return [Result(ok=False, error=f"{type(error).__name__}: {error}"[:500], retry=True) for _ in rows]


def _send_email(rows: list[Notification]) -> list[Result]:
    results = []
    try:
        connection = get_connection(fail_silently=False)
        connection.open()
    except Exception as error:  # noqa: BLE001 - the mail server is down: retry them all
        return [Result(ok=False, error=f"mail server: {error}"[:500], retry=True) for _ in rows]
    try:
        for row in rows:
            mail = EmailMessage(
                row.subject or row.body[:60], row.body, to=[row.address], connection=connection
            )
            try:
                mail.send()
            except Exception as error:  # noqa: BLE001 - one bad message fails alone
                results.append(Result(ok=False, error=f"{type(error).__name__}: {error}"[:500], retry=True))
            else:
                results.append(Result(ok=True))
    finally:
        connection.close()
    return results


def deliver(ids: list[int]) -> Retry | None:
    """Send the rows ``ids`` that are due and still queued. Returns what to retry, and when."""
    rows = claim(ids)
    if not rows:
        return None
    now = timezone.now()
    sent: list[int] = []
    retry: list[Notification] = []
    failed: list[Notification] = []
    with_reference: list[Notification] = []
    for channel, send in ((Channel.SMS, _send_sms), (Channel.EMAIL, _send_email)):
        batch = [row for row in rows if row.channel == channel]
        if not batch:
            continue
        for row, result in zip(batch, send(batch), strict=True):
            if result.ok:
                sent.append(row.pk)
                if result.provider_id:
                    row.provider_id = result.provider_id
                    with_reference.append(row)
            else:
                row.last_error = result.error[:500]
                if result.retry and row.attempts < settings.SEVA_NOTIFY_MAX_ATTEMPTS:
                    retry.append(row)
                else:
                    failed.append(row)
    if sent:
        Notification.objects.filter(pk__in=sent, claim=rows[0].claim).update(
            status=Status.SENT, sent_at=now, claim=None, last_error=""
        )
    if with_reference:
        Notification.objects.bulk_update(with_reference, ["provider_id"])
    for row in failed:
        row.status, row.claim, row.reason = Status.FAILED, None, row.last_error[:300]
    if failed:
        Notification.objects.bulk_update(failed, ["status", "claim", "reason", "last_error"])
    if not retry:
        return None
    wait = max(backoff(row.attempts) for row in retry)
    again = now + datetime.timedelta(seconds=wait)
    for row in retry:
        row.status, row.claim = Status.QUEUED, None
        row.send_after = outbox.quiet_hours_end(again) if _held(row, again) else again
        row.enqueued_at = now
    Notification.objects.bulk_update(retry, ["status", "claim", "send_after", "enqueued_at", "last_error"])
    return Retry([row.pk for row in retry], wait)


def _held(row: Notification, at: datetime.datetime) -> bool:
    return row.channel == Channel.SMS and not row.urgent and outbox.in_quiet_hours(at)


def recover_stale(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Rows left ``sending`` longer than any task may run (its worker died): resent where the
    gateway drops repeats by our reference, otherwise marked ``uncertain`` for a person."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.SEVA_NOTIFY_STALE_SENDING_SECONDS)
    stale = Notification.objects.filter(status=Status.SENDING, sending_at__lt=cutoff)
    resend_sms = get_backend().idempotent
    counts = {"requeued": 0, "uncertain": 0}
    if resend_sms:
        counts["requeued"] = stale.filter(channel=Channel.SMS).update(
            status=Status.QUEUED, claim=None, enqueued_at=None, send_after=None
        )
        stale = stale.exclude(channel=Channel.SMS)
    counts["uncertain"] = stale.update(
        status=Status.UNCERTAIN,
        claim=None,
        reason="The worker stopped while sending: check with the gateway whether it went before resending.",
    )
    if any(counts.values()):
        log.warning("notify: stale sending rows: %s", counts)
    return counts


def resend(ids: list[int]) -> int:
    """Try failed or uncertain rows again: a new attempt on the same row, not a new row."""
    count = Notification.objects.filter(pk__in=ids, status__in=[Status.FAILED, Status.UNCERTAIN]).update(
        status=Status.QUEUED, claim=None, enqueued_at=None, send_after=None, reason=""
    )
    outbox.enqueue(
        list(Notification.objects.filter(pk__in=ids, status=Status.QUEUED).values_list("id", flat=True))
    )
    return count
