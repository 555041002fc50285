"""Housekeeping of sign-in tokens."""

from celery import shared_task
from django.utils import timezone

from .models import ApiToken


@shared_task(time_limit=300)
def clear_expired_tokens() -> int:
    """Delete tokens past their expiry (each is refused anyway); returns how many went."""
    deleted, _ = ApiToken.objects.filter(expiry__lt=timezone.now()).delete()
    return deleted
