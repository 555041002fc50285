from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .choices import PortalRole

_WORKER_EDIT = {"people.view_worker", "people.add_worker", "people.change_worker"}


class PeopleConfig(AppConfig):
    name = "seva.people"
    label = "people"
    verbose_name = _("People")

    # What each portal role may do with this app's models (see roles.py).
    role_permissions = {
        PortalRole.STATE_ADMIN: _WORKER_EDIT
        | {"people.delete_worker", "people.view_profile", "people.add_profile", "people.change_profile"}
        | {"auth.view_user", "auth.add_user", "auth.change_user", "auth.view_group"}
        # The access log (seva/audit imports no app, so its readers are declared here).
        | {"audit.view_accessevent"},
        PortalRole.STATE_STAFF: _WORKER_EDIT,
        PortalRole.DISTRICT_COORDINATOR: _WORKER_EDIT,
        PortalRole.DISTRICT_PRESIDENT: {"people.view_worker"},
        PortalRole.HELPLINE_OPERATOR: {"people.view_worker"},
        # A lead takes calls as his operators do (he hands requests to workers too).
        PortalRole.HELPLINE_LEAD: {"people.view_worker"},
    }

    def ready(self) -> None:
        from .roles import sync_role_permissions

        post_migrate.connect(sync_role_permissions, dispatch_uid="seva.people.sync_role_permissions")
