"""SMS backends, chosen in settings like Django's e-mail backends (``SMS_BACKEND``):

- ``seva.notify.sms.backends.ConsoleBackend``: prints each message (``make run``);
- ``seva.notify.sms.backends.LocmemBackend``: keeps them in ``seva.notify.sms.outbox`` (tests);
- ``seva.notify.sms.backends.FileBackend``: appends a JSON line per message to
  ``SMS_FILE_PATH`` (a real worker in another process, benchmarks);
- ``seva.notify.sms.backends.HttpGatewayBackend``: an Indian bulk-SMS gateway over HTTP
  (``SMS_GATEWAY_*`` settings, DLT template ids).

A backend's ``send(messages)`` returns one :class:`Result` per message, in order: sent (with
the gateway's reference), or failed, and whether trying again may help.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

# What the locmem backend has sent (like django.core.mail.outbox).
outbox: list[SmsMessage] = []

GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")


@lru_cache(maxsize=4096)
def sms_parts(text: str) -> int:
    """How many SMS parts ``text`` takes: 160 characters in one part (153 a part when split) in
    the GSM alphabet; 70 (67 a part) in UCS-2, which any Hindi letter forces."""
    if all(ch in GSM7 or ch in GSM7_EXTENDED for ch in text):
        length = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        single, multi = 160, 153
    else:
        # UCS-2 counts UTF-16 code units: a letter outside the BMP takes two.
        length = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)
        single, multi = 70, 67
    if length <= single:
        return 1 if length else 0
    return -(-length // multi)


@dataclass
class SmsMessage:
    to: str
    body: str
    # Ours, unique per message (the notification's dedup key): a gateway that takes an
    # idempotency key gets it, so a resend after a crash is not a second SMS.
    reference: str = ""
    kind: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Result:
    ok: bool
    provider_id: str = ""
    error: str = ""
    retry: bool = False


class SmsBackend:
    """The base: subclasses implement :meth:`send`."""

    # Whether the gateway drops a second message with the same reference: then a message left
    # "sending" by a worker that died is resent; otherwise a person checks it first.
    idempotent = False

    def send(self, messages: list[SmsMessage]) -> list[Result]:
        raise NotImplementedError


def get_backend(path: str | None = None) -> SmsBackend:
    return import_string(path or settings.SMS_BACKEND)()
