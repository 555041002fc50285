"""What ``import_booths`` and ``import_workers`` share: run the bulk path, list the bad rows."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from seva.reports.bulk import BulkImportError, BulkResult


class BulkImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="A CSV or XLSX file.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file, write nothing.")

    def run(self, path: str, dry_run: bool) -> BulkResult:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            result = self.run(options["file"], options["dry_run"])
        except (BulkImportError, OSError) as error:
            raise CommandError(str(error)) from None
        for line, reason in result.errors:
            self.stderr.write(f"line {line}: {reason}")
        if not result.ok:
            more = result.error_count - len(result.errors)
            if more:
                self.stderr.write(f"… and {more} more bad rows.")
            raise CommandError(f"{result.error_count} bad rows of {result.total}; nothing was written.")
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"{result.total} {self.kind}: {result.created} {verb} added, {result.changed} {verb} changed, "
            f"{result.unchanged} unchanged ({time.perf_counter() - started:.1f} s)."
        )
