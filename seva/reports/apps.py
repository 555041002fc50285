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

    # Issue 14's imports (kept apart to ease merging): the import pages and their jobs. Which
    # kind a user may import is the model's own add and change permissions (imports_views).
    IMPORT_PERMISSIONS = {
        PortalRole.STATE_ADMIN: {"reports.add_importjob", "reports.view_importjob"},
        PortalRole.STATE_STAFF: {"reports.add_importjob", "reports.view_importjob"},
        PortalRole.DISTRICT_COORDINATOR: {"reports.add_importjob", "reports.view_importjob"},
    }
    for _role, _perms in IMPORT_PERMISSIONS.items():
        role_permissions[_role] = role_permissions.get(_role, set()) | _perms
    del _role, _perms
