"""Background work of the tasks app (thin: each calls the module that does the work)."""

import datetime

from celery import shared_task
from django.utils import timezone

from .rollups import rebuild


@shared_task(time_limit=1800, soft_time_limit=1700)
def rebuild_rollups(days: int | None = None) -> dict[str, int]:
    """The nightly check: recompute the rollups from the facts (the last ``days`` days, or
    all) and log any drift; returns the drift's counts."""
    start = timezone.localdate() - datetime.timedelta(days=days - 1) if days else None
    drift = rebuild(start=start, end=None)
    return {
        "rows": drift.rows,
        "missing": drift.missing,
        "extra": drift.extra,
        "differing": drift.differing,
        "booths": drift.booths,
        "seats": drift.seats,
        "mandals": drift.mandals,
        "districts": drift.districts,
    }
