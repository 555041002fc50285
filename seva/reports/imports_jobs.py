"""The import job's two steps, run by Celery (``seva.reports.tasks``): check the uploaded file
and record what it would do; once confirmed, check it again (the data may have changed since)
and write it, all or nothing. Progress goes to the job row between batches."""

from __future__ import annotations

import io

from django.utils import timezone

from .bulk import CheckResult, ImportFileError
from .imports_models import ImportJob, ImportStatus
from .kinds import KINDS


def _progress(job_id: int):
    def update(done: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(rows_done=done)

    return update


def _check(job: ImportJob) -> CheckResult | None:
    importer = KINDS[job.kind](job.created_by)
    try:
        result = importer.check(
            importer.rows(io.BytesIO(bytes(job.content)), job.file_format), _progress(job.pk)
        )
    except ImportFileError as error:
        job.status = ImportStatus.INVALID
        job.errors = [{"line": 1, "column": "", "message": str(error)}]
        job.error_count = 1
        job.finished_at = timezone.now()
        job.save()
        return None
    job.rows_total = job.rows_done = result.total
    job.added, job.changed, job.unchanged = len(result.added), len(result.changed), result.unchanged
    job.error_count = result.error_count
    job.errors = [error.as_dict() for error in result.errors]
    return result


def check_job(job_id: int) -> str:
    """Check the file: ``READY`` with the counts, or ``INVALID`` with every bad row."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    result = _check(job)
    if result is not None:
        job.status = ImportStatus.READY if result.ok else ImportStatus.INVALID
        if not result.ok:
            job.finished_at = timezone.now()
        job.save()
    return job.status


def run_job(job_id: int) -> str:
    """Write a confirmed file: checked again, then written in one transaction."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportStatus.WRITING:
        return job.status
    result = _check(job)
    if result is None:
        return job.status
    if not result.ok:
        job.status = ImportStatus.INVALID
    else:
        job.save(update_fields=["rows_total", "added", "changed", "unchanged", "errors", "error_count"])
        ImportJob.objects.filter(pk=job.pk).update(rows_done=0)
        try:
            KINDS[job.kind](job.created_by).write(result)
        except Exception:
            ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, finished_at=timezone.now())
            raise
        job.status = ImportStatus.DONE
        job.content = b""
        job.rows_done = job.rows_total
    job.finished_at = timezone.now()
    job.save()
    return job.status
