"""An import job: one uploaded file of booths or workers, checked, then written by Celery
(seva/reports/imports_jobs.py). The row keeps the file until it is written, the progress
(rows done of the total), the counts and every bad row, so the page shows them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Checking")
    INVALID = "invalid", _("Has bad rows")
    READY = "ready", _("Ready to import")
    WRITING = "writing", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One file uploaded on /imports/: checked whole (``CHECKING`` → ``INVALID`` or
    ``READY``), then, once the user confirms, written (``WRITING`` → ``DONE``)."""

    kind = models.CharField(_("kind"), max_length=20)
    file_name = models.CharField(_("file"), max_length=200)
    file_format = models.CharField(_("format"), max_length=10)
    # The file itself until it is written (then emptied): a Celery worker on another machine
    # reads it from here, with no shared disk.
    content = models.BinaryField(_("content"), editable=False, default=b"")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    added = models.PositiveIntegerField(_("added"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("bad rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["created_by", "-created_at"], name="reports_import_user_idx")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name} ({self.status})"

    @property
    def running(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.WRITING)
