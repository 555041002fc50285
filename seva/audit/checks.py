"""``manage.py check`` (and every start) refuses an access log kept less than a year."""

from typing import Any

from django.conf import settings
from django.core.checks import Error

MIN_DAYS = 365


def check_access_log_days(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    days = getattr(settings, "SEVA_ACCESS_LOG_DAYS", None)
    if not isinstance(days, int) or days < MIN_DAYS:
        return [
            Error(
                f"SEVA_ACCESS_LOG_DAYS is {days!r}: the access log must be kept at least {MIN_DAYS} days.",
                hint="Set SEVA_ACCESS_LOG_DAYS to 365 or more (default 400).",
                id="seva.audit.E001",
            )
        ]
    return []
