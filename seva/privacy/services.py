"""Writes about personal data: recording a consent, erasing a person, and the retention of
callers' and patients' details.

``consent_record`` is called by the services that set or take back a consent (a worker's in
``seva/people/services.py``, a donor's in ``tasks17/records/services/donors.py``, a caller's in
``helplines/services.py``), in their transaction. It imports nothing above ``seva.people``, so
those apps may call it.

``person_erase`` runs the erasers of ``seva/privacy/erasers.py`` (one function per group of
tables) in one transaction. The erasers reach the other apps' models through the app registry,
so this module stays importable from below.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ConsentChannel, ConsentPurpose, ConsentSubject
from .models import ConsentRecord, PrivacyNotice

logger = logging.getLogger(__name__)

ERASE_PERMISSION = "privacy.erase_person"


# --- consent ---------------------------------------------------------------------------------


def consent_record(
    *,
    kind: ConsentSubject | str,
    subject_id: int,
    purpose: ConsentPurpose | str,
    given: bool,
    by: Any = None,
    channel: ConsentChannel | str = ConsentChannel.PORTAL,
    at: Any = None,
) -> ConsentRecord:
    """Record that the person ``kind``/``subject_id`` gave (``given``) or withdrew consent for
    ``purpose``, under the privacy notice in force, recorded by ``by`` (a user; ``None`` for the
    system, e.g. an SMS) through ``channel``. ``at`` defaults to now. Call it inside the
    transaction that changes the person's consent field, so both are kept or neither."""
    record = ConsentRecord(
        subject_kind=ConsentSubject(kind),
        subject_id=subject_id,
        purpose=ConsentPurpose(purpose),
        notice=PrivacyNotice.objects.current(),
        given=bool(given),
        at=at or timezone.now(),
        recorded_by=by if getattr(by, "pk", None) else None,
        channel=ConsentChannel(channel),
    )
    record.full_clean()
    record.save()
    return record


def consent_record_many(
    *,
    kind: ConsentSubject | str,
    purpose: ConsentPurpose | str,
    given: dict[int, bool],
    by: Any = None,
    at: Any = None,
) -> int:
    """``consent_record`` for many people of one kind at once (a spreadsheet's rows):
    ``given`` maps each person's id to given (``True``) or withdrawn (``False``). One query for
    the notice and one INSERT, inside the caller's transaction. Returns how many were written."""
    if not given:
        return 0
    notice = PrivacyNotice.objects.current()
    when = at or timezone.now()
    recorder = by if getattr(by, "pk", None) else None
    rows = [
        ConsentRecord(
            subject_kind=ConsentSubject(kind),
            subject_id=pk,
            purpose=ConsentPurpose(purpose),
            notice=notice,
            given=bool(value),
            at=when,
            recorded_by=recorder,
            channel=ConsentChannel.PORTAL,
        )
        for pk, value in given.items()
    ]
    ConsentRecord.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


# --- erasure ---------------------------------------------------------------------------------


@dataclass
class ErasureReport:
    """What ``person_erase`` changed: rows per group of tables (``counts``), the number of
    distinct names found for the number, and whether it was a dry run (nothing kept)."""

    phone_masked: str
    dry_run: bool
    names_found: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def lines(self) -> list[str]:
        return [f"{label}: {count}" for label, count in self.counts.items()]


class _DryRun(Exception):
    """Raised inside the erasure's transaction to undo it after counting."""


def person_erase(*, phone: str, by: Any = None, dry_run: bool = False) -> ErasureReport:
    """Anonymise the person known by the mobile number ``phone`` in every table: workers,
    donors, help requests (as caller), camp organisers, messages to the number, SMS from it,
    consent records, the history rows of all of these, and any other text column that carries
    the number (the last eraser sweeps every model). Rows are kept (counts and dashboards do
    not change); names become ``ERASED_NAME``, phones a placeholder, notes that may carry the
    person's data are cleared. One transaction: all of it or none. ``by`` must have the
    ``privacy.erase_person`` permission (``None``: the command line). With ``dry_run`` the same
    work is done and rolled back, so the counts are exactly what would change.

    A number that is not an Indian mobile is a ``ValidationError`` on ``phone``."""
    from . import erasers  # the erasers reach every app; imported late (this module is low)

    if by is not None and not by.has_perm(ERASE_PERMISSION):
        raise PermissionDenied(_("Only the state admin erases a person's data."))
    person = erasers.Person.from_phone(phone)
    report = ErasureReport(phone_masked=person.masked, dry_run=dry_run)
    try:
        with transaction.atomic():
            person.find()
            report.names_found = len(person.names)
            for label, eraser in erasers.ERASERS:
                report.counts[str(label)] = eraser(person)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    logger.info(
        "person_erase %s by %s%s: %s",
        person.masked,
        getattr(by, "pk", "command line"),
        " (dry run)" if dry_run else "",
        ", ".join(report.lines()),
    )
    return report


def help_requests_expire(*, now: Any = None, batch: int | None = None) -> int:
    """Anonymise the caller's and the patient's details of help requests closed more than
    ``SEVA_HELP_REQUEST_RETENTION_DAYS`` ago (names, phone, details, the timeline's notes, the
    request's history, and the messages that carried the caller's number). Batched (``batch``
    requests per transaction, ``SEVA_PRIVACY_BATCH``); a request already anonymised is not
    selected again, so a second run changes nothing. Returns the number of requests done."""
    from . import erasers

    now = now or timezone.now()
    batch = batch or settings.SEVA_PRIVACY_BATCH
    cutoff = now - datetime.timedelta(days=settings.SEVA_HELP_REQUEST_RETENTION_DAYS)
    done = 0
    while True:
        with transaction.atomic():
            ids = list(erasers.expired_help_requests(cutoff).values_list("pk", flat=True)[:batch])
            if not ids:
                break
            erasers.help_requests_anonymise(ids)
        done += len(ids)
    if done:
        logger.info("help_requests_expire: %s requests anonymised (closed before %s)", done, cutoff)
    return done


def phone_is_valid(phone: str) -> None:
    """Raise ``ValidationError`` on ``phone`` unless it is an Indian mobile number."""
    from seva.people.validators import validate_indian_mobile

    try:
        validate_indian_mobile(phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from None
