"""Celery tasks of the reports app: thin, they take ids and call a service."""

from celery import shared_task

from .centre_services import report_build, reports_delete_expired


@shared_task(soft_time_limit=1500, time_limit=1800)
def build_report(report_id: int) -> None:
    """Build one report file of the report centre."""
    report_build(report_id=report_id)


@shared_task(time_limit=600)
def delete_expired_reports() -> int:
    """Delete the report files kept past ``SEVA_REPORT_KEEP_DAYS`` (beat, nightly)."""
    return reports_delete_expired()
