"""The SMS backends (see the package's docstring)."""

from __future__ import annotations

import json
import logging
import sys
import threading
from pathlib import Path

import requests
from django.conf import settings

from . import Result, SmsBackend, SmsMessage, outbox

log = logging.getLogger(__name__)


class ConsoleBackend(SmsBackend):
    """Prints each message to standard output (``make run``: the worker's terminal)."""

    def send(self, messages: list[SmsMessage]) -> list[Result]:
        for message in messages:
            sys.stdout.write(f"SMS to {message.to} [{message.kind}]: {message.body}\n")
        sys.stdout.flush()
        return [Result(ok=True) for _ in messages]


class LocmemBackend(SmsBackend):
    """Keeps the messages in ``seva.notify.sms.outbox`` (the tests read it)."""

    def send(self, messages: list[SmsMessage]) -> list[Result]:
        outbox.extend(messages)
        return [Result(ok=True, provider_id=f"locmem-{len(outbox) - i}") for i in range(len(messages), 0, -1)]


_file_lock = threading.Lock()


class FileBackend(SmsBackend):
    """Appends one JSON line per message to ``SMS_FILE_PATH``: what a real worker in another
    process sent, for tests and benchmarks to count."""

    def send(self, messages: list[SmsMessage]) -> list[Result]:
        path = Path(settings.SMS_FILE_PATH)
        lines = "".join(
            json.dumps(
                {"to": m.to, "body": m.body, "reference": m.reference, "kind": m.kind}, ensure_ascii=False
            )
            + "\n"
            for m in messages
        )
        with _file_lock, path.open("a", encoding="utf-8") as out:
            out.write(lines)
        return [Result(ok=True) for _ in messages]


class HttpGatewayBackend(SmsBackend):
    """A bulk-SMS gateway over HTTP, in the shape most Indian providers take: a POST of the
    sender id, the number, the text, and under India's DLT rules the entity id and the
    template id registered for that kind of message; an API key in a header. A 2xx answer
    with a message id is sent; 429 and 5xx and timeouts may be retried; other 4xx are not.

    Settings: ``SMS_GATEWAY_URL``, ``SMS_GATEWAY_KEY``, ``SMS_SENDER_ID``,
    ``SMS_DLT_ENTITY_ID``, ``SMS_DLT_TEMPLATES`` (kind → template id),
    ``SMS_GATEWAY_TIMEOUT``, ``SMS_GATEWAY_IDEMPOTENT`` (the gateway honours the
    ``Idempotency-Key`` header)."""

    def __init__(self) -> None:
        self.url = settings.SMS_GATEWAY_URL
        self.idempotent = settings.SMS_GATEWAY_IDEMPOTENT
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_KEY}"

    def _payload(self, message: SmsMessage) -> dict[str, str]:
        payload = {
            "sender": settings.SMS_SENDER_ID,
            "to": message.to,
            "message": message.body,
            "unicode": "0" if message.body.isascii() else "1",
        }
        template = settings.SMS_DLT_TEMPLATES.get(message.kind) or settings.SMS_DLT_TEMPLATES.get("default")
        if settings.SMS_DLT_ENTITY_ID:
            payload["dlt_entity_id"] = settings.SMS_DLT_ENTITY_ID
        if template:
            payload["dlt_template_id"] = template
        return payload

    def send(self, messages: list[SmsMessage]) -> list[Result]:
        if not self.url:
            return [Result(ok=False, error="SMS_GATEWAY_URL is not set", retry=False) for _ in messages]
        return [self._send_one(message) for message in messages]

    def _send_one(self, message: SmsMessage) -> Result:
        headers = {"Idempotency-Key": message.reference} if message.reference else {}
        try:
            answer = self.session.post(
                self.url, data=self._payload(message), headers=headers, timeout=settings.SMS_GATEWAY_TIMEOUT
            )
        except requests.Timeout:
            return Result(ok=False, error="the gateway did not answer in time", retry=True)
        except requests.RequestException as error:
            return Result(ok=False, error=f"the gateway could not be reached: {error}"[:500], retry=True)
        if 200 <= answer.status_code < 300:
            try:
                data = answer.json()
            except ValueError:
                data = {}
            reference = data.get("message_id") or data.get("id") or data.get("request_id") or ""
            return Result(ok=True, provider_id=str(reference)[:100])
        error = f"the gateway answered {answer.status_code}: {answer.text[:200]}"
        return Result(ok=False, error=error, retry=answer.status_code == 429 or answer.status_code >= 500)
