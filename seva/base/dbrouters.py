"""Reads that may go to a PostgreSQL read replica: exports, report building, dashboards.

With ``DATABASE_REPLICA_URL`` set, settings add the database ``"replica"`` and turn on
``SEVA_REPLICA_READS``. Two ways send reads there, both explicit, so no write and no read
that must see its own write (a form's redirect, a service's check) ever lands on a replica
that lags a second behind:

- ``with replica_reads(): …`` — every read inside the block is routed to the replica by
  :class:`ReplicaRouter` (a report being built, a dashboard page);
- ``queryset.using(reading_database())`` — for reads that outlive a block, such as a
  streamed export, whose rows are read after the view has returned.

Without a replica both name the primary (``"default"``). Writes always go to the primary,
and only the primary is migrated. This module imports no app (the base layer).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

REPLICA = "replica"
PRIMARY = "default"

_replica_reads: ContextVar[bool] = ContextVar("seva_replica_reads", default=False)


def replica_enabled() -> bool:
    """Whether reads may go to a replica at all."""
    return bool(getattr(settings, "SEVA_REPLICA_READS", False)) and REPLICA in settings.DATABASES


def reading_database() -> str:
    """The alias the reads of an export or a report should use."""
    return REPLICA if replica_enabled() else PRIMARY


@contextmanager
def replica_reads() -> Iterator[None]:
    """Inside the block, reads go to the replica (when there is one)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    """Reads inside :func:`replica_reads` go to the replica; everything else to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _replica_reads.get() and replica_enabled():
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # The replica holds the primary's rows: an object read there may point at one here.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY
