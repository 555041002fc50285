"""The privacy notice (versioned) and the history of consents.

``PrivacyNotice`` rows are never edited once published: a change is a new version, so a
consent always names the text the person was shown. ``ConsentRecord`` is the history of a
person's consent (given or withdrawn, what for, under which notice, who recorded it); the
consent fields on ``Worker`` and ``Donor`` stay the current state. Neither model holds a
name or a phone: a record points at its subject by kind and id, and erasing the person
detaches it (``subject_id`` becomes empty) while the record of a consent stays counted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .choices import ConsentChannel, ConsentPurpose, ConsentSubject


class PrivacyNoticeQuerySet(models.QuerySet):
    def published(self) -> PrivacyNoticeQuerySet:
        """Versions published on or before today, newest first."""
        return self.filter(published_on__lte=timezone.localdate()).order_by("-version")

    def current(self) -> PrivacyNotice | None:
        """The version in force today (the newest published one)."""
        return self.published().first()


class PrivacyNotice(models.Model):
    """One version of the portal's privacy notice, in English and Hindi. Published versions
    are kept as they were (the admin adds versions and never changes one)."""

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    published_on = models.DateField(_("published on"))
    text_en = models.TextField(_("text (English)"))
    text_hi = models.TextField(_("text (Hindi)"))

    objects = PrivacyNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")

    def __str__(self) -> str:
        return f"v{self.version} ({self.published_on:%Y-%m-%d})"

    @property
    def text(self) -> str:
        """The text in the active language (Hindi for ``hi``, else English)."""
        return self.text_hi if (get_language() or "").startswith("hi") else self.text_en


class ConsentRecordQuerySet(models.QuerySet):
    def of(self, kind: str, subject_id: int) -> ConsentRecordQuerySet:
        """The records of one person, newest first."""
        return self.filter(subject_kind=kind, subject_id=subject_id).order_by("-at", "-id")


class ConsentRecord(models.Model):
    """One consent given or withdrawn: by whom (kind and id), what for, under which version of
    the notice, when, who recorded it and how. Written only by ``services.consent_record``."""

    subject_kind = models.CharField(_("person"), max_length=10, choices=ConsentSubject.choices)
    # Empty once the person is erased: the record keeps that a consent happened, not whose.
    subject_id = models.PositiveBigIntegerField(_("person's record"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    notice = models.ForeignKey(
        PrivacyNotice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("privacy notice"),
    )
    given = models.BooleanField(_("given"), help_text=_("Given, or withdrawn when unticked."))
    at = models.DateTimeField(_("when"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    channel = models.CharField(
        _("how"), max_length=12, choices=ConsentChannel.choices, default=ConsentChannel.PORTAL
    )

    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        indexes = [models.Index(fields=["subject_kind", "subject_id", "-at"], name="consent_subject")]
        permissions = [("erase_person", _("Can erase a person's personal data"))]

    def __str__(self) -> str:
        state = _("given") if self.given else _("withdrawn")
        whose = f"{self.get_subject_kind_display()} {self.subject_id or '—'}"
        return f"{whose}: {self.get_purpose_display()} ({state})"
