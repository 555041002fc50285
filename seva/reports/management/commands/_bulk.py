"""What ``import_booths`` and ``import_workers`` share (seva/reports/bulk.py does the work)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from seva.reports.bulk import ImportFileError


class BulkImportCommand(BaseCommand):
    importer: Any = None

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="A CSV or XLSX file, headers in English or Hindi.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file, write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        file_format = path.suffix.lower().lstrip(".")
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        try:
            with path.open("rb") as stream:
                result = self.importer().run(stream, file_format, dry_run=options["dry_run"])
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"line {error.line}, {error.column}: {error.message}")
            if result.error_count > len(result.errors):
                self.stderr.write(f"... and {result.error_count - len(result.errors)} more.")
            raise CommandError(f"{result.error_count} bad rows of {result.total}: nothing written.")
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"{result.total} rows: {len(result.added)} {verb} added, {len(result.changed)} {verb} changed, "
            f"{result.unchanged} unchanged."
        )
