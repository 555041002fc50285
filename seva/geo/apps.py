from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_VIEW = {
    "geo.view_district",
    "geo.view_loksabhaseat",
    "geo.view_assemblyseat",
    "geo.view_mandal",
    "geo.view_booth",
}
_EDIT_LOCAL = {"geo.add_mandal", "geo.change_mandal", "geo.add_booth", "geo.change_booth"}


class GeoConfig(AppConfig):
    name = "seva.geo"
    label = "geo"
    verbose_name = _("Geography")

    # Keys are seva.people.choices.PortalRole values, spelt out: geography imports nobody.
    # Districts and seats are the state's fixed geography: only admins edit them (and only
    # by reloading the data); mandals and booths are imported and corrected by admins.
    role_permissions = {
        "state_admin": _VIEW | _EDIT_LOCAL | {"geo.delete_mandal", "geo.delete_booth"},
        "state_staff": _VIEW,
        "district_coordinator": _VIEW,
        "helpline_operator": _VIEW,
        "helpline_lead": _VIEW,
    }
