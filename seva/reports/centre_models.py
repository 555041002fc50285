"""The report centre's files: asked for on a page, built by Celery, downloaded, deleted after
``SEVA_REPORT_KEEP_DAYS``."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    STATE_PACK = "state_pack", _("State daily review pack")
    DISTRICT = "district", _("District report")
    REGISTER = "register", _("Activity register")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    BUILDING = "building", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def _expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.SEVA_REPORT_KEEP_DAYS)


class ReportFile(models.Model):
    """One report asked for by one user: its kind and parameters, where its building stands
    (``status``, ``progress`` 0–100), and, once ready, its file in Django's default storage.
    Only the user who asked and state admins may download it (``reports.download_any_report``)."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_files",
        verbose_name=_("asked by"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/%d/", blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"), default=_expiry, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="reports_file_user_idx")]
        permissions = [
            ("view_personal_data", _("Can see personal data (names, phones) in exports")),
            ("request_report", _("Can ask for reports in the report centre")),
            ("download_any_report", _("Can download reports others asked for")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def is_done(self) -> bool:
        return self.status in (ReportStatus.READY, ReportStatus.FAILED)
