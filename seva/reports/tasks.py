"""Celery tasks of the reports app: thin, they take ids and call a service."""

import logging

from celery import shared_task

from . import imports_jobs
from .centre_services import report_build, reports_delete_expired

log = logging.getLogger(__name__)


def hand_over(task, pk: int) -> None:
    """Give the job to a Celery worker; with the broker unreachable, do it here and now rather
    than leave the page waiting on a job nobody will run (or answer a 500)."""
    try:
        task.delay(pk)
    except Exception:  # noqa: BLE001 - any broker failure
        log.warning("reports: broker unavailable, running %s(%s) in the web process", task.name, pk)
        task.apply(args=(pk,))


# A register of 20 lakh rows as XLSX takes some minutes (bench/README.md); an hour is ample.
@shared_task(soft_time_limit=3300, time_limit=3600)
def build_report(report_id: int) -> None:
    """Build one report file of the report centre."""
    report_build(report_id=report_id)


@shared_task(time_limit=600)
def delete_expired_reports() -> int:
    """Delete the report files kept past ``SEVA_REPORT_KEEP_DAYS`` (beat, nightly)."""
    return reports_delete_expired()


@shared_task(soft_time_limit=600, time_limit=660)
def check_import(job_id: int) -> str:
    """Check an uploaded import file (seva/reports/imports_jobs.py)."""
    return imports_jobs.check_job(job_id)


@shared_task(soft_time_limit=600, time_limit=660, acks_late=False)
def run_import(job_id: int) -> str:
    """Write a confirmed import file, all or nothing (not re-run if the worker dies: the job
    stays "importing" and the user uploads it again; the same file twice changes nothing)."""
    return imports_jobs.run_job(job_id)
