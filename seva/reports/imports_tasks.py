"""The background run of a bulk import (an ``ImportJob``): thin, the work is in bulk.py.

Progress is written to the cache while the rows are written (the job row itself is inside the
import's transaction until it commits, so other connections could not see it move)."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from seva.base.scoping import user_scope

from . import bulk


def progress_key(job_id: int) -> str:
    return f"reports:import-job:{job_id}:progress"


def job_progress(job: object) -> tuple[int, int]:
    """(rows done, rows total) of a job: the cache while it runs, else the row."""
    cached = cache.get(progress_key(job.pk))  # type: ignore[attr-defined]
    if cached and job.running:  # type: ignore[attr-defined]
        return cached
    return job.rows_done, job.rows_total  # type: ignore[attr-defined]


@shared_task
def run_import_job(job_id: int) -> str:
    from .imports_models import ImportJob

    job = ImportJob.objects.select_related("user").get(pk=job_id)
    ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.RUNNING)
    function = bulk.import_booths if job.kind == ImportJob.Kind.BOOTHS else bulk.import_workers
    scope = user_scope(job.user)
    district_ids = None if scope.everything else ({scope.district_id} if scope.district_id else set())

    def progress(done: int, total: int) -> None:
        cache.set(progress_key(job_id), (done, total), 3600)

    fields: dict = {"finished_at": timezone.now()}
    try:
        with job.file.open("rb") as handle:
            result = function(
                handle, name=job.file_name, dry_run=job.dry_run, district_ids=district_ids, progress=progress
            )
    except bulk.BulkImportError as error:
        fields.update(status=ImportJob.Status.FAILED, errors=[[1, str(error)]], error_count=1)
    else:
        fields.update(
            status=(ImportJob.Status.CHECKED if job.dry_run else ImportJob.Status.DONE)
            if result.ok
            else ImportJob.Status.FAILED,
            rows_total=result.total,
            rows_done=(result.created + result.changed + result.unchanged)
            if result.ok and not job.dry_run
            else 0,
            created=result.created,
            changed=result.changed,
            unchanged=result.unchanged,
            errors=[list(e) for e in result.errors],
            error_count=result.error_count,
        )
    ImportJob.objects.filter(pk=job_id).update(**fields)
    cache.delete(progress_key(job_id))
    return fields["status"]
