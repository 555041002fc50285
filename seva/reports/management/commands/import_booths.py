"""``manage.py import_booths FILE [--dry-run]``: the bulk import of booths (seva/reports/bulk.py):
the whole file checked first, every bad row listed, then written all or nothing."""

from seva.reports.bulk import BoothImport

from ._bulk import BulkImportCommand


class Command(BulkImportCommand):
    help = "Import booths from a CSV or XLSX file: checked whole, written all or nothing."
    importer = BoothImport
