"""Celery tasks of the outbox and the rules. Thin: they take ids and codes, and call the
modules that do the work. Every task has soft and hard time limits (settings' defaults, or
its own below)."""

from __future__ import annotations

from celery import shared_task

from . import delivery, inbound, outbox, rules


@shared_task(soft_time_limit=120, time_limit=150)
def deliver_batch(ids: list[int]) -> int:
    """Deliver the outbox rows ``ids``; what failed and may succeed later comes back here with
    an exponential, jittered countdown."""
    retry = delivery.deliver(ids)
    if retry is not None:
        deliver_batch.apply_async((retry.ids,), countdown=retry.countdown)
    return len(ids)


@shared_task(soft_time_limit=240, time_limit=300)
def run_rule(code: str) -> int:
    """Run one reminder rule (beat's schedule names it); returns how many messages it wrote."""
    return rules.run(code).written


@shared_task(soft_time_limit=50, time_limit=60)
def requeue_due() -> int:
    """Every minute: hand over what waits (broker outage, quiet hours ended, retry due)."""
    return outbox.requeue_due()


@shared_task(soft_time_limit=50, time_limit=60)
def recover_stale_sending() -> dict[str, int]:
    """Every few minutes: rows left "sending" by a worker that died."""
    return delivery.recover_stale()


@shared_task(soft_time_limit=50, time_limit=60)
def read_inbound_sms(pk: int) -> str:
    """Read one SMS the webhook accepted: its report and its reply (SMS_INBOUND_ASYNC)."""
    answer = inbound.read(pk)
    return answer.status if answer is not None else "already read"


@shared_task(soft_time_limit=50, time_limit=60)
def reread_inbound_sms() -> int:
    """Every minute: SMS accepted while the broker was down, handed to the worker again."""
    pending = inbound.unread()
    for pk in pending:
        read_inbound_sms.delay(pk)
    return len(pending)


@shared_task(soft_time_limit=240, time_limit=300)
def send_broadcast(broadcast_id: int) -> int:
    """Write a large broadcast's messages (one outbox row per recipient); a second run writes
    nothing new. Returns how many rows it wrote."""
    from . import broadcasts  # broadcasts imports this module for the task

    return broadcasts.broadcast_write(broadcast_id=broadcast_id)
