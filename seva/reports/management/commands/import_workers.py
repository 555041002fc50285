"""``manage.py import_workers FILE``: the bulk import of workers (seva/reports/bulk.py)."""

from seva.reports.bulk import BulkResult, import_workers

from ._bulk import BulkImportCommand


class Command(BulkImportCommand):
    help = "Import workers from a CSV or XLSX file: checked whole, then written in one transaction."
    kind = "workers"

    def run(self, path: str, dry_run: bool) -> BulkResult:
        return import_workers(path, dry_run=dry_run)
