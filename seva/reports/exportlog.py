"""Every export is recorded: one call, from every path that lets data out."""

from __future__ import annotations

from typing import Any

from .models import ExportLog


def record_export(
    user: Any,
    what: str,
    file_format: str,
    *,
    filters: dict[str, Any] | None = None,
    rows: int | None = None,
    masked: bool = True,
) -> ExportLog:
    """Log that ``user`` exported ``what`` (e.g. ``"workers"``, ``"activity register"``) as
    ``file_format`` (``"csv"``, ``"xlsx"``) with ``filters`` (the request's, as plain JSON
    values), ``rows`` rows (``None`` while a stream has not finished: update it then), and
    whether personal data was masked."""
    return ExportLog.objects.create(
        user=user,
        what=what,
        file_format=file_format,
        filters={key: str(value) for key, value in (filters or {}).items() if value not in (None, "")},
        rows=rows,
        masked=masked,
    )
