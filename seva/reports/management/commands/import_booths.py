"""``manage.py import_booths FILE``: the bulk import of booths (seva/reports/bulk.py)."""

from seva.reports.bulk import BulkResult, import_booths

from ._bulk import BulkImportCommand


class Command(BulkImportCommand):
    help = "Import booths from a CSV or XLSX file: checked whole, then written in one transaction."
    kind = "booths"

    def run(self, path: str, dry_run: bool) -> BulkResult:
        return import_booths(path, dry_run=dry_run)
