"""The access log: sign-ins, tokens and every view of a person's personal details.

One row per event, written by ``services.access_record`` (or ``access_record_many`` for a
list page: one INSERT for the page) in the request's own transaction. The log never holds a
person's name or phone: ``subject_key`` is a keyed hash of the phone (``services.person_key``)
so the state admin can find a person's events by typing the phone, and erasing the person
(``services.access_forget``) blanks the key and the record's id while keeping that a view
happened. ``username`` is the name typed at a failed sign-in (there is no user then); the
password is never seen here (Django hides it from the signal).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AccessAction, SubjectKind


class AccessEvent(models.Model):
    """One sign-in, sign-out, token issued or revoked, or view of personal details."""

    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    action = models.CharField(_("what"), max_length=20, choices=AccessAction.choices)
    subject_kind = models.CharField(_("record"), max_length=20, choices=SubjectKind.choices, blank=True)
    subject_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    subject_key = models.CharField(_("person key"), max_length=64, blank=True)
    erased = models.BooleanField(
        _("person erased"), default=False, help_text=_("The person was erased: whose data it was is gone.")
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access event")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["-at", "-id"], name="access_at"),
            models.Index(fields=["subject_key", "-at"], name="access_person"),
            models.Index(fields=["username", "-at"], name="access_username"),
            models.Index(fields=["action", "-at"], name="access_action"),
            models.Index(fields=["subject_kind", "subject_id"], name="access_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"
