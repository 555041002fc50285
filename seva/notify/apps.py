from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from seva.people.choices import PortalRole


class NotifyConfig(AppConfig):
    name = "seva.notify"
    label = "notify"
    verbose_name = _("Messages")

    # What each portal role may do here (see seva/people/roles.py). The state office writes
    # broadcasts to any district, a coordinator to his own (the scope decides); the state admin
    # sees every message and resends failed ones.
    role_permissions = {
        PortalRole.STATE_ADMIN: {
            "notify.view_notification",
            "notify.view_inboundsms",
            "notify.resend_notification",
            "notify.view_broadcast",
            "notify.add_broadcast",
            "notify.view_rulestate",
            "notify.change_rulestate",
        },
        PortalRole.STATE_STAFF: {"notify.view_broadcast", "notify.add_broadcast"},
        PortalRole.DISTRICT_COORDINATOR: {"notify.view_broadcast", "notify.add_broadcast"},
    }
