"""The bulk import of booths and workers: Bihar's ~1,00,000 rows from one CSV or XLSX file.

The file is read once, streamed (the ``csv`` module over the file; openpyxl ``read_only`` for
XLSX) and checked whole before anything is written: every bad row is listed with its reason
(unknown seat or district, a booth number twice in a seat, a missing column, a bad number…)
and nothing is written while any row is bad. Look-ups (seats, districts, mandals, booths, the
rows already stored) are loaded once into dicts, never a query per row. Then, in one
transaction, only the new and the changed rows are written with ``bulk_create`` and
``update_conflicts`` (``INSERT … ON CONFLICT DO UPDATE`` on PostgreSQL and SQLite), in
batches; unchanged rows are not touched, so the same file imported twice changes nothing.

``progress(done, total)`` is called while writing, for the background job's progress bar.

Worker rows written here bypass ``worker_create`` (and django-simple-history's rows): that is
the price of the bulk path; the state admin's one-off load of lists is what it serves.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from seva.base.spreadsheets import unescape_csv_cell
from seva.geo.models import AssemblySeat, Booth, District, Mandal
from seva.people.choices import BloodGroup, WorkerRole
from seva.people.models import Worker

BATCH = 5000
MAX_ERRORS = 1000  # listed; the count of the rest is given

Progress = Callable[[int, int], None]


class BulkImportError(ValueError):
    """The file cannot be read at all (not CSV/XLSX, empty, columns missing)."""


@dataclass
class BulkResult:
    total: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def error(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append((line, message))


# -- reading -----------------------------------------------------------------------------


def _header(name: Any) -> str:
    return str(name or "").strip().lower().replace(" ", "_")


def read_rows(source: str | Path | IO[bytes], name: str = "") -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, row dict)`` for each row of a CSV or XLSX file, streamed. Header names
    are lower-cased with spaces as underscores; the first yielded item is ``(1, headers)``
    with the headers as keys (values None) so the caller can check the columns."""
    name = str(name or getattr(source, "name", "") or source)
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        yield from _read_xlsx(source)
    elif suffix == ".csv":
        yield from _read_csv(source)
    else:
        raise BulkImportError(_("The file must be CSV or XLSX, not “%(name)s”.") % {"name": Path(name).name})


def _read_csv(source: str | Path | IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(source, (str, Path)):
        handle: IO[str] = open(source, encoding="utf-8-sig", newline="")  # noqa: SIM115
    else:
        handle = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")
    try:
        reader = csv.reader(handle)
        try:
            headers = [_header(h) for h in next(reader)]
        except StopIteration:
            raise BulkImportError(_("The file is empty.")) from None
        except UnicodeDecodeError:
            raise BulkImportError(_("The file is not a UTF-8 CSV file.")) from None
        yield 1, dict.fromkeys(headers)
        try:
            for line, cells in enumerate(reader, start=2):
                if not any(c.strip() for c in cells):
                    continue
                yield line, {h: unescape_csv_cell(c.strip()) for h, c in zip(headers, cells, strict=False)}
        except (UnicodeDecodeError, csv.Error) as error:
            raise BulkImportError(
                _("The file is not a readable CSV file: %(error)s") % {"error": error}
            ) from None
    finally:
        if isinstance(source, (str, Path)):
            handle.close()
        else:
            handle.detach()


def _read_xlsx(source: str | Path | IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise BulkImportError(_("The file is not a readable XLSX file.")) from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        try:
            headers = [_header(h) for h in next(rows)]
        except StopIteration:
            raise BulkImportError(_("The file is empty.")) from None
        yield 1, dict.fromkeys(headers)
        for line, cells in enumerate(rows, start=2):
            if not any(c not in (None, "") for c in cells):
                continue
            yield (
                line,
                {h: (c.strip() if isinstance(c, str) else c) for h, c in zip(headers, cells, strict=False)},
            )
    finally:
        book.close()


def _check_columns(headers: dict[str, Any], required: tuple[str, ...], known: tuple[str, ...]) -> None:
    missing = [c for c in required if c not in headers]
    unknown = [c for c in headers if c and c not in known]
    problems = []
    if missing:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    if problems:
        raise BulkImportError(" ".join(problems))


# -- cells -------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _whole(value: Any) -> int | None:
    text = _text(value).replace(",", "")
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdecimal() and 0 < len(text) < 10 and int(text) > 0 else None


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(_text(value))


def _bool(value: Any) -> bool:
    text = _text(value).lower()
    if text in ("1", "true", "yes", "y", "हाँ", "हां"):
        return True
    if text in ("", "0", "false", "no", "n", "नहीं"):
        return False
    raise ValueError(value)


MOBILE_RE = re.compile(r"^(?:\+?91|0)?([6-9]\d{9})$")


def _mobile(value: Any) -> str | None:
    """An Indian mobile in E.164 (``+919876543210``), or None. The common shapes are read
    directly; anything else goes through phonenumbers like the model field."""
    text = re.sub(r"[\s\-().]", "", _text(value))
    match = MOBILE_RE.match(text)
    if match:
        return "+91" + match.group(1)
    from phonenumber_field.phonenumber import to_python

    from seva.people.validators import validate_indian_mobile

    number = to_python(text, region="IN")
    try:
        validate_indian_mobile(number)
    except Exception:  # noqa: BLE001
        return None
    return str(number)


def _write(model: Any, objects: list[Any], unique: list[str], update: list[str]) -> None:
    model.objects.bulk_create(
        objects, batch_size=BATCH, update_conflicts=True, unique_fields=unique, update_fields=update
    )


# -- booths ------------------------------------------------------------------------------

BOOTH_REQUIRED = ("assembly_seat", "number", "name")
BOOTH_COLUMNS = (*BOOTH_REQUIRED, "district", "name_hi", "locality", "mandal", "corona_free_since")
BOOTH_UPDATE = ["name", "name_hi", "locality", "mandal", "corona_free_since"]


def import_booths(
    source: str | Path | IO[bytes],
    *,
    name: str = "",
    dry_run: bool = False,
    district_ids: set[int] | None = None,
    progress: Progress | None = None,
) -> BulkResult:
    """Check the whole file, then (unless ``dry_run`` or any row is bad) write its booths.
    ``district_ids``: the districts the importing user may write to (None: all)."""
    result = BulkResult()
    rows = read_rows(source, name)
    headers = next(rows)[1]
    _check_columns(headers, BOOTH_REQUIRED, BOOTH_COLUMNS)

    seats = {n: (i, d) for i, n, d in AssemblySeat.objects.values_list("id", "number", "district_id")}
    districts = dict(District.objects.values_list("code", "id"))
    mandals = {
        (s, n.casefold()): i for i, s, n in Mandal.objects.values_list("id", "assembly_seat_id", "name")
    }
    existing = {
        (row[0], row[1]): row[2:]
        for row in Booth.objects.values_list(
            "assembly_seat_id", "number", "name", "name_hi", "locality", "mandal_id", "corona_free_since"
        ).order_by()
    }
    seen: dict[tuple[int, int], int] = {}
    writes: list[tuple[Any, ...]] = []

    for line, row in rows:
        result.total += 1
        reasons = []
        seat_number = _whole(row.get("assembly_seat"))
        seat = seats.get(seat_number) if seat_number else None
        if seat is None:
            reasons.append(_("No assembly seat “%(seat)s”.") % {"seat": _text(row.get("assembly_seat"))})
        district_code = _text(row.get("district")).lower()
        if district_code:
            if district_code not in districts:
                reasons.append(_("No district with code “%(code)s”.") % {"code": district_code})
            elif seat and districts[district_code] != seat[1]:
                reasons.append(
                    _("Assembly seat %(seat)s is not in district “%(code)s”.")
                    % {"seat": seat_number, "code": district_code}
                )
        if seat and district_ids is not None and seat[1] not in district_ids:
            reasons.append(_("Assembly seat %(seat)s is outside your district.") % {"seat": seat_number})
        number = _whole(row.get("number"))
        if number is None:
            reasons.append(_("“%(value)s” is not a booth number.") % {"value": _text(row.get("number"))})
        booth_name = _text(row.get("name"))
        if not booth_name:
            reasons.append(_("The booth has no name."))
        for column in ("name", "name_hi", "locality"):
            if len(_text(row.get(column))) > 200:
                reasons.append(_("“%(column)s” is longer than 200 characters.") % {"column": column})
        mandal_id = None
        mandal_name = _text(row.get("mandal"))
        if mandal_name and seat:
            mandal_id = mandals.get((seat[0], mandal_name.casefold()))
            if mandal_id is None:
                reasons.append(
                    _("No mandal “%(mandal)s” in assembly seat %(seat)s.")
                    % {"mandal": mandal_name, "seat": seat_number}
                )
        since = None
        if _text(row.get("corona_free_since")):
            try:
                since = _date(row.get("corona_free_since"))
            except ValueError:
                reasons.append(
                    _("“%(value)s” is not a date (YYYY-MM-DD).")
                    % {"value": _text(row.get("corona_free_since"))}
                )
        if seat and number:
            key = (seat[0], number)
            if key in seen:
                reasons.append(
                    _("Booth %(number)s of seat %(seat)s is also on line %(line)s.")
                    % {"number": number, "seat": seat_number, "line": seen[key]}
                )
            else:
                seen[key] = line
        if reasons:
            result.error(line, " ".join(reasons))
            continue
        values = (booth_name, _text(row.get("name_hi")), _text(row.get("locality")), mandal_id, since)
        old = existing.get(key)
        if old is None:
            result.created += 1
        elif tuple(old) == values:
            result.unchanged += 1
            continue
        else:
            result.changed += 1
        writes.append((*key, *values))

    if not result.ok or dry_run:
        return result
    with transaction.atomic():
        total = len(writes)
        for start in range(0, total, BATCH):
            batch = [
                Booth(
                    assembly_seat_id=s,
                    number=n,
                    name=nm,
                    name_hi=hi,
                    locality=loc,
                    mandal_id=m,
                    corona_free_since=c,
                )
                for s, n, nm, hi, loc, m, c in writes[start : start + BATCH]
            ]
            _write(Booth, batch, ["assembly_seat", "number"], BOOTH_UPDATE)
            if progress:
                progress(min(start + BATCH, total), total)
    return result


# -- workers -----------------------------------------------------------------------------

WORKER_REQUIRED = ("name", "phone", "district")
WORKER_COLUMNS = (
    *WORKER_REQUIRED,
    "email",
    "role",
    "assembly_seat",
    "booth",
    "blood_group",
    "skills",
    "is_active",
    "consent_to_contact",
    "consent_date",
)
WORKER_VALUES = (
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
)
WORKER_UPDATE = [f.removesuffix("_id") for f in WORKER_VALUES] + ["updated_at"]
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def import_workers(
    source: str | Path | IO[bytes],
    *,
    name: str = "",
    dry_run: bool = False,
    district_ids: set[int] | None = None,
    progress: Progress | None = None,
) -> BulkResult:
    """Check the whole file, then (unless ``dry_run`` or any row is bad) write its workers,
    found by mobile number (one person, one row)."""
    result = BulkResult()
    rows = read_rows(source, name)
    headers = next(rows)[1]
    _check_columns(headers, WORKER_REQUIRED, WORKER_COLUMNS)

    districts = dict(District.objects.values_list("code", "id"))
    seats = {n: (i, d) for i, n, d in AssemblySeat.objects.values_list("id", "number", "district_id")}
    booths: dict[tuple[int, int], int] | None = None  # loaded on the first row with a booth
    roles = set(WorkerRole.values)
    blood_groups = set(BloodGroup.values)
    existing = {
        str(row[0]): row[1:]
        for row in Worker.objects.values_list("phone", *WORKER_VALUES).order_by().iterator(5000)
    }
    seen: dict[str, int] = {}
    writes: list[tuple[Any, ...]] = []

    for line, row in rows:
        result.total += 1
        reasons = []
        worker_name = _text(row.get("name"))
        if not worker_name or len(worker_name) > 120:
            reasons.append(_("The name is missing or longer than 120 characters."))
        phone = _mobile(row.get("phone"))
        if phone is None:
            reasons.append(
                _("“%(value)s” is not an Indian mobile number.") % {"value": _text(row.get("phone"))}
            )
        elif phone in seen:
            reasons.append(
                _("Mobile number %(phone)s is also on line %(line)s.") % {"phone": phone, "line": seen[phone]}
            )
        else:
            seen[phone] = line
        code = _text(row.get("district")).lower()
        district_id = districts.get(code)
        if district_id is None:
            reasons.append(_("No district with code “%(code)s”.") % {"code": code})
        elif district_ids is not None and district_id not in district_ids:
            reasons.append(_("District “%(code)s” is outside your district.") % {"code": code})
        seat_id = booth_id = None
        seat_text = _text(row.get("assembly_seat"))
        if seat_text:
            seat = seats.get(_whole(seat_text) or 0)
            if seat is None:
                reasons.append(_("No assembly seat “%(seat)s”.") % {"seat": seat_text})
            elif district_id and seat[1] != district_id:
                reasons.append(
                    _("Assembly seat %(seat)s is not in district “%(code)s”.")
                    % {"seat": seat_text, "code": code}
                )
            else:
                seat_id = seat[0]
        booth_text = _text(row.get("booth"))
        if booth_text:
            if booths is None:
                booths = {
                    (s, n): i
                    for i, s, n in Booth.objects.values_list("id", "assembly_seat_id", "number").order_by()
                }
            if not seat_text:
                reasons.append(_("A booth needs its assembly seat."))
            elif seat_id:
                booth_id = booths.get((seat_id, _whole(booth_text) or 0))
                if booth_id is None:
                    reasons.append(
                        _("No booth %(booth)s in assembly seat %(seat)s.")
                        % {"booth": booth_text, "seat": seat_text}
                    )
        email = _text(row.get("email"))
        if email and not EMAIL_RE.match(email):
            reasons.append(_("“%(value)s” is not an e-mail address.") % {"value": email})
        role = _text(row.get("role")) or WorkerRole.VOLUNTEER
        if role not in roles:
            reasons.append(_("Unknown role “%(role)s”.") % {"role": role})
        blood = _text(row.get("blood_group")).upper().replace("−", "-")
        if blood and blood not in blood_groups:
            reasons.append(_("Unknown blood group “%(value)s”.") % {"value": blood})
        skills = _text(row.get("skills"))
        if len(skills) > 250:
            reasons.append(_("The skills are longer than 250 characters."))
        try:
            active = _bool(row.get("is_active")) if _text(row.get("is_active")) else True
            consent = _bool(row.get("consent_to_contact"))
        except ValueError as error:
            reasons.append(_("“%(value)s” is not yes or no.") % {"value": error})
            active = consent = False
        consent_date = None
        if _text(row.get("consent_date")):
            try:
                consent_date = _date(row.get("consent_date"))
            except ValueError:
                reasons.append(
                    _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": _text(row.get("consent_date"))}
                )
        if consent and not consent_date:
            reasons.append(_("Consent to contact needs the date it was given."))
        if reasons:
            result.error(line, " ".join(reasons))
            continue
        values = (
            worker_name,
            email,
            role,
            district_id,
            seat_id,
            booth_id,
            blood,
            skills,
            active,
            consent,
            consent_date,
        )
        old = existing.get(phone)
        if old is None:
            result.created += 1
        elif tuple(old) == values:
            result.unchanged += 1
            continue
        else:
            result.changed += 1
        writes.append((phone, *values))

    if not result.ok or dry_run:
        return result
    with transaction.atomic():
        total = len(writes)
        for start in range(0, total, BATCH):
            batch = [
                Worker(phone=w[0], **dict(zip(WORKER_VALUES, w[1:], strict=True)))
                for w in writes[start : start + BATCH]
            ]
            _write(Worker, batch, ["phone"], WORKER_UPDATE)
            if progress:
                progress(min(start + BATCH, total), total)
    return result
