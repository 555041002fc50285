from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from seva.people.choices import PortalRole


class ReportsConfig(AppConfig):
    name = "seva.reports"
    label = "reports"
    verbose_name = _("Reports")

    # What each portal role may do here (see seva/people/roles.py). The export log is read by
    # the state admin; what a user may export is further limited by his scope.
    role_permissions = {
        PortalRole.STATE_ADMIN: {"reports.view_exportlog"},
    }
