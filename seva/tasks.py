"""Project-wide housekeeping tasks."""

from celery import shared_task
from django.core.management import call_command


@shared_task(time_limit=300)
def clear_expired_sessions() -> None:
    """Delete expired sessions so the table does not grow for ever."""
    call_command("clearsessions")
