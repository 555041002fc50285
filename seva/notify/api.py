"""``POST /api/v1/sms/inbound/``: the SMS gateway posts each SMS a worker sends (inbound.py).

Not a user's endpoint: no session, no token, no CSRF; the gateway proves itself with the
shared secret ``SMS_INBOUND_SECRET`` (header ``X-Seva-Sms-Secret`` or form field ``secret``),
compared in constant time. Without the setting every request is refused. Throttled by its own
rate per client address (``DEFAULT_THROTTLE_RATES["sms_inbound"]``), with a counter in the
cache rather than DRF's list of timestamps (a gateway sends thousands a minute).
"""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from seva.base.throttles import AddressRateThrottle

from . import inbound

SECRET_HEADER = "X-Seva-Sms-Secret"  # noqa: S105 - a header name, not a secret
# The names gateways give each field, first match wins.
FIELD_NAMES = {
    "message_id": ("message_id", "messageId", "id", "msgid", "sms_id"),
    "phone": ("from", "sender", "mobile", "msisdn", "phone"),
    "text": ("text", "message", "body", "content"),
}
MAX_TEXT = 1600


class GatewaySecret(BasePermission):
    """The gateway's shared secret, from the header or the form; none configured: refused."""

    message = _("Wrong or missing gateway secret.")

    def has_permission(self, request: Request, view: Any) -> bool:
        expected = getattr(settings, "SMS_INBOUND_SECRET", "") or ""
        if not expected:
            return False
        given = request.headers.get(SECRET_HEADER)
        if not given:
            data = request.data
            given = data.get("secret") if hasattr(data, "get") else None
        if not isinstance(given, str) or not given:
            return False
        return hmac.compare_digest(given.encode(), expected.encode())


class InboundSmsThrottle(AddressRateThrottle):
    """A fixed-window counter per client address (one cache key a window, ``incr``): cheap at
    a hundred requests a second, where DRF's history list grows with the rate."""

    scope = "sms_inbound"
    cache_format = "throttle_%(scope)s_%(ident)s"

    def allow_request(self, request: Any, view: Any) -> bool:
        rate = self.get_rate()
        if rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(rate)
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_end = (window + 1) * self.duration
        key = f"{key}:{window}"
        try:
            cache.add(key, 0, timeout=self.duration + 1)
            count = cache.incr(key)
        except ValueError:  # the cache is unreachable (errors ignored): let it through
            return True
        return count is None or count <= self.num_requests

    def wait(self) -> float:
        return max(0.0, self.window_end - self.now)


def _pick(data: Any, names: tuple[str, ...]) -> Any:
    for name in names:
        value = data.get(name) if hasattr(data, "get") else None
        if value is not None and str(value).strip():
            return value
    return None


_Request = inline_serializer(
    "InboundSmsRequest",
    {
        "message_id": serializers.CharField(
            max_length=100, help_text="The gateway's id of the message (also accepted: id)."
        ),
        "from": serializers.CharField(
            max_length=32, help_text="The sender's mobile number (also accepted: sender, mobile)."
        ),
        "text": serializers.CharField(
            max_length=MAX_TEXT, help_text="The message, e.g. SEVA MASKS 500 182-45 (also: message, body)."
        ),
        "secret": serializers.CharField(
            required=False, help_text=f"The shared secret, if not sent in the {SECRET_HEADER} header."
        ),
    },
)
_Answer = inline_serializer(
    "InboundSmsAnswer",
    {
        "reply": serializers.CharField(help_text="The reply, also queued to the sender through the outbox."),
        "status": serializers.ChoiceField(choices=["accepted", "recorded", "refused"]),
    },
)


@extend_schema(tags=["sms"])
class InboundSmsView(APIView):
    """An SMS from a worker's phone, posted by the SMS gateway: a keyword report such as
    ``SEVA MASKS 500 182-45`` (seat 182, booth 45) or its Hindi form, recorded as one report
    of the worker's district with the worker as its reporter. The answer carries the reply,
    which is also sent to the worker through the outbox in his language. The same
    ``message_id`` again is answered the same way and stores nothing new."""

    authentication_classes: list[Any] = []
    permission_classes = [GatewaySecret]
    # Instead of the API's limits per user and per address (DEFAULT_THROTTLE_CLASSES): a
    # gateway posts thousands a minute from one address (docs/reliability.md).
    throttle_classes = [InboundSmsThrottle]

    @extend_schema(
        operation_id="sms_inbound",
        request={"application/json": _Request, "application/x-www-form-urlencoded": _Request},
        parameters=[
            OpenApiParameter(
                SECRET_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="The gateway's shared secret.",
            )
        ],
        responses={
            200: _Answer,
            400: OpenApiResponse(description="A field is missing or too long."),
            403: OpenApiResponse(description="Wrong or missing secret (nothing is stored)."),
            429: OpenApiResponse(description="Too many messages from this address."),
        },
        examples=[
            OpenApiExample(
                "Report",
                value={"message_id": "gw-81723", "from": "+919876543210", "text": "SEVA MASKS 500 182-45"},
            ),
            OpenApiExample(
                "Recorded",
                value={"reply": "Seva: recorded masks 500 at booth 45 (182), ref 9071", "status": "recorded"},
                response_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        fields = {name: _pick(request.data, names) for name, names in FIELD_NAMES.items()}
        errors = {}
        limits = {"message_id": 100, "phone": 32, "text": MAX_TEXT}
        for name, value in fields.items():
            if value is None:
                errors[name] = [_("This field is required.")]
            elif not isinstance(value, str | int) or isinstance(value, bool) or "\x00" in str(value):
                errors[name] = [_("Send text.")]
            elif len(str(value).strip()) > limits[name]:
                errors[name] = [_("At most %(limit)s characters.") % {"limit": limits[name]}]
        if errors:
            raise ValidationError(errors)
        # Read now (the answer carries the reply), or kept and read by a Celery worker
        # (SMS_INBOUND_ASYNC, production: the answer says "accepted").
        handle = inbound.accept if settings.SMS_INBOUND_ASYNC else inbound.receive
        answer = handle(
            message_id=str(fields["message_id"]).strip(),
            phone=str(fields["phone"]).strip(),
            text=str(fields["text"]),
        )
        return Response(answer.as_json())
