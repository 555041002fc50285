"""Who sees a caller's and a patient's name and phone, and what everybody else sees.

Members of the request's helpline, the request's district coordinator and state admins see
them; everybody else who may see the request at all (state staff, a district president, an
operator of another helpline seeing his district's requests) sees them masked, in lists, the
API and exports alike. Opening a request's personal details is an event on its timeline
(``services.request_open_personal``)."""

from __future__ import annotations

from typing import Any

from seva.base.scoping import user_scope
from seva.people.choices import PortalRole
from seva.people.roles import user_roles

from .models import HelplineMember

MASK = "•"
# The request's fields masked for those who may not see them; its change history masks the
# same ones (``seva.audit.history.changes(masked=...)``).
MASKED_FIELDS = ("caller_name", "caller_phone", "patient_name")


def _member_helpline_ids(user: Any) -> set[int]:
    cached = getattr(user, "_seva_helplines", None)
    if cached is None:
        cached = set(HelplineMember.objects.filter(user_id=user.pk).values_list("helpline_id", flat=True))
        user._seva_helplines = cached
    return cached


def can_see_personal(user: Any, request: Any) -> bool:
    """Whether ``user`` sees the names and phones of ``request`` (a ``HelpRequest``)."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = user_roles(user)
    if PortalRole.STATE_ADMIN in roles:
        return True
    if request.helpline_id in _member_helpline_ids(user):
        return True
    return PortalRole.DISTRICT_COORDINATOR in roles and user_scope(user).district_id == request.district_id


def mask_name(name: str) -> str:
    """``"Ramesh Kumar"`` → ``"R•••• K••••"``: enough to tell two callers apart on a list."""
    return " ".join(word[0] + MASK * 4 for word in (name or "").split() if word)


def mask_phone(phone: Any) -> str:
    """``+919876543210`` → ``"•••••••210"``."""
    text = str(phone or "")
    return MASK * 7 + text[-3:] if text else ""


def personal_fields(user: Any, request: Any) -> dict[str, str]:
    """The caller's and patient's name and phone of ``request`` as ``user`` may see them."""
    if can_see_personal(user, request):
        return {
            "caller_name": request.caller_name,
            "caller_phone": str(request.caller_phone or ""),
            "patient_name": request.patient_name,
            "masked": False,
        }
    return {
        "caller_name": mask_name(request.caller_name),
        "caller_phone": mask_phone(request.caller_phone),
        "patient_name": mask_name(request.patient_name),
        "masked": True,
    }
