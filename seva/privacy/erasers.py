"""The erasers: one function per group of tables, each anonymising what it holds of one person
(``Person``) and returning how many rows it changed. ``ERASERS`` is the list ``person_erase``
runs, in order, in one transaction; a new app with personal data adds its eraser here (the
access log's is ``erase_access_log``, through ``seva.audit.services.access_forget``).

Every eraser keeps the rows: figures, dashboards and counts stay the same. Names become
``ERASED_NAME``; a phone column becomes ``erased-<kind><id>`` where it is unique (one
placeholder per row) and ``ERASED_PHONE`` elsewhere; notes that may carry the person's data
are cleared. The history rows (django-simple-history) of every changed row are changed the
same way, found through the model's ``history`` manager, so a model given a history later is
covered without a change here. The last eraser, ``sweep``, looks at every text and JSON
column of every model (history models included) for the number in any stored spelling, and at
the free-text columns for the person's names, and replaces what it finds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from django.apps import apps
from django.db import models
from django.db.models import CharField, Q, TextField, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from seva.audit.choices import SubjectKind
from seva.audit.services import access_forget, person_key

from .choices import ConsentSubject
from .models import ConsentRecord

# What an erased name reads, in both of the portal's languages (the row is read in either).
ERASED_NAME = "मिटाया गया (erased)"
# A non-number in place of a phone where the column is not unique (it parses as no number).
ERASED_PHONE = "erased"
# What replaces the number or the name inside a longer text.
ERASED_TEXT = "[erased]"

# Columns whose text a person types freely (may carry a name): the sweep looks there for names.
FREE_TEXT_NAMES = {
    "notes",
    "note",
    "details",
    "body",
    "text",
    "reply",
    "subject",
    "topics",
    "follow_ups",
    "rejection_reason",
    "withdrawal_reason",
    "history_change_reason",
    "last_error",
}
# The outbox kind of the message that hands a help request to a worker (with the caller's
# number where he agreed): ``seva.notify.rules.assignment``.
ASSIGNMENT_KIND = "assignment"
# Names shorter than this are not looked for inside other texts (too many false matches).
MIN_NAME_LENGTH = 5


@dataclass
class Person:
    """One person, known by a mobile number: its spellings, and (after :meth:`find`) the rows
    that are his and the names he went by."""

    e164: str
    national: str
    worker_ids: list[int] = field(default_factory=list)
    donor_ids: list[int] = field(default_factory=list)
    request_ids: list[int] = field(default_factory=list)
    names: set[str] = field(default_factory=set)

    @classmethod
    def from_phone(cls, phone: str) -> Person:
        from .services import phone_is_valid

        phone_is_valid(phone)
        number = phonenumbers.parse(str(phone), "IN")
        return cls(
            e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
            national=str(number.national_number),
        )

    @property
    def spellings(self) -> list[str]:
        """How the number may be stored: E.164, with 91 or 0 before it, or its 10 digits."""
        return [self.e164, "91" + self.national, "0" + self.national, self.national]

    @property
    def masked(self) -> str:
        return "•••••••" + self.national[-3:]

    def find(self) -> None:
        """Collect the person's rows (current and historical) and every name they carry."""
        Worker = apps.get_model("people", "Worker")
        Donor = apps.get_model("tasks17", "Donor")
        HelpRequest = apps.get_model("helplines", "HelpRequest")
        self.worker_ids = _ids_with(Worker, phone=self.e164)
        self.donor_ids = _ids_with(Donor, phone=self.e164)
        self.request_ids = _ids_with(HelpRequest, caller_phone=self.e164)
        self.names |= _values(Worker, self.worker_ids, "name")
        self.names |= _values(Donor, self.donor_ids, "name")
        self.names |= _values(HelpRequest, self.request_ids, "caller_name")
        DonationCamp = apps.get_model("tasks17", "DonationCamp")
        self.names |= set(
            DonationCamp.objects.filter(organiser_phone=self.e164).values_list("organiser", flat=True)
        )
        self.names = {name.strip() for name in self.names if name and name.strip() and name != ERASED_NAME}

    def name_needles(self) -> list[str]:
        """The names worth looking for inside other texts, longest first, with their JSON
        spelling (``\\u`` escapes) where it differs."""
        found: set[str] = set()
        for name in self.names:
            if len(name) >= MIN_NAME_LENGTH:
                found.add(name)
                found.add(json.dumps(name)[1:-1])
        return sorted(found, key=len, reverse=True)


def history_model(model: type[models.Model]) -> type[models.Model] | None:
    """The django-simple-history model of ``model``, if it has one."""
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None)


def _ids_with(model: type[models.Model], **lookup: Any) -> list[int]:
    """Ids of the rows matching ``lookup`` now or in any historical version."""
    ids = set(model._base_manager.filter(**lookup).values_list("pk", flat=True))
    history = history_model(model)
    if history is not None:
        ids |= set(history.objects.filter(**lookup).values_list("id", flat=True))
        # A historical row of a deleted object has no current row: nothing else to change.
    return sorted(ids)


def _values(model: type[models.Model], ids: list[int], name: str) -> set[str]:
    values = set(model._base_manager.filter(pk__in=ids).values_list(name, flat=True))
    history = history_model(model)
    if history is not None:
        values |= set(history.objects.filter(id__in=ids).values_list(name, flat=True))
    return values


def _with_history(model: type[models.Model], ids: Iterable[int], **values: Any) -> int:
    """Update the rows ``ids`` of ``model`` and all their history rows; the rows changed."""
    ids = list(ids)
    if not ids:
        return 0
    changed = model._base_manager.filter(pk__in=ids).update(**values)
    history = history_model(model)
    if history is not None:
        changed += history.objects.filter(id__in=ids).update(**values)
    return changed


def _unique_placeholder(prefix: str) -> Concat:
    """``erased-w12``: unique per row, no digits of anybody's number, fits 16 characters."""
    return Concat(Value(f"erased-{prefix}"), Cast("id", CharField(max_length=20)), output_field=CharField())


# --- the erasers -------------------------------------------------------------------------------


def erase_workers(person: Person) -> int:
    """Workers with the number: name, phone, e-mail."""
    Worker = apps.get_model("people", "Worker")
    return _with_history(
        Worker, person.worker_ids, name=ERASED_NAME, phone=_unique_placeholder("w"), email=""
    )


def erase_donors(person: Person) -> int:
    """Donors with the number: name, phone, notes."""
    Donor = apps.get_model("tasks17", "Donor")
    return _with_history(Donor, person.donor_ids, name=ERASED_NAME, phone=_unique_placeholder("d"), notes="")


def help_requests_anonymise(ids: list[int]) -> int:
    """The caller's and the patient's details of the help requests ``ids``: names, phone, the
    request's details and the notes on its timeline, in the rows and their history; and the
    messages that carried the caller's number (an assignment, where he agreed to share it)."""
    HelpRequest = apps.get_model("helplines", "HelpRequest")
    RequestEvent = apps.get_model("helplines", "RequestEvent")
    Notification = apps.get_model("notify", "Notification")
    if not ids:
        return 0
    keys = _assignment_keys(ids)
    # The access log keeps that the requests were opened, not whose they were.
    callers = HelpRequest._base_manager.filter(pk__in=ids).values_list("caller_phone", flat=True)
    changed = access_forget(
        keys={person_key(phone) for phone in callers},
        subjects=[(SubjectKind.HELP_REQUEST, pk) for pk in ids],
    )
    changed += _with_history(HelpRequest, ids, caller_name=ERASED_NAME, caller_phone=ERASED_PHONE, details="")
    # The patient's name only where one was given (an empty one stays empty).
    patient = {"patient_name": ERASED_NAME}
    HelpRequest._base_manager.filter(pk__in=ids).exclude(patient_name="").update(**patient)
    history = history_model(HelpRequest)
    if history is not None:
        history.objects.filter(id__in=ids).exclude(patient_name="").update(**patient)
    changed += RequestEvent._base_manager.filter(request_id__in=ids).exclude(note="").update(note="")
    if keys:
        changed += Notification._base_manager.filter(dedup_key__in=keys).update(body=ERASED_TEXT)
    return changed


def _assignment_keys(ids: list[int]) -> list[str]:
    """The dedup keys of the assignment messages of the requests ``ids``. Only the assignment
    rule (``seva.notify.rules.assignment``) puts a caller's number in a message; its key is
    ``assignment:w<worker>:<reference>:event<event>`` (the outbox's ``Draft.dedup_key``), so the
    messages are found through the outbox's unique index instead of by reading every message
    (the retention test fails if that format changes). Any other message carrying the number is
    found by ``sweep`` when a person is erased."""
    RequestEvent = apps.get_model("helplines", "RequestEvent")
    events = RequestEvent._base_manager.filter(request_id__in=ids, kind="assigned").values_list(
        "pk", "data", "request__reference"
    )
    return [
        f"{ASSIGNMENT_KIND}:w{data['worker']}:{reference}:event{pk}"
        for pk, data, reference in events
        if isinstance(data, dict) and data.get("worker")
    ]


def erase_help_requests(person: Person) -> int:
    """Help requests the person called in (as caller, with his patient's details)."""
    return help_requests_anonymise(person.request_ids)


def expired_help_requests(cutoff: Any) -> Any:
    """Closed help requests closed before ``cutoff`` whose caller is not yet anonymised."""
    from helplines.choices import OPEN_STATUSES

    HelpRequest = apps.get_model("helplines", "HelpRequest")
    return (
        HelpRequest._base_manager.filter(resolved_at__lt=cutoff)
        .exclude(status__in=OPEN_STATUSES)
        .exclude(caller_name=ERASED_NAME)
        .order_by("pk")
    )


def erase_camp_organisers(person: Person) -> int:
    """Donation camps the person organised: the organiser's name and number."""
    DonationCamp = apps.get_model("tasks17", "DonationCamp")
    ids = _ids_with(DonationCamp, organiser_phone=person.e164)
    return _with_history(DonationCamp, ids, organiser=ERASED_NAME, organiser_phone="")


def erase_notifications(person: Person) -> int:
    """Messages to the person (to his number, or to his worker or donor row): recipient's name,
    address, subject and text; the dedup key, which may carry the number, becomes
    ``erased:<id>``. Messages to others that carry his number are swept later."""
    Notification = apps.get_model("notify", "Notification")
    to_him = (
        Q(address__in=person.spellings)
        | Q(worker_id__in=person.worker_ids)
        | Q(donor_id__in=person.donor_ids)
    )
    return Notification._base_manager.filter(to_him).update(
        name=ERASED_NAME,
        address="",
        subject="",
        body=ERASED_TEXT,
        dedup_key=Concat(Value("erased:"), Cast("id", CharField(max_length=20)), output_field=CharField()),
    )


def erase_inbound_sms(person: Person) -> int:
    """SMS from the number (as the gateway spelled it) or from his worker row: number, text and
    the reply (which may name him)."""
    InboundSms = apps.get_model("notify", "InboundSms")
    from_him = Q(phone__in=person.spellings) | Q(worker_id__in=person.worker_ids)
    return InboundSms._base_manager.filter(from_him).update(phone=ERASED_PHONE, text="", reply="")


def erase_consent_records(person: Person) -> int:
    """Consent records keep that a consent was given or withdrawn, not whose: detached."""
    whose = (
        Q(subject_kind=ConsentSubject.WORKER, subject_id__in=person.worker_ids)
        | Q(subject_kind=ConsentSubject.DONOR, subject_id__in=person.donor_ids)
        | Q(subject_kind=ConsentSubject.CALLER, subject_id__in=person.request_ids)
    )
    return ConsentRecord.objects.filter(whose).update(subject_id=None)


def _text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, (CharField, TextField, models.JSONField)) and not f.choices and not f.primary_key
    ]


def _replace(value: Any, patterns: list[re.Pattern]) -> Any:
    """``value`` (text, or JSON: lists, dicts, strings) with every pattern replaced."""
    if isinstance(value, str):
        for pattern in patterns:
            value = pattern.sub(ERASED_TEXT, value)
        return value
    if isinstance(value, list):
        return [_replace(item, patterns) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, patterns) for key, item in value.items()}
    return value


def sweep(person: Person) -> int:
    """Every text and JSON column of every model (history models included): the number in any
    of its spellings, anywhere, and the person's names in free-text columns and JSON, replaced
    by ``ERASED_TEXT``. A unique column holding the number becomes ``erased-<id>``."""
    phone_pattern = re.compile(r"(?:\+?91[\s-]?|0)?" + re.escape(person.national))
    names = person.name_needles()
    name_patterns = [re.compile(re.escape(name), re.IGNORECASE) for name in names]
    changed = 0
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = _text_fields(model)
        if not fields:
            continue
        query, annotations = Q(), {}
        for f in fields:
            column = f.name
            if isinstance(f, models.JSONField):
                column = f"_privacy_{f.name}"
                annotations[column] = Cast(f.name, TextField())
            query |= Q(**{f"{column}__contains": person.national})
            if names and (isinstance(f, (TextField, models.JSONField)) or f.name in FREE_TEXT_NAMES):
                for name in names:
                    query |= Q(**{f"{column}__icontains": name})
        rows = (
            model._base_manager.annotate(**annotations).filter(query)
            if annotations
            else model._base_manager.filter(query)
        )
        pk = model._meta.pk.attname
        for row in rows.values(pk, *(f.attname for f in fields)):
            changes = {}
            for f in fields:
                value = row[f.attname]
                if value in (None, ""):
                    continue
                patterns = [phone_pattern]
                if isinstance(f, (TextField, models.JSONField)) or f.name in FREE_TEXT_NAMES:
                    patterns += name_patterns
                new = _replace(value if not hasattr(value, "as_e164") else str(value), patterns)
                if new == value:
                    continue
                if f.unique:
                    new = f"erased-{row[pk]}"
                if isinstance(new, str) and f.max_length:
                    new = new[: f.max_length]
                changes[f.attname] = new
            if changes:
                changed += model._base_manager.filter(**{pk: row[pk]}).update(**changes)
    return changed


def erase_access_log(person: Person) -> int:
    """The access log (``seva.audit``): its events about the person (by the key of his number,
    or by his worker and donor records) keep that a view happened, when and by whom, not whose
    data it was. His help requests' events went with ``help_requests_anonymise``."""
    subjects = [(SubjectKind.WORKER, pk) for pk in person.worker_ids]
    subjects += [(SubjectKind.DONOR, pk) for pk in person.donor_ids]
    return access_forget(keys=[person_key(person.e164)], subjects=subjects)


Eraser = Callable[[Person], int]

# (label, eraser), run in this order; ``sweep`` last, to catch what the others do not know.
ERASERS: list[tuple[Any, Eraser]] = [
    (_("workers"), erase_workers),
    (_("donors"), erase_donors),
    (_("help requests"), erase_help_requests),
    (_("donation camps"), erase_camp_organisers),
    (_("messages"), erase_notifications),
    (_("SMS received"), erase_inbound_sms),
    (_("consent records"), erase_consent_records),
    (_("access log"), erase_access_log),
    (_("other texts"), sweep),
]
