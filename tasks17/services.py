"""Writes with a rule in the tasks app: reporting activities, reviewing them, setting targets.

Every caller (pages, API, admin, imports, demo data) goes through these functions, so each
rule lives here once. Errors are ``ValidationError`` with a dict of field -> message, so a
form shows the message next to the field and the API answers 400 ``{field: [message]}``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seva.base.errors import NestedValidationError
from seva.base.scoping import Scope, user_scope
from seva.base.services import full_clean_into, locked_in_scope, merge_errors, raise_if
from seva.geo.models import AssemblySeat, Booth, District, Mandal
from seva.people.models import Worker

from .choices import COUNTED_STATUSES, TYPED_ORIGINS, ActivityOrigin, ActivityStatus
from .models import Activity, ActivityValue, Campaign, Metric, Target, Task
from .rollups import Figures, apply_figures, apply_figures_many, figures_of


def can_review(user: Any, activity: Activity) -> bool:
    """May ``user`` verify or reject ``activity``?

    Holders of ``tasks17.review_activity`` may, within their scope, as with every permission:
    state admin and staff the state, a district president (the group the state office puts
    him in) his district. Nobody reviews his own report. Nothing a user can edit about
    himself (his worker record's role) gives this right.
    """
    if not getattr(user, "is_authenticated", False) or activity.reported_by_id == user.pk:
        return False
    if not user_scope(user).allows_district(activity.district_id):
        return False
    return user.has_perm("tasks17.review_activity")


# A typed report for a task whose figures come from its records (``Task.fed_by_records``)
# would count the same work twice (a held camp typed in again: issue 11).
RECORD_FED_REFUSAL = _(
    "This task is counted from its records (camps, conferences, declarations, help requests): "
    "enter the record there, not a report here."
)


def edit_refusal(user: Any, activity: Activity, *, from_record: bool = False) -> Exception | None:
    """Why ``user`` may not correct ``activity`` now, or ``None`` if he may: the error
    :func:`activity_update` raises before it looks at any input. A ``PermissionDenied`` when
    the report is not his (or he lacks ``change_activity``); a ``ValidationError`` for a report
    written by a record (corrected through that record, whose service passes
    ``from_record=True`` having checked that the user may change the record) or one already
    reviewed."""
    if not from_record:
        if activity.origin not in TYPED_ORIGINS:
            return ValidationError(
                {
                    "origin": _(
                        "This report was written by a record (%(origin)s): correct that record instead."
                    )
                    % {"origin": activity.get_origin_display()}
                }
            )
        if activity.reported_by_id != user.pk or not user.has_perm("tasks17.change_activity"):
            return PermissionDenied(_("Only the person who sent a report may correct it."))
        if activity.task.fed_by_records:
            # Typed before the task was marked: it is withdrawn (withdraw_typed_record_reports),
            # not corrected into a second count.
            return ValidationError({"task": RECORD_FED_REFUSAL})
    if activity.status != ActivityStatus.SUBMITTED:
        return ValidationError({"status": _("A report that has been reviewed can no longer be changed.")})
    return None


def can_edit(user: Any, activity: Activity) -> bool:
    """May ``user`` correct ``activity`` now? Only the person who sent it, only a report typed
    in by a person, and only while it awaits review (:func:`edit_refusal`). The detail page,
    the edit page and :func:`activity_update` (so the API too) ask this one rule."""
    return bool(getattr(user, "is_authenticated", False)) and edit_refusal(user, activity) is None


def may_review_any(user: Any) -> bool:
    """Whether ``user`` reviews at all (to show review controls on lists)."""
    return user.has_perm("tasks17.review_activity")


class ReportInvalid(NestedValidationError):
    """A report's ``ValidationError`` that also says which metric each number error is about.

    ``metric_errors`` maps a metric code to its messages (``nested["values"]``), so the API
    answers ``{"values": {"masks": ["..."]}}`` and the page shows the message under the number.
    """

    @property
    def metric_errors(self) -> dict[str, list[str]]:
        return self.nested.get("values", {})


def _clean_values(task: Task, values: Any) -> tuple[dict[Metric, int], dict[str, list[str]], list[str]]:
    """Check reported numbers against the task's active metrics.

    Returns the cleaned numbers, the errors per metric code, and errors about the whole set.
    A number must be a whole number (``12`` or ``12.0``, not ``12.5``, ``"12"`` or ``true``),
    not negative and not above the metric's ``max_per_report``; at least one must be above 0.
    """
    if not isinstance(values, dict) or not values:
        return {}, {}, [str(_("Give at least one number."))]
    metrics = {metric.code: metric for metric in task.metrics.filter(is_active=True)}
    cleaned: dict[Metric, int] = {}
    errors: dict[str, list[str]] = {}
    for code, raw in values.items():
        code = str(code)
        metric = metrics.get(code)
        if metric is None:
            errors[code] = [str(_("“%(code)s” is not counted for this task.") % {"code": code})]
            continue
        number = raw
        if isinstance(raw, float) and raw.is_integer():
            number = int(raw)
        if raw is None:
            continue
        if isinstance(number, bool) or not isinstance(number, int):
            errors[code] = [str(_("%(metric)s: enter a whole number.") % {"metric": metric.label})]
        elif number < 0:
            errors[code] = [str(_("%(metric)s cannot be negative.") % {"metric": metric.label})]
        elif number > metric.max_per_report:
            errors[code] = [
                str(
                    _("%(metric)s: %(number)s is more than one report can hold (at most %(max)s).")
                    % {"metric": metric.label, "number": number, "max": metric.max_per_report}
                )
            ]
        else:
            cleaned[metric] = number
    general = []
    if not errors and not any(cleaned.values()):
        general.append(str(_("Give at least one number above zero.")))
    return cleaned, errors, general


def _check_report(
    *,
    by: Any,
    task: Task,
    district: District,
    date: datetime.date,
    values: Any,
    origin: str = ActivityOrigin.REPORT,
    reporter_worker: Worker | None = None,
) -> tuple[dict[Metric, int], dict[str, Any]]:
    """The rules every report must meet, whether new or corrected. A task fed by its records
    takes reports only from them (``origin`` other than ``report`` or ``sms``). A worker
    reporting without an account (``reporter_worker``) reports for his own district only."""
    errors: dict[str, Any] = {}
    scope = Scope(district_id=reporter_worker.district_id) if reporter_worker is not None else user_scope(by)
    if not task.is_active:
        errors["task"] = _("This task is no longer taking reports.")
    elif task.fed_by_records and origin in TYPED_ORIGINS:
        errors["task"] = RECORD_FED_REFUSAL
    if not scope.allows_district(district.pk):
        errors["district"] = _("You cannot report for this district.")
    today = timezone.localdate()
    if date > today:
        errors["date"] = _("The date cannot be in the future.")
    elif not scope.everything:
        days = getattr(settings, "SEVA_BACKDATE_DAYS", 30)
        if date < today - datetime.timedelta(days=days):
            errors["date"] = _("Reports may go back at most %(days)s days; ask the state office.") % {
                "days": days
            }
    cleaned, metric_errors, general = _clean_values(task, values) if "task" not in errors else ({}, {}, [])
    value_messages = general + [message for messages in metric_errors.values() for message in messages]
    if value_messages:
        errors["values"] = value_messages
    errors[_METRIC_ERRORS] = metric_errors
    return cleaned, errors


_METRIC_ERRORS = "__metric_errors__"
_RELATED = [
    "task",
    "district",
    "assembly_seat",
    "mandal",
    "booth",
    "reported_by",
    "reporter_worker",
    "reviewed_by",
]


def _validate(activity: Activity, errors: dict[str, Any]) -> None:
    """Run the model's own checks and raise everything at once (a :class:`ReportInvalid`)."""
    metric_errors = errors.pop(_METRIC_ERRORS, {})
    try:
        # The related objects were passed in as objects: no need to look each up again.
        activity.full_clean(exclude=[*_RELATED, "client_uuid"], validate_unique=False)
    except ValidationError as error:
        merge_errors(errors, error)
    if errors:
        raise ReportInvalid(errors, nested={"values": metric_errors})


def _numbers(cleaned: dict[Metric, int]) -> dict[str, int]:
    """The numbers as stored on the report for its change history; zero counts are dropped,
    as they carry no information and would only bloat the fact table."""
    return {metric.code: number for metric, number in cleaned.items() if number}


def _write_values(activity: Activity, cleaned: dict[Metric, int]) -> None:
    """Write the fact rows (``activity.numbers``, their copy, is set by :func:`_numbers`) and
    keep them on ``activity`` as if prefetched, so whoever shows the report next (the API's
    answer) reads them without a query."""
    rows = ActivityValue.objects.bulk_create(
        [
            ActivityValue(activity=activity, metric=metric, value=number)
            for metric, number in sorted(cleaned.items(), key=lambda item: (item[0].position, item[0].code))
            if number
        ]
    )
    values = ActivityValue.objects.filter(activity=activity)
    values._result_cache = rows
    values._prefetch_done = True
    activity._prefetched_objects_cache = {"values": values}


def activity_submit_or_get(
    *,
    by: Any,
    task: Task,
    district: District,
    date: datetime.date,
    values: dict[str, int],
    client_uuid: UUID,
    assembly_seat: AssemblySeat | None = None,
    mandal: Mandal | None = None,
    booth: Booth | None = None,
    notes: str = "",
    origin: ActivityOrigin = ActivityOrigin.REPORT,
    reporter_worker: Worker | None = None,
) -> tuple[Activity, bool]:
    """:func:`activity_submit`, also saying whether the report was new (``True``) or a resend.

    ``origin`` names what wrote the report: a special record (``tasks17.records``) passes its
    own, so the report is then corrected only through that record. ``reporter_worker`` is the
    worker who reported without an account (an SMS: ``by`` is then the system user
    "sms-gateway"); the district must be his.

    A resend is found by its ``client_uuid`` when the insert meets the unique key (or when it
    no longer passes the rules, which may have changed since the first copy), not looked up
    before every new report: one transaction, the report, its numbers and its rollups."""
    cleaned, errors = _check_report(
        by=by,
        task=task,
        district=district,
        date=date,
        values=values,
        origin=origin,
        reporter_worker=reporter_worker,
    )
    activity = Activity(
        task=task,
        district=district,
        assembly_seat=assembly_seat,
        mandal=mandal,
        booth=booth,
        date=date,
        notes=notes or "",
        reported_by=by,
        reporter_worker=reporter_worker,
        client_uuid=client_uuid,
        status=ActivityStatus.SUBMITTED,
        numbers=_numbers(cleaned),
        origin=origin,
    )
    activity._history_user = by  # the history names who did it, from the API and imports too
    try:
        _validate(activity, errors)
    except ValidationError:
        existing = Activity.objects.filter(client_uuid=client_uuid).first()
        if existing is None:
            raise
        return _resent(by, existing, reporter_worker), False
    try:
        with transaction.atomic():
            activity.save()
            _write_values(activity, cleaned)
            apply_figures(None, figures_of(activity, _metric_ids(cleaned)))
    except IntegrityError:
        # Sent before, or the same report arrived twice at once: the other copy is stored.
        existing = Activity.objects.filter(client_uuid=client_uuid).first()
        if existing is None:
            raise
        return _resent(by, existing, reporter_worker), False
    return activity, True


def _metric_ids(cleaned: dict[Metric, int]) -> dict[int, int]:
    return {metric.pk: number for metric, number in cleaned.items()}


def _resent(by: Any, existing: Activity, reporter_worker: Worker | None = None) -> Activity:
    if reporter_worker is not None:
        mine = existing.reporter_worker_id == reporter_worker.pk
    else:
        mine = Activity.objects.visible_to(by).filter(pk=existing.pk).exists()
    if not mine:
        raise ValidationError({"client_uuid": _("This client reference is already in use.")})
    return existing


def activity_submit(**kwargs: Any) -> Activity:
    """Store one report of work done, with its numbers, or return it if already stored.

    Takes the keywords of :func:`activity_submit_or_get` (``by, task, district, date, values,
    client_uuid``, optional ``assembly_seat, mandal, booth, notes, origin``). ``values`` maps
    metric codes of ``task`` to whole numbers (at least one above zero, none above the
    metric's ``max_per_report``). The task must be active, the district in the
    reporter's scope, the place inside the district, the date not in the future and, for
    district users, at most ``SEVA_BACKDATE_DAYS`` (30) days back. The same ``client_uuid``
    sent again returns the first report unchanged. The report and all its numbers are
    written in one transaction: nothing is half-saved.
    """
    return activity_submit_or_get(**kwargs)[0]


@transaction.atomic
def activity_update(
    *,
    by: Any,
    activity: Activity,
    task: Task,
    date: datetime.date,
    values: dict[str, int],
    assembly_seat: AssemblySeat | None = None,
    mandal: Mandal | None = None,
    booth: Booth | None = None,
    notes: str = "",
    _from_record: bool = False,
) -> Activity:
    """Let the reporter correct his own report while it awaits review (:func:`can_edit`);
    same rules as a new one. A report outside ``by``'s scope does not exist for him (404).

    A report written by a special record (``origin`` other than ``report``: a camp, a
    conference, a declaration) is corrected only through that record, which calls this with
    ``_from_record=True``; the record's service has then already checked that ``by`` may
    change the record, so the reporter-only rule does not apply to it."""
    activity = locked_in_scope(Activity, by=by, pk=activity.pk)
    refusal = edit_refusal(by, activity, from_record=_from_record)
    if refusal is not None:
        raise refusal
    cleaned, errors = _check_report(
        by=by, task=task, district=activity.district, date=date, values=values, origin=activity.origin
    )
    before = figures_of(activity)
    activity.task = task
    activity.date = date
    activity.assembly_seat = assembly_seat
    activity.mandal = mandal
    activity.booth = booth
    activity.notes = notes or ""
    activity.numbers = _numbers(cleaned)
    activity._history_user = by
    _validate(activity, errors)
    activity.save()
    activity.values.all().delete()
    _write_values(activity, cleaned)
    apply_figures(before, figures_of(activity, _metric_ids(cleaned)))
    return activity


@transaction.atomic
def activity_withdraw(*, by: Any, activity: Activity, reason: str = "") -> Activity:
    """Take a report out of every figure (status ``withdrawn``): a record's report when the
    record that wrote it is taken back (a corona-free declaration withdrawn), or a report typed
    in for a task fed by its records (``Task.fed_by_records``), which counted the record's work
    a second time (``manage.py withdraw_typed_record_reports``; ``reason`` required then). Any
    other typed report is never withdrawn: a wrong one is rejected in review. The history names
    ``by`` and the ``reason``; a report outside his scope does not exist for him (404)."""
    activity = locked_in_scope(Activity, by=by, pk=activity.pk)
    reason = (reason or "").strip()
    if activity.origin in TYPED_ORIGINS:
        if not activity.task.fed_by_records:
            raise ValidationError(
                {"origin": _("A report sent by a person is rejected in review, not withdrawn.")}
            )
        if not reason:
            raise ValidationError({"reason": _("Say why the report is withdrawn.")})
    if activity.status not in COUNTED_STATUSES:
        raise ValidationError({"status": _("This report no longer counts.")})
    before = figures_of(activity)
    activity.status = ActivityStatus.WITHDRAWN
    activity._history_user = by
    if reason:
        # django-simple-history's reason column holds 100 characters.
        activity._change_reason = reason[:100]
    activity.save(update_fields=["status"])
    apply_figures(before, None)
    return activity


def _review(
    by: Any,
    activity: Activity,
    status: ActivityStatus,
    reason: str = "",
    *,
    values: dict[int, int] | None = None,
    changes: list[tuple[Figures | None, Figures | None]] | None = None,
) -> Activity:
    """Verify or reject: outside ``by``'s scope a 404, not his to review a 403, reviewed once.

    The rollups move with the status; a bulk review passes the reports' ``values`` (metric id
    -> number) and collects the ``changes`` to apply them in one go."""
    activity = locked_in_scope(Activity, by=by, pk=activity.pk)
    if not can_review(by, activity):
        raise PermissionDenied(_("You may not review this report."))
    if activity.status != ActivityStatus.SUBMITTED:
        raise ValidationError({"status": _("This report has already been reviewed.")})
    before = figures_of(activity, values)
    activity.status = status
    activity.reviewed_by = by
    activity.reviewed_at = timezone.now()
    activity.rejection_reason = reason
    activity._history_user = by
    activity.save(update_fields=["status", "reviewed_by", "reviewed_at", "rejection_reason"])
    change = (before, figures_of(activity, before.values if before is not None else values))
    if changes is None:
        apply_figures(*change)
    else:
        changes.append(change)
    return activity


@transaction.atomic
def activity_verify(*, by: Any, activity: Activity) -> Activity:
    """Accept a submitted report (see :func:`can_review` for who may)."""
    return _review(by, activity, ActivityStatus.VERIFIED)


@transaction.atomic
def activity_reject(*, by: Any, activity: Activity, reason: str) -> Activity:
    """Send a submitted report back with a reason the reporter will see."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the report is rejected.")})
    return _review(by, activity, ActivityStatus.REJECTED, reason[:1000])


@transaction.atomic
def activities_verify_bulk(*, by: Any, ids: Iterable[int]) -> list[Activity]:
    """Verify every submitted report among ``ids`` that ``by`` may review; skip the rest."""
    candidates = (
        Activity.objects.visible_to(by)
        .select_for_update()
        .filter(pk__in=list(ids), status=ActivityStatus.SUBMITTED)
        .order_by("pk")
    )
    candidates = [activity for activity in candidates if can_review(by, activity)]
    values: dict[int, dict[int, int]] = {activity.pk: {} for activity in candidates}
    for activity_id, metric_id, number in ActivityValue.objects.filter(activity__in=candidates).values_list(
        "activity_id", "metric_id", "value"
    ):
        values[activity_id][metric_id] = number
    changes: list[tuple[Figures | None, Figures | None]] = []
    verified = [
        _review(by, activity, ActivityStatus.VERIFIED, values=values[activity.pk], changes=changes)
        for activity in candidates
    ]
    apply_figures_many(changes)
    return verified


@transaction.atomic
def target_create(
    *,
    by: Any,
    task: Task,
    metric: Metric,
    district: District,
    period_start: datetime.date,
    period_end: datetime.date,
    value: int,
) -> Target:
    """Set what ``district`` should reach for ``metric`` of ``task`` between two dates."""
    errors: dict[str, Any] = {}
    if not user_scope(by).allows_district(district.pk):
        errors["district"] = _("You cannot set targets for this district.")
    target = Target(
        task=task,
        metric=metric,
        district=district,
        period_start=period_start,
        period_end=period_end,
        value=value,
    )
    target._history_user = by
    full_clean_into(target, errors)
    raise_if(errors)
    target.save()
    return target


@transaction.atomic
def target_update(*, by: Any, target: Target, value: int) -> Target:
    """Correct what a target asks for (the correction page and ``PATCH`` for state staff, or a
    sheet imported again with a new number); the task, metric, district and period name the
    target and stay. The target's history keeps the earlier number and who changed it."""
    target = locked_in_scope(Target, by=by, pk=target.pk)
    target.value = value
    target._history_user = by
    errors: dict[str, Any] = {}
    full_clean_into(target, errors)
    raise_if(errors)
    target.save(update_fields=["value"])
    return target


@transaction.atomic
def campaign_save(*, campaign: Campaign) -> Campaign:
    """Save the campaign's name and dates; saved as active, it becomes the one every figure's
    default range is measured over, and the others stop being active."""
    # The "one active" key is kept below, by making the others inactive first.
    campaign.full_clean(validate_constraints=False)
    if campaign.is_active:
        Campaign.objects.select_for_update().filter(is_active=True).exclude(pk=campaign.pk).update(
            is_active=False
        )
    campaign.save()
    return campaign
