"""What the records' services share: the task a record feeds, the checks every record makes,
and writing a record's report through the one report service."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seva.base.scoping import user_scope
from seva.base.services import Errors

from ... import services as activity_services
from ...models import Activity, Task

# A record naming a place (a district, a booth) outside its maker's scope: an error on that
# field, as the API's scoped fields answer. A record to change that is outside the scope is a
# 404 instead (``seva.base.services.locked_in_scope``): it does not exist for him.
PLACE_NOT_IN_SCOPE = _("This place is not in your scope.")
CLIENT_REFERENCE_IN_USE = _("This client reference is already in use.")


def check_place_in_scope(by: Any, district_id: int | None, field: str, errors: Errors) -> None:
    """An error on ``field`` when ``district_id`` is outside ``by``'s scope."""
    if district_id and not user_scope(by).allows_district(district_id):
        errors[field] = PLACE_NOT_IN_SCOPE


def active_task(code: str, field: str, errors: Errors) -> Task | None:
    """The task a record feeds; a field error when it is missing or retired."""
    task = Task.objects.filter(code=code).first()
    if task is None or not task.is_active:
        errors[field] = _(
            "The task this record counts for (“%(code)s”) is retired: the state office must "
            "switch it on again before such records can be saved."
        ) % {"code": code}
        return None
    return task


def whole_number(value: Any) -> int | None:
    """``value`` as a whole number (``12``, ``12.0``), or ``None`` when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int) else None


def not_in_future(day: datetime.date | None, field: str, errors: Errors) -> None:
    """An error on ``field`` when ``day`` is after today (the portal's zone)."""
    if day is not None and day > timezone.localdate():
        errors[field] = _("The date cannot be in the future.")


def submit_or_get(*, rename: dict[str, str], **kwargs: Any) -> tuple[Activity, bool]:
    """Write a record's new activity through the one report service
    (``activity_submit_or_get``), saying whether it is new or a resend of one stored before.

    Its errors come back under the record's own fields: ``rename`` maps the service's field
    names and metric codes (a number's error) to them; other metric codes go where
    ``"values"`` goes.
    """
    try:
        return activity_services.activity_submit_or_get(**kwargs)
    except ValidationError as error:
        errors: Errors = {}
        metric_errors = getattr(error, "metric_errors", None) or {}
        for code, messages in metric_errors.items():
            errors.setdefault(rename.get(code, rename.get("values", "values")), messages)
        for field, messages in error.message_dict.items():
            if not (field == "values" and metric_errors):  # those are named by metric above
                errors.setdefault(rename.get(field, field), messages)
        raise ValidationError(errors) from None


def submit(*, rename: dict[str, str], **kwargs: Any) -> Activity:
    """:func:`submit_or_get` for a step that writes a new report: a client reference that
    already names a report is refused, so a record never takes over a report it did not write."""
    activity, created = submit_or_get(rename=rename, **kwargs)
    if not created:
        raise ValidationError({"client_uuid": CLIENT_REFERENCE_IN_USE})
    return activity
