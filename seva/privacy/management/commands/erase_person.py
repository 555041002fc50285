"""``python manage.py erase_person --phone 9876543210 [--dry-run]``: anonymise a person known
by his mobile number in every table (``seva.privacy.services.person_erase``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from seva.privacy.services import person_erase


class Command(BaseCommand):
    help = "Anonymise a person (by mobile number) in every table, history included; rows and counts stay."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--phone", required=True, help="The person's mobile number, written any way.")
        parser.add_argument("--dry-run", action="store_true", help="Count what would change, change nothing.")

    def handle(self, *args: Any, phone: str, dry_run: bool, **options: Any) -> None:
        try:
            report = person_erase(phone=phone, by=None, dry_run=dry_run)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        title = "Would change" if dry_run else "Changed"
        self.stdout.write(f"{title} for {report.phone_masked} ({report.names_found} name(s) found):")
        for line in report.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(f"  total rows: {report.total}")
