"""The portal's menu: which links a user sees, and which three a phone shows first.

A context processor (``menu``) builds the list once per page from the user's permissions. On a
phone the header shows the role's three most used links and a "more" (अधिक) button that opens
the rest (``templates/partials/nav.html``, ``static/js/nav.js``); a desktop shows every link.
Without JavaScript the phone shows every link too, wrapped, as before.

To add a page to the menu, add a ``MenuLink`` to ``LINKS``; to change what a role sees first,
change ``PHONE_FIRST``. A role whose links are not all available gets its first available ones,
then the menu's own order fills up to three.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from seva.people.choices import PortalRole
from seva.people.roles import primary_role

PHONE_LINKS = 3


@dataclass(frozen=True)
class MenuLink:
    key: str
    url_name: str
    label: Promise
    # None: every signed-in user; "staff": user.is_staff; a callable: its answer for the user.
    permission: str | Callable[[Any], bool] | None = None


def _may_import(user: Any) -> bool:
    """Imports: who may import some kind (a helpline operator: donors)."""
    from seva.reports.imports_views import may_import_any

    return may_import_any(user)


LINKS = (
    MenuLink("home", "home", _("Home")),
    MenuLink("dashboard", "monitoring:state", _("Dashboard"), "monitoring.view_dashboard"),
    MenuLink("report", "tasks17:activity-create", _("Report work"), "tasks17.add_activity"),
    MenuLink("reports", "tasks17:activity-list", _("Reports"), "tasks17.view_activity"),
    MenuLink("targets", "tasks17:target-list", _("Targets"), "tasks17.view_target"),
    MenuLink("tasks", "tasks17:task-list", _("Tasks"), "tasks17.view_task"),
    MenuLink("camps", "tasks17:record-camp-list", _("Camps"), "tasks17.view_donationcamp"),
    MenuLink("donors", "tasks17:record-donor-list", _("Donors"), "tasks17.view_donor"),
    MenuLink(
        "conferences", "tasks17:record-conference-list", _("Conferences"), "tasks17.view_videoconference"
    ),
    MenuLink(
        "declarations",
        "tasks17:record-declaration-list",
        _("Corona-free booths"),
        "tasks17.view_boothdeclaration",
    ),
    MenuLink("desk", "helplines:desk", _("Helpline desk"), "helplines.add_helprequest"),
    MenuLink("helplines", "helplines:request-list", _("Help requests"), "helplines.view_helprequest"),
    MenuLink("facilities", "helplines:facilities", _("Beds and oxygen"), "helplines.view_facility"),
    MenuLink("report-centre", "reports:centre", _("Report centre"), "reports.request_report"),
    MenuLink("geography", "geo:district-list", _("Geography"), "geo.view_district"),
    MenuLink("workers", "people:worker-list", _("Workers"), "people.view_worker"),
    MenuLink("messages", "notify:broadcast-list", _("Messages"), "notify.add_broadcast"),
    MenuLink("imports", "reports:imports", _("Imports"), _may_import),
    MenuLink("access-log", "audit:access", _("Access log"), "audit.view_accessevent"),
    MenuLink("admin", "admin:index", _("Admin"), "staff"),
)

# The three links each role uses most, in the order the phone shows them.
PHONE_FIRST: dict[PortalRole | None, tuple[str, ...]] = {
    PortalRole.DISTRICT_COORDINATOR: ("report", "reports", "home"),
    PortalRole.DISTRICT_PRESIDENT: ("reports", "home", "targets"),
    PortalRole.STATE_STAFF: ("dashboard", "reports", "targets"),
    PortalRole.STATE_ADMIN: ("dashboard", "reports", "admin"),
    PortalRole.HELPLINE_LEAD: ("desk", "helplines", "facilities"),
    PortalRole.HELPLINE_OPERATOR: ("desk", "helplines", "facilities"),
}


@dataclass(frozen=True)
class ShownLink:
    key: str
    url: str
    label: Promise
    first: bool  # among the phone's first three


def _allowed(user: Any, link: MenuLink) -> bool:
    if link.permission is None:
        return True
    if link.permission == "staff":
        return bool(user.is_staff)
    if callable(link.permission):
        return link.permission(user)
    return bool(user.has_perm(link.permission))


def menu_links(user: Any) -> list[ShownLink]:
    """The links ``user`` may follow, in menu order, with the phone's first three marked."""
    available = []
    for link in LINKS:
        if not _allowed(user, link):
            continue
        try:
            available.append((link, reverse(link.url_name)))
        except NoReverseMatch:  # an app not installed in this configuration
            continue
    keys = [link.key for link, _url in available]
    wanted = [key for key in PHONE_FIRST.get(primary_role(user), ()) if key in keys]
    first = (wanted + [key for key in keys if key not in wanted])[:PHONE_LINKS]
    shown = [ShownLink(link.key, url, link.label, link.key in first) for link, url in available]
    # The phone's three first, in the role's order; the rest keep the menu's order.
    return sorted(shown, key=lambda s: first.index(s.key) if s.first else PHONE_LINKS)


def menu(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"menu_links": menu_links(user)}
