"""``manage.py import_workers FILE [--dry-run]``: the bulk import of workers (seva/reports/bulk.py):
the whole file checked first, every bad row listed, then written all or nothing."""

from seva.reports.bulk import WorkerImport

from ._bulk import BulkImportCommand


class Command(BulkImportCommand):
    help = "Import workers from a CSV or XLSX file: checked whole, written all or nothing."
    importer = WorkerImport
