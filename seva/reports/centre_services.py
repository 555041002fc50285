"""The report centre's writes: ask for a report, build it, delete the expired ones."""

from __future__ import annotations

import datetime
import logging
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from seva.base.dbrouters import reading_database, replica_reads
from seva.base.scoping import user_scope
from seva.geo.models import District
from tasks17.models import Task
from tasks17.selectors import Period, campaign_period

from . import builders, register
from .centre_models import ReportFile, ReportKind, ReportStatus
from .exportlog import record_export

log = logging.getLogger(__name__)


def report_request(
    *,
    by: Any,
    kind: str,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    district: District | None = None,
    task: Task | None = None,
    language: str = "en",
) -> ReportFile:
    """Ask for a report of ``kind``; its file is built by Celery once this commits. The
    state pack needs a state-wide user, the district report a district (in ``by``'s scope:
    the caller looks it up in the scoped queryset)."""
    scope = user_scope(by)
    if kind == ReportKind.STATE_PACK and not scope.everything:
        raise ValidationError({"kind": _("The state pack is for state office staff.")})
    if kind == ReportKind.DISTRICT and district is None:
        raise ValidationError({"district": _("Choose the district.")})
    if district is not None and not scope.allows_district(district.pk):
        raise ValidationError({"district": _("Choose the district.")})
    if start and end:
        if start > end:
            raise ValidationError({"start": _("The start date is after the end date.")})
        if (end - start).days + 1 > settings.SEVA_EXPORT_MAX_DAYS:
            raise ValidationError(
                {
                    "end": _("Choose at most %(days)d days in one export.")
                    % {"days": settings.SEVA_EXPORT_MAX_DAYS}
                }
            )
    parameters = {
        "from": start.isoformat() if start else "",
        "to": end.isoformat() if end else "",
        "district": district.code if district else "",
        "task": task.code if task else "",
        "language": language,
    }
    report = ReportFile(requested_by=by, kind=kind, parameters=parameters)
    report.full_clean()
    report.save()
    from .tasks import build_report, hand_over  # the task module imports this one

    transaction.on_commit(lambda: hand_over(build_report, report.pk))
    return report


def _progress(report: ReportFile) -> Any:
    def set_progress(percent: int) -> None:
        percent = max(0, min(99, int(percent)))
        if percent != report.progress:
            report.progress = percent
            ReportFile.objects.filter(pk=report.pk).update(progress=percent)

    return set_progress


def _period(parameters: dict[str, str], kind: str) -> Period:
    """The report's dates: the campaign so far (the dashboard's default) for the pack and the
    district report, the last 30 days for the register (as the streamed CSV)."""
    today = timezone.localdate()
    if kind == ReportKind.REGISTER:
        default = Period(today - datetime.timedelta(days=29), today)
    else:
        default = campaign_period(today)
    start = datetime.date.fromisoformat(parameters["from"]) if parameters.get("from") else default.start
    end = datetime.date.fromisoformat(parameters["to"]) if parameters.get("to") else default.end
    return Period(start, end)


def report_build(*, report_id: int) -> ReportFile | None:
    """Build the file of one report (a Celery task calls this), reading from the replica
    when there is one; ``failed`` with a short reason if it cannot be built."""
    claimed = ReportFile.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.BUILDING, progress=1
    )
    if not claimed:
        return None  # built already, or being built (a redelivered task)
    report = ReportFile.objects.select_related("requested_by").get(pk=report_id)
    try:
        with override(report.parameters.get("language") or "en"), replica_reads():
            _name, size = _build(report)
    except Exception as error:
        log.exception("report %s failed", report_id)
        ReportFile.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, error=str(error)[:300], finished_at=timezone.now()
        )
        report.refresh_from_db()
        return report
    report.status = ReportStatus.READY
    report.progress = 100
    report.size = size
    report.finished_at = timezone.now()
    report.save(update_fields=["status", "progress", "size", "finished_at", "file"])
    return report


def _build(report: ReportFile) -> tuple[str, int]:
    parameters = report.parameters
    period = _period(parameters, report.kind)
    user = report.requested_by
    on_progress = _progress(report)
    with tempfile.TemporaryDirectory() as folder:
        if report.kind == ReportKind.STATE_PACK:
            path = Path(folder) / f"state-pack-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
            builders.state_pack_xlsx(builders.state_pack_figures(period=period), path, on_progress)
            what, file_format, masked, rows = "state pack", "xlsx", False, None
        elif report.kind == ReportKind.DISTRICT:
            district = District.objects.visible_to(user).get(code=parameters["district"])
            path = Path(folder) / f"district-{district.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
            builders.district_report_xlsx(
                builders.district_report_figures(district=district, period=period), path, on_progress
            )
            what, file_format, masked, rows = "district report", "xlsx", False, None
        else:
            district = (
                District.objects.visible_to(user).get(code=parameters["district"])
                if parameters.get("district")
                else None
            )
            task = Task.objects.get(code=parameters["task"]) if parameters.get("task") else None
            query = register.register_query(
                user=user,
                start=period.start,
                end=period.end,
                district=district,
                task=task,
                using=reading_database(),
            )
            total = query.activities.count()
            stem = f"activities-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
            if total > builders.XLSX_MAX_ROWS:
                path = Path(folder) / f"{stem}.csv"
                with path.open("w", encoding="utf-8", newline="") as out:
                    for written, text in enumerate(register.csv_lines(query)):
                        out.write(text)
                        if written % 200 == 0:
                            on_progress(100 * query.rows // max(1, total))
                file_format = "csv"
            else:
                path = Path(folder) / f"{stem}.xlsx"
                with transaction.atomic(using=query.activities.db):
                    builders.register_xlsx(query, path, total, on_progress)
                file_format = "xlsx"
            what, masked, rows = "activity register", query.masked, query.rows
        with path.open("rb") as content:
            report.file.save(path.name, File(content), save=False)
        size = path.stat().st_size
    record_export(
        user, what, file_format, filters=parameters | {"report": report.pk}, rows=rows, masked=masked
    )
    return report.file.name, size


def reports_delete_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the report files past their ``expires_at``, the stored file first. Returns
    how many."""
    now = now or timezone.now()
    count = 0
    for report in ReportFile.objects.filter(expires_at__lte=now).iterator():
        if report.file:
            report.file.delete(save=False)
        report.delete()
        count += 1
    return count
