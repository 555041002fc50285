from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from seva.people.choices import PortalRole

# The report centre and the streamed exports (issue 14, part 2). Personal data in exports
# (reporters' names, phones in notes) is shown to state admins only; the others get it masked.
CENTRE_PERMISSIONS = {
    PortalRole.STATE_ADMIN: {
        "reports.view_personal_data",
        "reports.request_report",
        "reports.download_any_report",
        "reports.view_reportfile",
    },
    PortalRole.STATE_STAFF: {"reports.request_report"},
    PortalRole.DISTRICT_COORDINATOR: {"reports.request_report"},
}


# Issue 14's imports (seva/reports/imports_views.py): a kind is imported by whoever may add
# and change its model. State staff import the election office's booth lists too.
IMPORT_PERMISSIONS = {
    PortalRole.STATE_STAFF: {"geo.add_booth", "geo.change_booth"},
}


def _merged(*grants: dict) -> dict:
    return {
        role: set().union(*(grant.get(role, set()) for grant in grants)) for grant in grants for role in grant
    }


class ReportsConfig(AppConfig):
    name = "seva.reports"
    label = "reports"
    verbose_name = _("Reports")

    # What each portal role may do here (see seva/people/roles.py). The export log is read by
    # the state admin; what a user may export is further limited by his scope.
    role_permissions = _merged(
        {PortalRole.STATE_ADMIN: {"reports.view_exportlog"}},
        CENTRE_PERMISSIONS,
        IMPORT_PERMISSIONS,
    )
