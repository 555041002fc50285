"""Admin pieces any app may use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """For a ``ModelAdmin`` or an inline over rows that only services write (they keep the
    rules): the admin lists and shows them, and adds, changes or deletes nothing, since that
    would go round the services. Actions that call a service stay possible, each with its own
    permission (``@admin.action(permissions=[...])``)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
