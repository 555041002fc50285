"""Celery task of the retention of callers' and patients' details (beat runs it nightly:
migration 0003_beat_schedule). Thin: the work is ``services.help_requests_expire``."""

from celery import shared_task

from . import services


@shared_task(soft_time_limit=1500, time_limit=1800)
def help_requests_expire() -> int:
    """Anonymise callers and patients of requests closed past the retention period."""
    return services.help_requests_expire()
