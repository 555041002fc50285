from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import AccessEvent
from .services import person_key


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def access_events(
    *,
    phone: str = "",
    username: str = "",
    action: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AccessEvent]:
    """Access events, newest first, narrowed by person (``phone``: matched through its
    key), by ``username`` (exact, any case), by ``action`` and by dates (inclusive, in the
    portal's time zone)."""
    events: Any = AccessEvent.objects.select_related("user")
    if phone:
        events = events.filter(subject_key=person_key(phone))
    if username:
        events = events.filter(username__iexact=username.strip())
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(at__gte=_day_start(date_from))
    if date_to:
        events = events.filter(at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    return events.order_by("-at", "-id")
