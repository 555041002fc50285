"""The admin action "Erase these people" for the Worker, Donor and HelpRequest changelists:
each selected row's mobile number is erased everywhere (``services.person_erase``). The
admin classes of those apps list it; it imports the services only when run."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

PHONE_FIELDS = ("phone", "caller_phone")
# The same as ``services.ERASE_PERMISSION`` (not imported: the admins of lower apps import this).
ERASE_PERMISSION = "privacy.erase_person"


def _phone(row: Any) -> str:
    for name in PHONE_FIELDS:
        value = getattr(row, name, None)
        if value:
            return str(value)
    return ""


class EraseActionMixin:
    """For a ``ModelAdmin`` listing ``erase_people`` in its actions: the action shows only to
    users with ``privacy.erase_person`` (the state admin)."""

    def has_erase_person_permission(self, request: Any) -> bool:
        return request.user.has_perm(ERASE_PERMISSION)


@admin.action(
    description=_("Erase these people everywhere (personal data; rows and counts stay)"),
    permissions=["erase_person"],
)
def erase_people(modeladmin: Any, request: Any, queryset: Any) -> None:
    """Erase the person behind each selected row (by his number). Rows already erased, whose
    number is a placeholder, are skipped. Needs ``privacy.erase_person``."""
    from .services import person_erase

    if not request.user.has_perm(ERASE_PERMISSION):
        raise PermissionDenied
    erased = skipped = 0
    for phone in sorted({_phone(row) for row in queryset}):
        try:
            person_erase(phone=phone, by=request.user)
        except ValidationError:
            skipped += 1
            continue
        erased += 1
    if erased:
        modeladmin.message_user(
            request,
            ngettext("%(n)d person erased.", "%(n)d people erased.", erased) % {"n": erased},
            messages.SUCCESS,
        )
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%(n)d row had no mobile number to erase (already erased?).",
                "%(n)d rows had no mobile number to erase (already erased?).",
                skipped,
            )
            % {"n": skipped},
            messages.WARNING,
        )
