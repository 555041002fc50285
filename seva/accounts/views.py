"""Sign-in pages with throttles, and the page of one's own API tokens."""

import math
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from seva.base.throttles import throttled

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
