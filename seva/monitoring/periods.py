"""The date range a dashboard shows, read from ``?from=&to=`` (or ``?days=``), for the pages
and the API alike: a bad value is a ``ValidationError`` naming the parameter, never a 500."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tasks17.selectors import MAX_RANGE_DAYS, Period, campaign_period

# A longer range than a year is refused (tasks17's one limit, the same for /tasks/): the
# campaign is 60 days, and a decade of days is only a way to make the server work hard.
MAX_DAYS = MAX_RANGE_DAYS
QUICK_DAYS = (1, 7, 30)


def default_period(today: datetime.date | None = None) -> Period:
    """The campaign so far: from its first day to today (or its last day, once over)."""
    return campaign_period(today=today or timezone.localdate())


def _date(params: dict, name: str, errors: dict) -> datetime.date | None:
    text = (params.get(name) or "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        errors[name] = _("Enter a date as YYYY-MM-DD, for example 2021-05-01.")
        return None


def read_period(params: dict, *, today: datetime.date | None = None) -> Period:
    """The period ``params`` asks for, or the default one for what they leave out.

    ``days`` (1, 7 or 30) picks the last days up to today; otherwise ``from`` and ``to``,
    each defaulting to the campaign so far. Raises ``ValidationError({param: message})``.
    """
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    days = (params.get("days") or "").strip()
    if days:
        if days not in {str(n) for n in QUICK_DAYS}:
            raise ValidationError({"days": _("Choose 1, 7 or 30 days.")})
        return Period(today - datetime.timedelta(days=int(days) - 1), today)
    start, end = _date(params, "from", errors), _date(params, "to", errors)
    if errors:
        raise ValidationError(errors)
    if start is None or end is None:
        default = default_period(today)
        end = end or max(default.end, start or default.end)
        start = start or min(default.start, end)
    if end < start:
        raise ValidationError({"to": _("The end date is before the start date.")})
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationError(
            {"to": _("Choose a range of at most a year (%(days)d days).") % {"days": MAX_DAYS}}
        )
    return Period(start, end)
