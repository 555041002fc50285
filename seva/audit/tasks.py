"""Housekeeping of the access log."""

from celery import shared_task

from .services import access_prune, keep_until_cutoff


@shared_task(time_limit=600)
def prune_access_log() -> int:
    """Delete access events older than ``SEVA_ACCESS_LOG_DAYS``; returns how many went."""
    return access_prune(before=keep_until_cutoff())
