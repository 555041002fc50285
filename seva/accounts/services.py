"""Issuing and revoking API tokens."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ApiToken

DEVICE_NAME_LENGTH = ApiToken._meta.get_field("name").max_length


@transaction.atomic
def token_issue(*, user: Any, device: str) -> tuple[ApiToken, str]:
    """Issue a new token for ``user`` on ``device``; return the row and the token itself.

    One token per device: signing in again on a device (the same name) revokes its earlier
    token. Expired tokens go, and so do the oldest ones beyond ``API_TOKENS_PER_USER``, so a
    script that signs in every run does not pile up live tokens.
    """
    device = " ".join(device.split())[:DEVICE_NAME_LENGTH]
    mine = ApiToken.objects.filter(user=user)
    mine.filter(name=device).delete()
    mine.filter(expiry__lt=timezone.now()).delete()
    keep = max(settings.API_TOKENS_PER_USER - 1, 0)
    oldest = list(mine.order_by("-created", "-id").values_list("pk", flat=True)[keep:])
    ApiToken.objects.filter(pk__in=oldest).delete()
    return ApiToken.objects.create(user=user, name=device)


def token_revoke(*, user: Any, token_id: int) -> bool:
    """Revoke one of ``user``'s own tokens; ``False`` when he has none by that id."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


def tokens_revoke_all(*, user: Any) -> int:
    """Revoke every token of ``user`` (a password change, a lost phone)."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


def revoke_tokens_on_password_change(
    sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any
) -> None:
    """pre_save of the user model: a new password revokes all of the user's API tokens.

    A signal rather than a hook in each view, because the password changes in many places:
    the password page, the reset link, the admin, ``changepassword``.
    """
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    before = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if before is not None and before != instance.password:
        tokens_revoke_all(user=instance)
