"""What the reports app keeps: the log of every export (who, what, which filters, how many rows,
when). More models (report files, import jobs) live beside it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportLog(models.Model):
    """One export of data out of the portal: a spreadsheet download, a streamed register, a
    report file. Written by :func:`seva.reports.exportlog.record_export`, never edited."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="exports",
    )
    what = models.CharField(_("what"), max_length=80, help_text=_("The kind of data exported."))
    file_format = models.CharField(_("format"), max_length=10)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    masked = models.BooleanField(_("personal data masked"), default=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("export log")
        indexes = [models.Index(fields=["user", "-created_at"], name="reports_export_user_idx")]

    def __str__(self) -> str:
        return f"{self.what} ({self.file_format}) by {self.user} at {self.created_at:%Y-%m-%d %H:%M}"


from .centre_models import ReportFile, ReportKind, ReportStatus  # noqa: E402, F401 - the report centre
from .imports_models import ImportJob, ImportStatus  # noqa: E402, F401 - issue 14's imports
