"""Every kind the /imports/ pages offer, by its slug in the URL: the bulk imports of
``bulk.py`` (mandals, booths, workers, users), the records' (``bulk_records.py``: targets,
camps, donors; ``bulk_activities.py``: activity reports), and the kinds only exported
(``bulk_exports.py``: districts, seats, facilities, help requests)."""

from __future__ import annotations

from .bulk import KINDS as CORE_KINDS
from .bulk import BulkImport
from .bulk_activities import ActivityImport
from .bulk_exports import EXPORT_KINDS
from .bulk_records import RECORD_KINDS

KINDS: dict[str, type[BulkImport]] = {
    **CORE_KINDS,
    **RECORD_KINDS,
    "activities": ActivityImport,
    **EXPORT_KINDS,
}
