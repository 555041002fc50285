"""Sign-in pages with throttles, and the page of one's own API tokens."""

import math
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView
from django_otp import login as otp_login

from seva.base.throttles import throttled

from . import mfa
from .models import ApiToken
from .services import token_revoke
from .throttles import PASSWORD_RESET_THROTTLES, SIGN_IN_THROTTLES


class ThrottledPostMixin:
    """Refuses a POST with 429 and a page saying how long to wait, past the throttles."""

    throttle_classes: list[type] = []
    throttled_template_name = "registration/throttled.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = throttled(request, [throttle() for throttle in self.throttle_classes])
        if wait is not None:
            minutes = max(1, math.ceil(wait / 60))
            response = TemplateResponse(
                request, self.throttled_template_name, {"minutes": minutes}, status=429
            )
            response["Retry-After"] = str(math.ceil(wait))
            return response
        return super().post(request, *args, **kwargs)


class SignInView(ThrottledPostMixin, auth_views.LoginView):
    """The sign-in page; tries are limited per address and per user name."""

    throttle_classes = SIGN_IN_THROTTLES


class PasswordResetView(ThrottledPostMixin, auth_views.PasswordResetView):
    """Password reset by e-mail; requests are limited per address and per e-mail address."""

    throttle_classes = PASSWORD_RESET_THROTTLES


class TokenListView(LoginRequiredMixin, ListView):
    """The signed-in user's API tokens (one per device), each with a button to revoke it."""

    template_name = "accounts/token_list.html"
    context_object_name = "tokens"

    def get_queryset(self) -> Any:
        return ApiToken.objects.live().filter(user=self.request.user)


class TokenRevokeView(LoginRequiredMixin, View):
    """POST: revoke one of one's own tokens (another user's id is a 404)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not token_revoke(user=request.user, token_id=pk):
            return HttpResponse(status=404)
        messages.success(request, _("The device is signed out: its token no longer works."))
        return redirect("accounts:token-list")


# --- Two-factor sign-in (seva/accounts/mfa.py) ----------------------------------------------


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


class TwoFactorView(LoginRequiredMixin, View):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""

    template_name = "accounts/two_factor.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if not mfa.has_devices(request.user):
            return redirect("accounts:two-factor-setup")
        if request.user.is_verified():
            return redirect(_next_url(request))
        return TemplateResponse(request, self.template_name, {"next": _next_url(request)})

    def post(self, request: HttpRequest) -> HttpResponse:
        device = mfa.verify(request.user, request.POST.get("code", ""))
        if device is None:
            error = _("That code is not right, or it has expired. Give the code your app shows now.")
            context = {"next": _next_url(request), "error": error}
            return TemplateResponse(request, self.template_name, context, status=200)
        otp_login(request, device)
        return redirect(_next_url(request))


class TwoFactorSetupView(LoginRequiredMixin, View):
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with its first
    code, and keep the recovery codes shown once."""

    template_name = "accounts/two_factor_setup.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Replacing an enrolled phone needs the second factor first.
        if request.user.is_authenticated and mfa.has_devices(request.user) and not request.user.is_verified():
            return redirect(
                reverse("accounts:two-factor") + "?" + urlencode({"next": request.get_full_path()})
            )
        return super().dispatch(request, *args, **kwargs)

    def _context(self, request: HttpRequest, **extra: Any) -> dict[str, Any]:
        device = mfa.setup_device(request.user)
        return {
            "secret": mfa.secret_text(device),
            "qr": mfa.qr_data_uri(device),
            "required": mfa.mfa_required(request.user),
            "next": _next_url(request),
            **extra,
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        return TemplateResponse(request, self.template_name, self._context(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        device = mfa.setup_device(request.user)
        codes = mfa.confirm_device(request.user, device, request.POST.get("code", ""))
        if codes is None:
            error = _("That code is not right. Give the six-digit code your app shows now.")
            return TemplateResponse(request, self.template_name, self._context(request, error=error))
        otp_login(request, device)
        request.session[mfa.OWES_CODE_SESSION_KEY] = True
        context = {"codes": codes, "next": _next_url(request)}
        return TemplateResponse(request, "accounts/two_factor_codes.html", context)
