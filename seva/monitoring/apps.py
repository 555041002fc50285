from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from seva.people.choices import PortalRole


class MonitoringConfig(AppConfig):
    name = "seva.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    # What each portal role may do here (see seva/people/roles.py). One permission opens the
    # dashboards; the user's scope decides which: the state office sees the state and every
    # district, a coordinator his own district (the state dashboard sends him there).
    role_permissions = {
        PortalRole.STATE_ADMIN: {"monitoring.view_dashboard"},
        PortalRole.STATE_STAFF: {"monitoring.view_dashboard"},
        PortalRole.DISTRICT_COORDINATOR: {"monitoring.view_dashboard"},
    }
