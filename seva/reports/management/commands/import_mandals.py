"""``manage.py import_mandals FILE [--dry-run]``: the bulk import of mandals (seva/reports/bulk.py):
the whole file checked first, every bad row listed, then written all or nothing."""

from seva.reports.bulk import MandalImport

from ._bulk import BulkImportCommand


class Command(BulkImportCommand):
    help = "Import mandals from a CSV or XLSX file: checked whole, written all or nothing."
    importer = MandalImport
