"""The monitoring app keeps no data of its own: it reads the rollups of ``tasks17``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dashboard(models.Model):
    """No table: the holder of the permission that opens the dashboards.

    Django's permissions belong to a model; this unmanaged one gives the app its own
    ``monitoring.view_dashboard`` for the roles to declare (``apps.py``).
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_dashboard", _("Can see the dashboards"))]
        verbose_name = _("dashboard")
        verbose_name_plural = _("dashboards")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
