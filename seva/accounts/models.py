"""API tokens: one per device, stored as a hash, with a lifetime."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken, AuthTokenManager
from knox.settings import CONSTANTS


class ApiTokenManager(AuthTokenManager):
    def live(self) -> models.QuerySet:
        """Tokens not yet expired (an expired one is deleted when it is next presented)."""
        return self.filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()))


class ApiToken(AbstractAuthToken):
    """A device's API token (django-rest-knox's token with a name and a plain id).

    Only a SHA-512 digest of the token is stored; the token itself is shown once, when it is
    issued. ``token_key`` (its first characters) finds the row; ``expiry`` ends it
    (``API_TOKEN_TTL_DAYS``). The id lets its owner and the state admin name it without
    showing any part of the token.
    """

    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    name = models.CharField(_("device"), max_length=100)

    objects = ApiTokenManager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"
