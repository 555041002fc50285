"""SMS in, for feature phones: a registered worker reports by SMS, ``SEVA MASKS 500 182-45``.

:func:`parse` reads the text against the task catalogue's SMS keywords (``Task.sms_keyword``,
``Metric.sms_keyword`` and their Hindi forms, set in the admin, so a new task needs no code):
the prefix ``SEVA`` or ``सेवा``, then keyword and number pairs (a metric's keyword takes one
number; a task's keyword takes the numbers that follow, for its active metrics in their
order), then optionally the place: ``182-45`` (seat 182, booth 45) or ``182`` (the seat
only); without it, the worker's own booth (and seat). Hindi digits (०-९) are read as digits.

:func:`receive` turns one message into one ``activity_submit`` for the worker's district,
with the worker as its reporter (``reported_by`` is the inactive system user
``sms-gateway``), a ``client_uuid`` made from the gateway's message id (a resend never
doubles the report) and origin ``sms``; it keeps the message as an :class:`InboundSms` (unique
on the gateway's message id: the same message again is answered the same way and stores
nothing new) and writes the reply into the outbox, urgent (a reply is not held by quiet hours
or the daily cap), in the worker's language. Errors (unknown number, unknown keyword, bad
number, a place outside his district, a task fed by its records, consent withdrawn) store
nothing but the message, and the reply says what is wrong.

A message that is only a stop word (:data:`tasks17.models.SMS_STOP_WORDS`: ``STOP``, ``रोकें``,
``रोको``, ``बंद``; case ignored, with or without the prefix, e.g. ``SEVA STOP``) withdraws
consent, from anybody, a portal user or not (:func:`_stop`): every donor with the sender's
number is opted out (``donor_opt_out``), every worker with it stops being contacted
(``worker_consent_withdraw``), both with a consent record of channel ``sms``, and the reply
(kind ``outbox.STOP_CONFIRMATION_KIND``, the one kind the outbox writes to somebody who has
withdrawn) confirms it in his language. Sent again, it changes and records nothing. A number
nobody has is only stored (outcome ``stop_unknown``) and told so.
"""

from __future__ import annotations

import re
import time
import unicodedata
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override
from phonenumber_field.phonenumber import to_python

from seva.geo.models import AssemblySeat, Booth
from seva.people.models import Worker
from seva.people.services import worker_consent_withdraw
from seva.privacy.choices import ConsentChannel
from tasks17.choices import ActivityOrigin
from tasks17.models import SMS_PREFIXES, SMS_STOP_WORDS, Donor, Metric, Task, normalise_sms_keyword
from tasks17.records.services.donors import donor_opt_out
from tasks17.services import ReportInvalid, activity_submit_or_get

from . import outbox, recipients
from .inbound_models import InboundOutcome, InboundSms

SMS_GATEWAY_USERNAME = "sms-gateway"
# client_uuid = uuid5(this, "sms:<gateway message id>"): the same message, the same report.
CLIENT_UUID_NAMESPACE = uuid.UUID("5e7a0c1e-3b7d-4c55-9a51-0b5e2a1d5e11")
REPLY_KIND = "sms_reply"

_HINDI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_SEPARATORS = re.compile(r"[\s,;:=]+")
_NUMBER = re.compile(r"[0-9]+")
_PLACE = re.compile(r"([0-9]+)[-/.]([0-9]+)")


class Refusal(Exception):
    """Why a message is not recorded: its outcome and a builder of the reply (run in the
    worker's language)."""

    def __init__(self, outcome: str, text: str, **params: Any) -> None:
        super().__init__(text)
        self.outcome = outcome
        self.text = text
        self.params = params

    def reply(self) -> str:
        return _("Seva: not recorded. %(why)s") % {"why": _(self.text) % self.params}


# The replies' texts, marked for translation here and translated when the reply is built.
UNKNOWN_PHONE = gettext_noop("This number is not registered as an active worker: ask your coordinator.")
NO_CONSENT = gettext_noop("You have withdrawn consent to be contacted: ask your coordinator.")
BAD_FORMAT = gettext_noop("Send SEVA, a keyword and a number, e.g. SEVA MASKS 500 182-45.")
UNKNOWN_KEYWORD = gettext_noop("Unknown keyword %(word)s. Example: SEVA MASKS 500.")
NEEDS_NUMBER = gettext_noop("After %(word)s send a whole number, e.g. %(word)s 500.")
STRAY_NUMBER = gettext_noop("The number %(number)s follows no keyword.")
TWICE = gettext_noop("%(word)s is given twice.")
TWO_TASKS = gettext_noop("One task per SMS: send %(word)s in another SMS.")
PLACE_LAST = gettext_noop("Give the place last: seat-booth, e.g. 182-45.")
NO_SEAT = gettext_noop("There is no assembly seat %(seat)s.")
SEAT_ELSEWHERE = gettext_noop("Seat %(seat)s is not in your district.")
NO_BOOTH = gettext_noop("Seat %(seat)s has no booth %(booth)s.")
RECORD_FED = gettext_noop("%(word)s is counted from its records, not by SMS.")
OPTED_OUT = gettext_noop(
    "Seva: you will get no more messages from us. To get them again, tell your district office or helpline."
)
STOP_UNKNOWN = gettext_noop("Seva: this number is not on our lists; we send it no messages.")


@dataclass
class Parsed:
    """What a message asks to record: the task, its numbers by metric, and the place named
    (seat number, booth number), if any."""

    task: Task
    values: list[tuple[Metric, int]] = field(default_factory=list)
    seat: int | None = None
    booth: int | None = None
    first_word: str = ""


def normalise_text(text: str) -> str:
    """NFC, Hindi digits as ASCII, no zero-width joiners, collapsed spaces."""
    text = unicodedata.normalize("NFC", text or "").translate(_HINDI_DIGITS)
    text = text.replace("\u200c", "").replace("\u200d", "").replace("\ufeff", "")
    return " ".join(text.split())


# The catalogue's keywords, read once a ``KEYWORDS_SECONDS`` per process (a gateway posts a
# hundred a second; the catalogue changes a few times a campaign): a keyword set in the admin
# works within that time.
KEYWORDS_SECONDS = 30
_catalogue: dict[str, Any] = {"at": -1.0, "words": {}, "metrics": {}, "seats": {}}
_gateway: dict[str, Any] = {}


def forget() -> None:
    """Read the keywords and the gateway's user again at the next message (tests; after an
    import of the catalogue)."""
    _catalogue["at"] = -1.0
    _gateway.clear()


def _keywords() -> tuple[dict[str, Task | Metric], dict[int, list[Metric]]]:
    """Every SMS keyword of the catalogue (either language, upper case) -> its task or metric,
    and each task's active metrics in their order."""
    now = time.monotonic()
    if _catalogue["at"] >= 0 and now - _catalogue["at"] < KEYWORDS_SECONDS:
        return _catalogue["words"], _catalogue["metrics"]
    words: dict[str, Task | Metric] = {}
    metrics: dict[int, list[Metric]] = {}
    for metric in Metric.objects.select_related("task").order_by("task", "position", "code"):
        if metric.is_active:
            metrics.setdefault(metric.task_id, []).append(metric)
        for word in (metric.sms_keyword, metric.sms_keyword_hi):
            if word:
                words[normalise_sms_keyword(word)] = metric
    for task in Task.objects.filter(~Q(sms_keyword="") | ~Q(sms_keyword_hi="")):
        for word in (task.sms_keyword, task.sms_keyword_hi):
            if word:
                words[normalise_sms_keyword(word)] = task
    seats = {seat.number: seat for seat in AssemblySeat.objects.all()}
    _catalogue.update(at=now, words=words, metrics=metrics, seats=seats)
    return words, metrics


def _seat(number: int) -> AssemblySeat | None:
    """The assembly seat of that number (the state's 243, read with the keywords)."""
    _keywords()
    return _catalogue["seats"].get(number)


def parse(text: str) -> Parsed:
    """Read a report from ``text`` (see the module's docstring); raise :class:`Refusal`."""
    tokens = [token for token in _SEPARATORS.split(normalise_text(text)) if token]
    if not tokens or normalise_sms_keyword(tokens[0]) not in SMS_PREFIXES:
        raise Refusal(InboundOutcome.BAD_FORMAT, BAD_FORMAT)
    tokens = tokens[1:]
    if not tokens:
        raise Refusal(InboundOutcome.BAD_FORMAT, BAD_FORMAT)
    keywords, task_metrics = _keywords()
    parsed: Parsed | None = None
    seen: dict[int, str] = {}

    def add(word: str, metric: Metric, number: int) -> None:
        nonlocal parsed
        if parsed is None:
            parsed = Parsed(task=metric.task, first_word=word)
        elif metric.task_id != parsed.task.pk:
            raise Refusal(InboundOutcome.BAD_FORMAT, TWO_TASKS, word=word)
        if metric.pk in seen:
            raise Refusal(InboundOutcome.BAD_FORMAT, TWICE, word=word)
        seen[metric.pk] = word
        parsed.values.append((metric, number))

    index = 0
    while index < len(tokens):
        token = tokens[index]
        last = index == len(tokens) - 1
        place = _PLACE.fullmatch(token)
        if place or _NUMBER.fullmatch(token):
            if parsed is None or not last:
                if place:
                    raise Refusal(InboundOutcome.BAD_FORMAT, PLACE_LAST if parsed else BAD_FORMAT)
                raise Refusal(InboundOutcome.BAD_NUMBER, STRAY_NUMBER, number=token)
            if place:
                parsed.seat, parsed.booth = int(place.group(1)), int(place.group(2))
            else:
                parsed.seat = int(token)
            break
        word = normalise_sms_keyword(token)
        entry = keywords.get(word)
        if entry is None:
            raise Refusal(InboundOutcome.UNKNOWN_KEYWORD, UNKNOWN_KEYWORD, word=token[:20])
        following = tokens[index + 1 : index + 2]
        if isinstance(entry, Metric):
            if not following or not _NUMBER.fullmatch(following[0]):
                raise Refusal(InboundOutcome.BAD_NUMBER, NEEDS_NUMBER, word=token[:20])
            add(word, entry, int(following[0]))
            index += 2
            continue
        metrics = task_metrics.get(entry.pk, [])
        numbers = []
        for candidate in tokens[index + 1 : index + 1 + len(metrics)]:
            if not _NUMBER.fullmatch(candidate):
                break
            numbers.append(int(candidate))
        if not numbers:
            if not metrics and parsed is None:
                parsed = Parsed(task=entry, first_word=word)
                index += 1
                continue
            raise Refusal(InboundOutcome.BAD_NUMBER, NEEDS_NUMBER, word=token[:20])
        for metric, number in zip(metrics, numbers, strict=False):
            add(word, metric, number)
        index += 1 + len(numbers)
    if parsed is None:
        raise Refusal(InboundOutcome.BAD_FORMAT, BAD_FORMAT)
    return parsed


@dataclass
class Answer:
    """What the gateway is told: the reply (also written into the outbox) and the status."""

    reply: str
    status: str
    sms: InboundSms | None = None

    def as_json(self) -> dict[str, str]:
        return {"reply": self.reply, "status": self.status}


def client_uuid_for(message_id: str) -> uuid.UUID:
    return uuid.uuid5(CLIENT_UUID_NAMESPACE, f"sms:{message_id}")


def gateway_user() -> Any:
    """The system user SMS reports are "reported by" (made by notify's migration 0003; made
    here too for a database flushed since). Looked up once per process."""
    user = _gateway.get("user")
    if user is None:
        user, _created = get_user_model().objects.get_or_create(
            username=SMS_GATEWAY_USERNAME,
            defaults={"first_name": "SMS", "last_name": "gateway", "is_active": False, "password": "!"},
        )
        _gateway["user"] = user
    return user


_INDIAN_MOBILE = re.compile(r"(?:\+?91|0)?([6-9][0-9]{9})")


def phone_e164(phone: str) -> str:
    """``phone`` in any common form (``+91…``, ``91…``, ``0…``, ten digits; spaces and dashes
    ignored) as stored, E.164; ``""`` if it is no valid number. The usual forms are read by a
    pattern (a gateway posts a hundred a second); anything else by the phone-number library."""
    compact = re.sub(r"[\s().-]", "", phone or "")
    match = _INDIAN_MOBILE.fullmatch(compact)
    if match:
        return f"+91{match.group(1)}"
    number = to_python(phone, region="IN")
    if number is None or not number.is_valid():
        return ""
    return number.as_e164


def find_worker(phone: str) -> Worker | None:
    """The worker whose mobile number ``phone`` is, in any common form (:func:`phone_e164`)."""
    e164 = phone_e164(phone)
    if not e164:
        return None
    return (
        Worker.objects.select_related("district", "assembly_seat", "booth__assembly_seat")
        .filter(phone=e164)
        .first()
    )


def _place(worker: Worker, parsed: Parsed) -> tuple[AssemblySeat | None, Booth | None]:
    if parsed.seat is None:
        booth = worker.booth
        return (booth.assembly_seat if booth else worker.assembly_seat), booth
    seat = _seat(parsed.seat)
    if seat is None:
        raise Refusal(InboundOutcome.BAD_PLACE, NO_SEAT, seat=parsed.seat)
    if seat.district_id != worker.district_id:
        raise Refusal(InboundOutcome.BAD_PLACE, SEAT_ELSEWHERE, seat=parsed.seat)
    if parsed.booth is None:
        return seat, None
    booth = Booth.objects.filter(assembly_seat=seat, number=parsed.booth).first()
    if booth is None:
        raise Refusal(InboundOutcome.BAD_PLACE, NO_BOOTH, seat=parsed.seat, booth=parsed.booth)
    return seat, booth


def _confirmation(activity: Any, parsed: Parsed, seat: AssemblySeat | None, booth: Booth | None) -> str:
    numbers = ", ".join(f"{metric.unit or metric.label} {number}" for metric, number in parsed.values)
    params = {"numbers": numbers, "ref": activity.pk}
    if booth is not None:
        params |= {"booth": booth.number, "seat": seat.number if seat else booth.assembly_seat.number}
        return _("Seva: recorded %(numbers)s at booth %(booth)s (%(seat)s), ref %(ref)s") % params
    if seat is not None:
        return _("Seva: recorded %(numbers)s in seat %(seat)s, ref %(ref)s") % (
            params | {"seat": seat.number}
        )
    return _("Seva: recorded %(numbers)s in %(district)s, ref %(ref)s") % (
        params | {"district": activity.district.name}
    )


def _submit(worker: Worker, parsed: Parsed, message_id: str) -> tuple[Any, str]:
    """The report, through the one service every report goes through; its refusal as a
    :class:`Refusal` with the service's own message (already in the worker's language)."""
    if parsed.task.fed_by_records:
        raise Refusal(InboundOutcome.REFUSED, RECORD_FED, word=parsed.first_word)
    seat, booth = _place(worker, parsed)
    try:
        activity, _created = activity_submit_or_get(
            by=gateway_user(),
            reporter_worker=worker,
            task=parsed.task,
            district=worker.district,
            date=timezone.localdate(),
            values={metric.code: number for metric, number in parsed.values},
            client_uuid=client_uuid_for(message_id),
            assembly_seat=seat,
            mandal=booth.mandal if booth is not None else None,
            booth=booth,
            origin=ActivityOrigin.SMS,
        )
    except ValidationError as error:
        raise Refusal(InboundOutcome.REFUSED, "%(why)s", why=_first_message(error)) from error
    return activity, _confirmation(activity, parsed, seat, booth)


def _first_message(error: ValidationError) -> str:
    if isinstance(error, ReportInvalid) and error.metric_errors:
        return str(next(iter(error.metric_errors.values()))[0])
    if hasattr(error, "message_dict"):
        for name, messages in error.message_dict.items():
            if name != "__metric_errors__" and messages:
                return str(messages[0])
    return str(error.messages[0]) if error.messages else ""


def receive(*, message_id: str, phone: str, text: str) -> Answer:
    """Handle one SMS from the gateway (see the module's docstring). Idempotent on
    ``message_id``."""
    stored = InboundSms.objects.filter(message_id=message_id).order_by().first()
    if stored is not None:
        return Answer(stored.reply, stored.status, stored)
    try:
        with transaction.atomic():
            return _receive(message_id, phone, text)
    except IntegrityError:
        # The same message posted twice at once: the other copy is stored; answer as it did.
        stored = InboundSms.objects.filter(message_id=message_id).first()
        if stored is None:
            raise
        return Answer(stored.reply, stored.status, stored)


def accept(*, message_id: str, phone: str, text: str) -> Answer:
    """Keep the message and have a Celery worker read it (``SMS_INBOUND_ASYNC``): the gateway
    is answered after one insert, whatever the load, and the report and the reply follow
    within a second or so. The same message id again is answered as the first was."""
    from .tasks import read_inbound_sms  # the tasks module imports this one

    sms, created = InboundSms.objects.get_or_create(
        message_id=message_id,
        defaults={"phone": phone[:32], "text": text[:1600], "outcome": InboundOutcome.RECEIVED},
    )
    if created:
        transaction.on_commit(lambda: _hand_over(read_inbound_sms, sms.pk))
    return Answer(sms.reply, sms.status, sms)


def _hand_over(task: Any, pk: int) -> None:
    try:
        task.delay(pk)
    except Exception:
        if task.app.conf.task_always_eager:
            raise


def read(pk: int) -> Answer | None:
    """Read a message :func:`accept` kept: the report, the outcome and the reply, once (the
    row is locked, and a message already read is left alone)."""
    with transaction.atomic():
        sms = InboundSms.objects.select_for_update().filter(pk=pk, outcome=InboundOutcome.RECEIVED).first()
        if sms is None:
            return None
        return _receive_into(sms)


def unread(*, older_than_seconds: int = 60) -> list[int]:
    """Messages accepted but still unread after a while (the broker was down): their ids."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    return list(
        InboundSms.objects.filter(outcome=InboundOutcome.RECEIVED, received_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:5000]
    )


def _receive(message_id: str, phone: str, text: str) -> Answer:
    return _receive_into(InboundSms(message_id=message_id, phone=phone[:32], text=text[:1600]))


def is_stop(text: str) -> bool:
    """Whether ``text`` is only a stop word, with or without the prefix (``STOP``, ``stop.``,
    ``SEVA STOP``, ``सेवा बंद``)."""
    tokens = [normalise_sms_keyword(token.strip(".!?")) for token in _SEPARATORS.split(normalise_text(text))]
    tokens = [token for token in tokens if token]
    if tokens and tokens[0] in SMS_PREFIXES:
        tokens = tokens[1:]
    return len(tokens) == 1 and tokens[0] in SMS_STOP_WORDS


def _stop(sms: InboundSms) -> Answer:
    """The sender withdraws his consent (see the module's docstring): whoever has his number,
    a worker, a donor or both, active or not."""
    e164 = phone_e164(sms.phone)
    workers = list(Worker.objects.filter(phone=e164).order_by("pk")) if e164 else []
    donors = list(Donor.objects.filter(phone=e164).order_by("pk")) if e164 else []
    if not workers and not donors:
        sms.outcome = InboundOutcome.STOP_UNKNOWN
        recipient = recipients.from_phone(sms.phone, language="hi")
        return _write_reply(sms, recipient, outbox.message("hi", lambda: _(STOP_UNKNOWN)), REPLY_KIND)
    workers = [worker_consent_withdraw(worker=worker, channel=ConsentChannel.SMS) for worker in workers]
    donors = [donor_opt_out(by=None, donor=donor, channel=ConsentChannel.SMS) for donor in donors]
    if workers:
        sms.worker, sms.district_id = workers[0], workers[0].district_id
        recipient = recipients.from_worker(workers[0])
    else:
        sms.district_id = donors[0].district_id
        recipient = recipients.from_donor(donors[0])
    sms.outcome = InboundOutcome.OPTED_OUT
    reply = outbox.message(recipient.language, lambda: _(OPTED_OUT))
    return _write_reply(sms, recipient, reply, outbox.STOP_CONFIRMATION_KIND)


def _receive_into(sms: InboundSms) -> Answer:
    message_id, phone, text = sms.message_id, sms.phone, sms.text
    if is_stop(text):
        return _stop(sms)
    worker = find_worker(phone)
    if worker is None or not worker.is_active:
        language = worker.language if worker is not None else "hi"
        recipient = recipients.from_phone(phone, language=language)
        sms.worker = worker
        return _answer(sms, recipient, refusal=Refusal(InboundOutcome.UNKNOWN_PHONE, UNKNOWN_PHONE))
    sms.worker, sms.district_id = worker, worker.district_id
    recipient = recipients.from_worker(worker)
    with override(worker.language):
        try:
            if not worker.consent_to_contact:
                raise Refusal(InboundOutcome.NO_CONSENT, NO_CONSENT)
            parsed = parse(text)
            activity, reply = _submit(worker, parsed, message_id)
        except Refusal as refusal:
            return _answer(sms, recipient, refusal=refusal)
    sms.activity = activity
    return _answer(sms, recipient, reply=reply)


def _answer(
    sms: InboundSms, recipient: recipients.Recipient, *, reply: str = "", refusal: Refusal | None = None
) -> Answer:
    if refusal is not None:
        sms.outcome = InboundOutcome(refusal.outcome)
        reply = outbox.message(recipient.language, refusal.reply)
    else:
        sms.outcome = InboundOutcome.RECORDED
    return _write_reply(sms, recipient, reply, REPLY_KIND)


def _write_reply(sms: InboundSms, recipient: recipients.Recipient, reply: str, kind: str) -> Answer:
    sms.reply = reply
    sms.language = recipient.language
    # Last, in the same transaction as the report and the reply: a twin of this message
    # posted at the same moment meets the unique key here, and everything it wrote is undone
    # (its report was this one's anyway: the same client_uuid).
    sms.save()
    outbox.write(
        [outbox.Draft(recipient, kind=kind, about=sms.message_id, body=reply, urgent=True, channel="sms")]
    )
    return Answer(reply, sms.status, sms)
