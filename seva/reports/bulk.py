"""Bulk imports of booths and workers: a file of ~1,00,000 rows checked whole, then written in
one transaction with a handful of queries (not one per row).

The path, for both kinds (``BoothImport``, ``WorkerImport``):

1. :func:`read_rows` streams the file (the ``csv`` module over the upload, openpyxl in
   read-only mode for XLSX), so memory stays flat whatever the file's size; the header row
   may be in English or Hindi (``COLUMNS``: every name a column is known by).
2. ``check`` loads what rows refer to once, into dicts (the 243 seats, the districts, the
   named seats' mandals and booths, the workers already registered with the file's numbers),
   checks every row and lists every bad one with its line and reason. A file with any bad row
   writes nothing.
3. ``write`` compares each row with what is stored, and writes only what is new or changed,
   in batches (``bulk_create`` with ``update_conflicts``, so a row added meanwhile by someone
   else is updated, not a crash), all in one transaction. The same file twice writes nothing
   the second time.

The management commands ``import_booths`` / ``import_workers``, the ``/imports/`` pages and
their Celery task all come here. The figures are in ``bench/README.md`` ("Issue 14: imports").
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from openpyxl import load_workbook
from phonenumber_field.phonenumber import PhoneNumber
from phonenumbers import PhoneNumberFormat

from seva.base.scoping import user_scope
from seva.base.spreadsheets import unescape_csv_cell
from seva.geo.models import AssemblySeat, Booth, District, Mandal
from seva.people.choices import BloodGroup, Language, PortalRole, WorkerRole
from seva.people.models import Worker
from seva.people.services import STATE_GIVEN_WORKER_ROLES, STATE_WIDE_ROLES, user_create

BATCH = 5000
MAX_LISTED_ERRORS = 2000  # a file with more bad rows lists the first ones and counts the rest


class ImportFileError(ValueError):
    """The file as a whole cannot be read: not CSV/XLSX, empty, columns missing or unknown."""


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class CheckResult:
    """What a check found: the rows to write (when no row is bad) and every bad row."""

    total: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    added: list[Any] = field(default_factory=list)
    changed: list[Any] = field(default_factory=list)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def error(self, line: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append(RowError(line, column, str(message)))


# ---------------------------------------------------------------------------------------------
# Reading


def _header_key(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().strip("*").strip().casefold()


def read_rows(
    stream: IO[bytes], file_format: str, columns: dict[str, tuple[str, ...]], required: Iterable[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, {column key: text})`` for each data row of ``stream`` (CSV or XLSX). The header
    row is matched against ``columns`` (key → the names it may carry, English and Hindi);
    an unknown or missing column is an :class:`ImportFileError` raised before the first row."""
    if file_format == "csv":
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
        rows: Iterator[Any] = csv.reader(text)
    elif file_format == "xlsx":
        try:
            book = load_workbook(stream, read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 (zipfile.BadZipFile, KeyError, InvalidFileException...)
            raise ImportFileError(_("This file is not a spreadsheet: upload a CSV or XLSX file.")) from None
        rows = book.worksheets[0].iter_rows(values_only=True)
    else:
        raise ImportFileError(_("Upload a CSV or XLSX file."))
    names = {_header_key(name): key for key, aliases in columns.items() for name in (key, *aliases)}
    try:
        header = next(rows)
    except StopIteration:
        raise ImportFileError(_("This file is empty.")) from None
    except (csv.Error, UnicodeError):
        raise ImportFileError(_("This file is not a readable CSV file.")) from None
    keys: list[str | None] = []
    unknown = []
    for cell in header:
        name = _header_key(cell)
        if not name:
            keys.append(None)
            continue
        if name not in names:
            unknown.append(str(cell))
        keys.append(names.get(name))
    if unknown:
        raise ImportFileError(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    missing = [key for key in required if key not in keys]
    if missing:
        raise ImportFileError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    line = 1
    try:
        for values in rows:
            line += 1
            row: dict[str, str] = {}
            for key, value in zip(keys, values, strict=False):
                if key is None or value is None:
                    continue
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                if isinstance(value, datetime.datetime):
                    value = value.date()
                text = value.isoformat() if isinstance(value, datetime.date) else str(value).strip()
                row[key] = unescape_csv_cell(text) if file_format == "csv" else text
            if any(row.values()):
                yield line, row
    except (csv.Error, UnicodeError):
        raise ImportFileError(_("This file is not a readable CSV file.")) from None


def _whole_number(text: str) -> int | None:
    text = text.replace(",", "").strip()
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdecimal() and len(text) < 10 else None


_TRUE = {"1", "yes", "true", "y", "हाँ", "हां", "x"}
_FALSE = {"", "0", "no", "false", "n", "नहीं"}


def _boolean(text: str) -> bool | None:
    value = text.strip().casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def _choice(choices: Any) -> dict[str, str]:
    """Every way a choice may be written (value, English label, Hindi label) → its value."""
    from django.utils import translation

    found: dict[str, str] = {}
    for value, label in choices.choices:
        found[str(value).casefold()] = value
        for language in ("en", "hi"):
            with translation.override(language):
                found[str(label).casefold()] = value
    return found


# ---------------------------------------------------------------------------------------------
# Kinds


class BulkImport:
    """One kind of bulk import: its columns, its check, its write."""

    kind = ""
    model: Any = None
    label: Any = ""
    columns: dict[str, tuple[str, ...]] = {}
    required: tuple[str, ...] = ()
    # False for the kinds that are only exported (districts, seats, the helplines' records).
    importable = True
    # Whether this user's export has personal data masked (set by ``export_rows``), and whether
    # such a file still imports back (activity reports: only phones inside notes are masked).
    masked = False
    masked_imports_back = False

    def __init__(self, user: Any = None) -> None:
        # ``None``: the management command, which runs for the whole state.
        self.user = user
        self.everything = user is None or user_scope(user).everything

    @classmethod
    def import_permissions(cls) -> list[str]:
        """Who may import this kind: who may add and change its model."""
        meta = cls.model._meta
        return [f"{meta.app_label}.add_{meta.model_name}", f"{meta.app_label}.change_{meta.model_name}"]

    @classmethod
    def export_permission(cls) -> str:
        meta = cls.model._meta
        return f"{meta.app_label}.view_{meta.model_name}"

    def export_rows(self, params: Any = None) -> Iterable[list[Any]]:
        """The rows of this user's export, in the columns the import reads (``params``: the
        request's query string, for the kinds that take a range)."""
        raise NotImplementedError

    def rows(self, stream: IO[bytes], file_format: str) -> Iterator[tuple[int, dict[str, str]]]:
        return read_rows(stream, file_format, self.columns, self.required)

    def check(
        self, rows: Iterable[tuple[int, dict[str, str]]], progress: Callable[[int], None] | None = None
    ) -> CheckResult:
        raise NotImplementedError

    def write(self, result: CheckResult, progress: Callable[[int], None] | None = None) -> None:
        raise NotImplementedError

    def run(self, stream: IO[bytes], file_format: str, *, dry_run: bool = False) -> CheckResult:
        """Check the file; when no row is bad and not ``dry_run``, write it, all or nothing."""
        result = self.check(self.rows(stream, file_format))
        if result.ok and not dry_run:
            self.write(result)
        return result

    def _seats(self) -> dict[int, tuple[int, int]]:
        """Seat number → (seat id, district id), the seats this user may import into."""
        seats = AssemblySeat.objects.all() if self.everything else AssemblySeat.objects.visible_to(self.user)
        return {
            number: (pk, district)
            for pk, number, district in seats.values_list("pk", "number", "district_id")
        }


class MandalImport(BulkImport):
    """Mandals by name within their seat: a row is new or already there (a mandal has no other
    field), so the same file twice adds nothing."""

    kind = "mandals"
    model = Mandal
    label = gettext_lazy("Mandals")
    columns = {
        "assembly_seat": ("assembly seat", "seat", "विधानसभा", "विधानसभा संख्या"),
        "name": ("mandal", "नाम", "मंडल"),
    }
    required = ("assembly_seat", "name")

    def check(self, rows, progress=None):  # type: ignore[no-untyped-def]
        result = CheckResult()
        seats = self._seats()
        parsed: list[tuple[int, int, str]] = []
        seen: dict[tuple[int, str], int] = {}
        for line, row in rows:
            result.total += 1
            if progress and result.total % BATCH == 0:
                progress(result.total)
            seat_text, name = row.get("assembly_seat", ""), row.get("name", "")
            seat = seats.get(_whole_number(seat_text) or -1)
            if seat is None:
                result.error(
                    line, "assembly_seat", _("No assembly seat number “%(seat)s”.") % {"seat": seat_text}
                )
                continue
            if not name or len(name) > 120:
                result.error(line, "name", _("The mandal's name is missing or too long."))
                continue
            key = (seat[0], name.casefold())
            if key in seen:
                result.error(line, "name", _("This mandal is also on line %(other)s.") % {"other": seen[key]})
                continue
            seen[key] = line
            parsed.append((line, seat[0], name))
        stored = {
            (seat, name.casefold())
            for seat, name in Mandal.objects.filter(
                assembly_seat_id__in={item[1] for item in parsed}
            ).values_list("assembly_seat_id", "name")
        }
        for _line, seat_id, name in parsed:
            if (seat_id, name.casefold()) in stored:
                result.unchanged += 1
            else:
                result.added.append(Mandal(assembly_seat_id=seat_id, name=name))
        return result

    def write(self, result, progress=None):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            Mandal.objects.bulk_create(result.added, batch_size=BATCH)
            if progress:
                progress(len(result.added))


BOOTH_FIELDS = ("name", "name_hi", "locality", "mandal_id")


class BoothImport(BulkImport):
    kind = "booths"
    model = Booth
    label = gettext_lazy("Booths")
    columns = {
        "assembly_seat": ("assembly seat", "seat", "विधानसभा", "विधानसभा संख्या"),
        "number": ("booth number", "booth", "बूथ संख्या", "बूथ"),
        "name": ("booth name", "नाम", "बूथ का नाम"),
        "name_hi": ("name (hindi)", "नाम (हिंदी)", "नाम (हिन्दी)"),
        "locality": ("इलाका", "मोहल्ला"),
        "mandal": ("मंडल",),
    }
    required = ("assembly_seat", "number", "name")

    def check(self, rows, progress=None):  # type: ignore[no-untyped-def]
        result = CheckResult()
        seats = self._seats()
        parsed: list[tuple[int, int, int, str, str, str, str]] = []
        seen: dict[tuple[int, int], int] = {}
        for line, row in rows:
            result.total += 1
            if progress and result.total % BATCH == 0:
                progress(result.total)
            seat_text = row.get("assembly_seat", "")
            number_text = row.get("number", "")
            seat_number = _whole_number(seat_text)
            if "-" in number_text and not seat_text:  # "182-45": seat and booth in one cell
                seat_text, _sep, number_text = number_text.partition("-")
                seat_number = _whole_number(seat_text)
            seat = seats.get(seat_number) if seat_number is not None else None
            bad = False
            if seat is None:
                result.error(
                    line, "assembly_seat", _("No assembly seat number “%(seat)s”.") % {"seat": seat_text}
                )
                bad = True
            number = _whole_number(number_text)
            if not number:
                result.error(line, "number", _("“%(value)s” is not a booth number.") % {"value": number_text})
                bad = True
            name = row.get("name", "")
            if not name:
                result.error(line, "name", _("The booth's name is missing."))
                bad = True
            for key, limit in (("name", 200), ("name_hi", 200), ("locality", 200)):
                if len(row.get(key, "")) > limit:
                    result.error(line, key, _("Longer than %(limit)s characters.") % {"limit": limit})
                    bad = True
            if bad:
                continue
            key = (seat[0], number)
            if key in seen:
                result.error(
                    line,
                    "number",
                    _("Booth %(number)s of seat %(seat)s is also on line %(other)s.")
                    % {"number": number, "seat": seat_number, "other": seen[key]},
                )
                continue
            seen[key] = line
            parsed.append(
                (
                    line,
                    seat[0],
                    number,
                    name,
                    row.get("name_hi", ""),
                    row.get("locality", ""),
                    row.get("mandal", ""),
                )
            )
        if not parsed:
            return result
        seat_ids = {item[1] for item in parsed}
        mandals = {
            (seat, name.casefold()): pk
            for pk, seat, name in Mandal.objects.filter(assembly_seat_id__in=seat_ids).values_list(
                "pk", "assembly_seat_id", "name"
            )
        }
        stored = {
            (seat, number): (pk, name, name_hi, locality, mandal)
            for pk, seat, number, name, name_hi, locality, mandal in Booth.objects.filter(
                assembly_seat_id__in=seat_ids
            ).values_list("pk", "assembly_seat_id", "number", "name", "name_hi", "locality", "mandal_id")
        }
        for line, seat_id, number, name, name_hi, locality, mandal_name in parsed:
            mandal_id = None
            if mandal_name:
                mandal_id = mandals.get((seat_id, mandal_name.casefold()))
                if mandal_id is None:
                    result.error(
                        line,
                        "mandal",
                        _("No mandal “%(mandal)s” in this assembly seat.") % {"mandal": mandal_name},
                    )
                    continue
            values = (name, name_hi, locality, mandal_id)
            before = stored.get((seat_id, number))
            if before is None:
                result.added.append(
                    Booth(
                        assembly_seat_id=seat_id,
                        number=number,
                        **dict(zip(BOOTH_FIELDS, values, strict=True)),
                    )
                )
            elif before[1:] != values:
                result.changed.append(
                    Booth(
                        pk=before[0],
                        assembly_seat_id=seat_id,
                        number=number,
                        **dict(zip(BOOTH_FIELDS, values, strict=True)),
                    )
                )
            else:
                result.unchanged += 1
        return result

    def write(self, result, progress=None):  # type: ignore[no-untyped-def]
        booths = result.added + result.changed
        with transaction.atomic():
            for start in range(0, len(booths), BATCH):
                Booth.objects.bulk_create(
                    booths[start : start + BATCH],
                    update_conflicts=True,
                    unique_fields=["assembly_seat", "number"],
                    update_fields=list(BOOTH_FIELDS),
                )
                if progress:
                    progress(min(start + BATCH, len(booths)))


WORKER_COMPARED = (
    "name",
    "email",
    "role",
    "district_id",
    "assembly_seat_id",
    "booth_id",
    "blood_group",
    "skills",
    "is_active",
    "consent_to_contact",
    "consent_date",
    "language",
)
_MOBILE = re.compile(r"^(?:\+?91|0)?([6-9]\d{9})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class CheckedMobile(PhoneNumber):
    """An Indian mobile already checked by :func:`indian_mobile`: the model field takes it as
    it is (no second parse, validation and formatting per row, which were most of a 1,00,000
    worker import's time)."""

    __slots__ = ()

    @classmethod
    def of(cls, e164: str) -> CheckedMobile:
        return cls(country_code=91, national_number=int(e164[3:]))

    def is_valid(self) -> bool:
        return True

    def format_as(self, fmt: Any) -> str:
        if fmt == PhoneNumberFormat.E164:
            return f"+{self.country_code}{self.national_number}"
        return super().format_as(fmt)


def indian_mobile(text: str) -> str | None:
    """``+91XXXXXXXXXX`` for an Indian mobile number however written, else ``None``. The
    common spellings are read by a pattern; anything else by phonenumbers, as the form does
    (parsing every row with phonenumbers would be most of the import's time)."""
    digits = re.sub(r"[\s\-().]", "", text)
    match = _MOBILE.match(digits)
    if match:
        return "+91" + match.group(1)
    if not digits:
        return None
    from django.core.exceptions import ValidationError
    from phonenumber_field.phonenumber import to_python

    from seva.people.validators import validate_indian_mobile

    try:
        validate_indian_mobile(text)
    except ValidationError:
        return None
    return str(to_python(text, region="IN"))


class WorkerImport(BulkImport):
    kind = "workers"
    model = Worker
    label = gettext_lazy("Workers")
    columns = {
        "name": ("नाम",),
        "phone": ("mobile", "mobile number", "मोबाइल", "मोबाइल नंबर"),
        "email": ("e-mail", "ई-मेल", "ईमेल"),
        "role": ("भूमिका", "पद"),
        "district": ("जिला", "ज़िला"),
        "assembly_seat": ("assembly seat", "seat", "विधानसभा"),
        "booth": ("बूथ",),
        "blood_group": ("blood group", "रक्त समूह"),
        "skills": ("कौशल",),
        "is_active": ("active", "सक्रिय"),
        "consent_to_contact": ("consent", "agrees to be contacted", "संपर्क की सहमति"),
        "consent_date": ("consent given on", "सहमति की तारीख"),
        "language": ("भाषा",),
    }
    required = ("name", "phone", "district")

    def check(self, rows, progress=None):  # type: ignore[no-untyped-def]
        result = CheckResult()
        districts = dict(District.objects.values_list("code", "pk"))
        allowed = set(districts.values()) if self.everything else {user_scope(self.user).district_id} - {None}
        seats = self._all_seats()
        roles, bloods, languages = _choice(WorkerRole), _choice(BloodGroup), _choice(Language)
        today = timezone.localdate()
        own_phone = self._own_phone()
        parsed: list[tuple[int, str, dict[str, Any], tuple[int, int] | None]] = []
        seen: dict[str, int] = {}
        for line, row in rows:
            result.total += 1
            if progress and result.total % BATCH == 0:
                progress(result.total)
            errors_before = result.error_count
            name = row.get("name", "")
            if not name or len(name) > 120:
                result.error(line, "name", _("The worker's name is missing or too long."))
            phone = indian_mobile(row.get("phone", ""))
            if phone is None:
                result.error(
                    line,
                    "phone",
                    _("“%(value)s”: enter an Indian mobile number.") % {"value": row.get("phone", "")},
                )
            elif phone in seen:
                result.error(
                    line, "phone", _("This mobile number is also on line %(other)s.") % {"other": seen[phone]}
                )
            else:
                seen[phone] = line
            if phone and phone == own_phone:
                result.error(line, "phone", _("Nobody changes his own role or place: ask the state office."))
            district = districts.get(row.get("district", "").casefold())
            if district is None or district not in allowed:
                result.error(
                    line,
                    "district",
                    _("No district with code “%(code)s”.") % {"code": row.get("district", "")},
                )
            seat_id = None
            seat_text = row.get("assembly_seat", "")
            if seat_text:
                seat = seats.get(_whole_number(seat_text) or -1)
                if seat is None:
                    result.error(
                        line, "assembly_seat", _("No assembly seat number “%(seat)s”.") % {"seat": seat_text}
                    )
                elif district is not None and seat[1] != district:
                    result.error(
                        line, "assembly_seat", _("This assembly seat is not in the worker's district.")
                    )
                else:
                    seat_id = seat[0]
            booth_key = None
            booth_text = row.get("booth", "")
            if booth_text:
                booth_seat, dash, booth_number = booth_text.partition("-")
                if dash:  # "182-45"
                    seat = seats.get(_whole_number(booth_seat) or -1)
                    number = _whole_number(booth_number)
                    if seat is not None and seat_id is None and (district is None or seat[1] == district):
                        seat_id = seat[0]
                    booth_seat_id = seat[0] if seat else None
                else:
                    number = _whole_number(booth_text)
                    booth_seat_id = seat_id
                if booth_seat_id is None or not number or booth_seat_id != seat_id:
                    result.error(
                        line, "booth", _("Name the booth as seat-number (182-45) within the worker's seat.")
                    )
                else:
                    booth_key = (booth_seat_id, number)
            values: dict[str, Any] = {
                "name": name,
                "email": row.get("email", ""),
                "skills": row.get("skills", ""),
                "district_id": district,
                "assembly_seat_id": seat_id,
                "booth_id": None,
            }
            if values["email"] and (len(values["email"]) > 254 or not _EMAIL.match(values["email"])):
                result.error(
                    line, "email", _("“%(value)s” is not an e-mail address.") % {"value": values["email"]}
                )
            if len(values["skills"]) > 250:
                result.error(line, "skills", _("Longer than %(limit)s characters.") % {"limit": 250})
            for key, table, default in (
                ("role", roles, WorkerRole.VOLUNTEER),
                ("blood_group", bloods, ""),
                ("language", languages, Language.HINDI),
            ):
                text = row.get(key, "")
                if not text:
                    values[key] = str(default)
                elif text.casefold() in table:
                    values[key] = str(table[text.casefold()])
                else:
                    result.error(line, key, _("“%(value)s” is not one of the choices.") % {"value": text})
            if values.get("role") in STATE_GIVEN_WORKER_ROLES and not self.everything:
                values["_state_role"] = True
            for key, default in (("is_active", True), ("consent_to_contact", False)):
                text = row.get(key, "")
                value = default if text == "" else _boolean(text)
                if value is None:
                    result.error(line, key, _("“%(value)s”: write yes or no.") % {"value": text})
                values[key] = value
            values["consent_date"] = None
            if row.get("consent_date"):
                try:
                    values["consent_date"] = datetime.date.fromisoformat(row["consent_date"][:10])
                except ValueError:
                    result.error(line, "consent_date", _("Write the date as YYYY-MM-DD."))
            if values["consent_to_contact"] and not values["consent_date"]:
                result.error(
                    line, "consent_date", _("Give the date on which the worker agreed to be contacted.")
                )
            elif values["consent_date"] and values["consent_date"] > today:
                result.error(line, "consent_date", _("Consent cannot be dated in the future."))
            if result.error_count == errors_before:
                parsed.append((line, phone, values, booth_key))
        if not parsed:
            return result
        booth_seats = {key[0] for *_rest, key in parsed if key}
        booths = {
            (seat, number): pk
            for pk, seat, number in Booth.objects.filter(assembly_seat_id__in=booth_seats).values_list(
                "pk", "assembly_seat_id", "number"
            )
        }
        stored: dict[str, tuple[Any, ...]] = {}
        created_at: dict[int, Any] = {}
        phones = [CheckedMobile.of(item[1]) for item in parsed]
        for start in range(0, len(phones), BATCH):
            # The phone read as stored text (E.164), not parsed again into a PhoneNumber.
            for pk, created, phone, *values in (
                Worker.objects.filter(phone__in=phones[start : start + BATCH])
                .annotate(phone_text=Cast("phone", CharField()))
                .values_list("pk", "created_at", "phone_text", *WORKER_COMPARED)
            ):
                stored[phone] = (pk, *values)
                created_at[pk] = created
        for line, phone, values, booth_key in parsed:
            if booth_key:
                values["booth_id"] = booths.get(booth_key)
                if values["booth_id"] is None:
                    result.error(
                        line,
                        "booth",
                        _("No booth %(number)s in this assembly seat.") % {"number": booth_key[1]},
                    )
                    continue
            before = stored.get(phone)
            state_role = values.pop("_state_role", False)
            if before is not None and before[WORKER_COMPARED.index("district_id") + 1] not in allowed:
                result.error(line, "phone", _("This mobile number cannot be registered here."))
                continue
            if state_role and (before is None or before[WORKER_COMPARED.index("role") + 1] != values["role"]):
                result.error(line, "role", _("Only the state office gives or takes away this position."))
                continue
            if before is not None and not self.everything:
                old_role = before[WORKER_COMPARED.index("role") + 1]
                if old_role != values["role"] and old_role in STATE_GIVEN_WORKER_ROLES:
                    result.error(line, "role", _("Only the state office gives or takes away this position."))
                    continue
            compared = tuple(values[key] for key in WORKER_COMPARED)
            if before is None:
                result.added.append(Worker(phone=CheckedMobile.of(phone), **values))
            elif before[1:] != compared:
                worker = Worker(
                    pk=before[0], phone=CheckedMobile.of(phone), created_at=created_at[before[0]], **values
                )
                worker._consent_was = bool(before[WORKER_COMPARED.index("consent_to_contact") + 1])
                result.changed.append(worker)
            else:
                result.unchanged += 1
        return result

    def _all_seats(self) -> dict[int, tuple[int, int]]:
        return {
            number: (pk, district)
            for pk, number, district in AssemblySeat.objects.values_list("pk", "number", "district_id")
        }

    def _own_phone(self) -> str | None:
        profile = getattr(self.user, "profile", None) if self.user is not None else None
        worker = getattr(profile, "worker", None) if profile is not None else None
        return str(worker.phone) if worker is not None else None

    def write(self, result, progress=None):  # type: ignore[no-untyped-def]
        """One ``INSERT … ON CONFLICT (phone) DO UPDATE`` per batch of plain values (Django's
        ``bulk_create`` spent more time preparing 16 fields a row than PostgreSQL writing
        them), then the history rows copied from what was written by one ``INSERT … SELECT``
        per batch: the same rows ``simple_history`` would write, "+" for a new worker, "~" for
        a changed one."""
        now = _now()
        done = 0
        with transaction.atomic(), connection.cursor() as cursor:
            for workers, history_type in ((result.added, "+"), (result.changed, "~")):
                for start in range(0, len(workers), BATCH):
                    batch = workers[start : start + BATCH]
                    rows = [
                        (
                            *(getattr(worker, name) for name in _WRITTEN),
                            worker.phone.format_as(PhoneNumberFormat.E164),
                            worker.created_at or now,
                            now,
                        )
                        for worker in batch
                    ]
                    _upsert_workers(cursor, rows)
                    _copy_history(cursor, [row[len(_WRITTEN)] for row in rows], history_type, now, self.user)
                    _record_consents(batch, now, self.user)
                    done += len(batch)
                    if progress:
                        progress(done)


_WRITTEN = WORKER_COMPARED  # then phone, created_at, updated_at


def _record_consents(batch: list[Worker], now: Any, user: Any) -> None:
    """The consent records (``seva.privacy``) of a written batch, as ``worker_create`` and
    ``worker_update`` write them one at a time: "given" for a new worker who consents, and
    "given" or "withdrawn" for a worker whose consent the sheet changed. One query for the ids
    of those workers and one INSERT, whatever the batch's size."""
    from seva.privacy.choices import ConsentPurpose, ConsentSubject
    from seva.privacy.services import consent_record_many

    wanted = {
        worker.phone.format_as(PhoneNumberFormat.E164): bool(worker.consent_to_contact)
        for worker in batch
        if getattr(worker, "_consent_was", False) != bool(worker.consent_to_contact)
    }
    if not wanted:
        return
    ids = Worker.objects.filter(phone__in=list(wanted)).values_list("phone", "pk")
    consent_record_many(
        kind=ConsentSubject.WORKER,
        purpose=ConsentPurpose.CAMPAIGN_CONTACT,
        given={pk: wanted[str(phone)] for phone, pk in ids},
        by=user,
        at=now,
    )


def _upsert_workers(cursor: Any, rows: list[tuple[Any, ...]]) -> None:
    q = connection.ops.quote_name
    table = q(Worker._meta.db_table)
    columns = [*_WRITTEN, "phone", "created_at", "updated_at"]
    updated = [*_WRITTEN, "updated_at"]
    sql = (
        f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) VALUES %s "  # noqa: S608 - names from the model
        f"ON CONFLICT ({q('phone')}) DO UPDATE SET " + ", ".join(f"{q(c)} = EXCLUDED.{q(c)}" for c in updated)
    )
    if connection.vendor == "postgresql":
        from psycopg2.extras import execute_values

        execute_values(cursor.cursor, sql, rows, page_size=len(rows) or 1)
    else:
        placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
        cursor.executemany(sql.replace("VALUES %s", f"VALUES {placeholders}"), rows)


def _copy_history(cursor: Any, phones: list[str], history_type: str, now: Any, user: Any) -> None:
    """The history rows of the workers with ``phones``, as they now are."""
    q = connection.ops.quote_name
    tracked = [field.column for field in Worker._meta.concrete_fields]
    history = Worker.history.model._meta.db_table
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    user_id = getattr(user, "pk", None)
    select = (
        f"INSERT INTO {q(history)} ({', '.join(q(c) for c in tracked + extra)}) "  # noqa: S608 - names from the models
        f"SELECT {', '.join(q(c) for c in tracked)}, %s, NULL, %s, %s FROM {q(Worker._meta.db_table)} "
    )
    if connection.vendor == "postgresql":
        cursor.execute(select + f"WHERE {q('phone')} = ANY(%s)", [now, history_type, user_id, phones])
        return
    for start in range(0, len(phones), 500):
        chunk = phones[start : start + 500]
        cursor.execute(
            select + f"WHERE {q('phone')} IN ({', '.join(['%s'] * len(chunk))})",
            [now, history_type, user_id, *chunk],
        )


def _now() -> datetime.datetime:
    return timezone.now()


# ---------------------------------------------------------------------------------------------
# Users in bulk: the state admin's sheet of coordinators' and operators' accounts

_USERNAME = re.compile(r"^[\w.@+-]{1,150}$")


def _roles() -> dict[str, str]:
    """A role as written in a sheet: its code, its English or its Hindi name."""
    names: dict[str, str] = {}
    for role in PortalRole:
        names[role.value.casefold()] = role.value
        names[str(role.label).casefold()] = role.value
        with override("hi"):
            names[str(role.label).casefold()] = role.value
    return names


class UserImport(BulkImport):
    """Portal accounts from a sheet (username, names, e-mail, role, district): each new account
    is made by ``people.services.user_create`` with no usable password, and gets one e-mail with
    a link to set it (:func:`invite`). An account already there is left as it is and is sent
    nothing: the same sheet twice changes nothing and sends nothing twice."""

    kind = "users"
    model = get_user_model()
    label = gettext_lazy("User accounts")
    columns = {
        "username": ("user name", "उपयोगकर्ता नाम"),
        "first_name": ("first name", "पहला नाम"),
        "last_name": ("last name", "उपनाम"),
        "email": ("e-mail", "email", "ई-मेल"),
        "role": ("भूमिका",),
        "district": ("district code", "ज़िला"),
    }
    required = ("username", "email", "role")

    def check(self, rows, progress=None):  # type: ignore[no-untyped-def]
        result = CheckResult()
        roles = _roles()
        districts = {code: pk for pk, code in District.objects.values_list("pk", "code")}
        seen: dict[str, int] = {}
        parsed: list[dict[str, Any]] = []
        for line, row in rows:
            result.total += 1
            username = row.get("username", "").strip()
            email = row.get("email", "").strip()
            role = roles.get(row.get("role", "").strip().casefold())
            code = row.get("district", "").strip().casefold()
            bad = False
            if not _USERNAME.match(username):
                result.error(line, "username", _("A user name: letters, digits and @ . + - _ only."))
                bad = True
            elif username.casefold() in seen:
                result.error(
                    line,
                    "username",
                    _("This user is also on line %(other)s.") % {"other": seen[username.casefold()]},
                )
                bad = True
            try:
                validate_email(email)
            except ValidationError:
                result.error(line, "email", _("“%(email)s” is not an e-mail address.") % {"email": email})
                bad = True
            if role is None:
                result.error(line, "role", _("No role “%(role)s”.") % {"role": row.get("role", "")})
                bad = True
            elif role in STATE_WIDE_ROLES and code:
                result.error(line, "district", _("A state-wide role takes no district."))
                bad = True
            elif role not in STATE_WIDE_ROLES and code not in districts:
                result.error(line, "district", _("No district “%(code)s”.") % {"code": code})
                bad = True
            if bad:
                continue
            seen[username.casefold()] = line
            parsed.append(
                {
                    "username": username,
                    "first_name": row.get("first_name", "")[:150],
                    "last_name": row.get("last_name", "")[:150],
                    "email": email,
                    "role": role,
                    "district_id": districts.get(code),
                }
            )
        taken = {
            name.casefold()
            for name in get_user_model()
            .objects.filter(username__in=[item["username"] for item in parsed])
            .values_list("username", flat=True)
        }
        for item in parsed:
            if item["username"].casefold() in taken:
                result.unchanged += 1
            else:
                result.added.append(item)
        return result

    def write(self, result, progress=None):  # type: ignore[no-untyped-def]
        made = []
        with transaction.atomic():
            for item in result.added:
                district = District.objects.get(pk=item["district_id"]) if item["district_id"] else None
                made.append(
                    user_create(
                        username=item["username"],
                        password=None,
                        role=PortalRole(item["role"]),
                        district=district,
                        first_name=item["first_name"],
                        last_name=item["last_name"],
                        email=item["email"],
                    )
                )
            transaction.on_commit(lambda: [invite(user) for user in made])
        if progress:
            progress(len(made))


def invite(user: Any) -> None:
    """One e-mail to a new account, in Hindi and English, with a link to set its password
    (Django's password-reset token: valid ``PASSWORD_RESET_TIMEOUT``, used once)."""
    link = settings.SEVA_PORTAL_URL.rstrip("/") + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "link": link}
    subject = render_to_string("reports/imports/invite_subject.txt", context).strip()
    body = render_to_string("reports/imports/invite_email.txt", context)
    send_mail(subject, body, None, [user.email], fail_silently=True)


KINDS: dict[str, type[BulkImport]] = {
    "mandals": MandalImport,
    "booths": BoothImport,
    "workers": WorkerImport,
    "users": UserImport,
}
