"""Portal roles: the groups, what each may do, and questions about a user's role.

Each app declares, on its AppConfig, ``role_permissions``: a mapping from a
:class:`PortalRole` to the permission codenames (``"app_label.codename"``) that role gets for
that app's models. After every ``migrate`` (post_migrate), :func:`sync_role_permissions`
gives each group exactly the union of what the installed apps declare, so a new app adds its
permissions in its own ``apps.py`` without touching this one, and nothing here imports it.
The groups themselves are made by a data migration of this app.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission

from .choices import GROUP_NAMES, PortalRole


def user_roles(user: Any) -> set[PortalRole]:
    """The portal roles of ``user`` (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_seva_roles", None)
    if cached is None:
        by_name = {name: role for role, name in GROUP_NAMES.items()}
        cached = {by_name[name] for name in user.groups.values_list("name", flat=True) if name in by_name}
        if user.is_superuser:
            cached.add(PortalRole.STATE_ADMIN)
        user._seva_roles = cached
    return cached


def primary_role(user: Any) -> PortalRole | None:
    """The role that decides the landing page: the widest one the user has."""
    held = user_roles(user)
    for role in PortalRole:
        if role in held:
            return role
    return None


def declared_role_permissions(app_registry: Any = global_apps) -> dict[str, set[str]]:
    """Collect ``role_permissions`` from every installed app's config."""
    result: dict[str, set[str]] = {role: set() for role in PortalRole}
    for config in app_registry.get_app_configs():
        for role, codenames in getattr(config, "role_permissions", {}).items():
            result[role].update(codenames)
    return result


def sync_role_permissions(**kwargs: Any) -> None:
    """Give each role's group exactly the declared permissions (idempotent)."""
    declared = declared_role_permissions()
    wanted = {code for codes in declared.values() for code in codes}
    by_code = {}
    for perm in Permission.objects.select_related("content_type").filter(
        content_type__app_label__in={code.split(".", 1)[0] for code in wanted}
    ):
        by_code[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    for role, codes in declared.items():
        group, _ = Group.objects.get_or_create(name=GROUP_NAMES[role])
        group.permissions.set([by_code[code] for code in codes if code in by_code])
