from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from seva.people.choices import PortalRole


def _perms(actions: str, *models: str) -> set[str]:
    return {f"helplines.{action}_{model}" for model in models for action in actions.split()}


_MODELS = (
    "helpline",
    "helplinemember",
    "shift",
    "helprequest",
    "requestevent",
    "facility",
    "availabilityreport",
)


class HelplinesConfig(AppConfig):
    name = "helplines"
    label = "helplines"
    verbose_name = _("Helplines")

    # What each portal role may do with this app's models (see seva/people/roles.py). Taking,
    # assigning and closing requests is the helpline's; the district and the state office
    # watch (names and phones masked unless they may see them: helplines.privacy).
    role_permissions = {
        PortalRole.STATE_ADMIN: _perms("view add change delete", *_MODELS),
        PortalRole.STATE_STAFF: _perms("view", *_MODELS)
        | _perms("add change", "facility", "availabilityreport"),
        PortalRole.DISTRICT_COORDINATOR: _perms("view", "helpline", "shift", "helprequest", "requestevent")
        | _perms("view add change", "facility", "availabilityreport"),
        PortalRole.DISTRICT_PRESIDENT: _perms(
            "view", "helpline", "helprequest", "facility", "availabilityreport"
        ),
        PortalRole.HELPLINE_LEAD: _perms("view", *_MODELS)
        | _perms("add change", "helprequest", "requestevent", "shift", "facility", "availabilityreport"),
        PortalRole.HELPLINE_OPERATOR: _perms("view", "helpline", "shift", "helprequest", "requestevent")
        | _perms("view add change", "facility", "availabilityreport")
        | _perms("add change", "helprequest", "requestevent"),
    }
