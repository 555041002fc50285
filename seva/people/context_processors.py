"""Template context about the signed-in user's role and scope (for navigation)."""

from typing import Any

from django.http import HttpRequest

from seva.base.scoping import user_scope

from .choices import PortalRole
from .roles import user_roles


def portal_role(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = user_roles(user)
    scope = user_scope(user)
    return {
        "portal_roles": roles,
        "is_state_level": scope.everything,
        "is_state_admin": PortalRole.STATE_ADMIN in roles,
        "is_helpline": bool(roles & {PortalRole.HELPLINE_OPERATOR, PortalRole.HELPLINE_LEAD}),
    }
