"""Two-factor sign-in (django-otp): an authenticator app's six-digit code (TOTP), and ten
single-use recovery codes for a lost phone.

Required for state admins and state staff when ``SEVA_MFA_REQUIRED`` is on (the default with
DEBUG off; the demo and the tests of other features run without it); anyone may enrol, and
whoever has enrolled is asked for a code at every sign-in. Until then,
:class:`SecondFactorMiddleware` sends such a user to enrol or to give his code before any page
(the admin included); the API's session calls answer 403; a token is issued only with a code
(``seva.accounts.serializers.SignInSerializer``)."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from seva.people.choices import PortalRole
from seva.people.roles import user_roles

RECOVERY_CODES = 10
_PRIVILEGED = {PortalRole.STATE_ADMIN, PortalRole.STATE_STAFF}


def mfa_required(user: Any) -> bool:
    """Whether ``user`` must sign in with a second factor (state admins and staff)."""
    if not settings.SEVA_MFA_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or bool(user_roles(user) & _PRIVILEGED)


def needs_code(user: Any) -> bool:
    """Whether a code is asked of ``user`` at sign-in: he enrolled, or he must."""
    return mfa_required(user) or user_has_device(user, confirmed=True)


# --- Enrolling ----------------------------------------------------------------------------


def setup_device(user: Any) -> TOTPDevice:
    """The authenticator being set up: the user's unconfirmed TOTP device, made if absent."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key as people type it into an app (base32, in groups of four)."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The ``otpauth://`` URL as an SVG QR code, inline (the CSP allows ``data:`` images)."""
    out = io.BytesIO()
    write_qrcode_image(device.config_url, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


@transaction.atomic
def confirm_device(user: Any, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with its first code: the user's other TOTP devices go, new
    recovery codes replace old ones. Returns the recovery codes (shown once), or ``None``
    when the code is wrong."""
    if device.user_id != user.pk or not device.verify_token(_digits(code)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
    return codes


def _digits(code: str) -> str:
    return "".join((code or "").split())


def verify(user: Any, code: str) -> Any:
    """The device that accepts ``code`` (a six-digit code or a recovery code), or ``None``.
    django-otp's devices slow down repeated failures themselves."""
    code = _digits(code)
    if not code or len(code) > 16:
        return None
    return match_token(user, code)


def has_devices(user: Any) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


# --- Keeping the unverified out -----------------------------------------------------------

_OPEN_PREFIXES = (
    "/accounts/two-factor/",
    "/accounts/logout/",
    "/i18n/",
    "/static/",
    "/healthz",
    "/sw.js",
    "/favicon.ico",
    "/offline/token/",
    "/availability/",
)


# Whether the session's user owes a code, decided once a session (two queries for his devices
# otherwise on every request); enrolling sets it (confirm_device's caller).
OWES_CODE_SESSION_KEY = "seva_owes_second_factor"


def _owes_code(request: HttpRequest, user: Any) -> bool:
    if settings.SEVA_MFA_REQUIRED and mfa_required(user):
        return True
    owes = request.session.get(OWES_CODE_SESSION_KEY)
    if owes is None:  # a session from before this was remembered at sign-in
        owes = request.session[OWES_CODE_SESSION_KEY] = user_has_device(user, confirmed=True)
    return bool(owes)


@receiver(user_logged_in, dispatch_uid="seva.accounts.mfa.remember_second_factor")
def remember_second_factor(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """At a sign-in on the web, note in the session whether the user enrolled: the requests
    that follow need not ask the database. (A token sign-in has no session to note it in.)"""
    session = getattr(request, "session", None)
    if session is not None and not request.path.startswith("/api/"):
        session[OWES_CODE_SESSION_KEY] = user_has_device(user, confirmed=True)


class SecondFactorMiddleware:
    """After django-otp's ``OTPMiddleware``: a signed-in user who owes a code (see
    :func:`needs_code`) and has not given it this session reaches only the two-factor pages
    and signing out. Pages redirect there; the API answers 403. Token-authenticated API calls
    never pass here as a session user: their token was issued after a code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and not user.is_verified()
            and _owes_code(request, user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Sign in with your second factor first.")}, status=403)
            target = "accounts:two-factor" if has_devices(user) else "accounts:two-factor-setup"
            query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
            return HttpResponseRedirect(reverse(target) + (f"?{query}" if query else ""))
        return self.get_response(request)
