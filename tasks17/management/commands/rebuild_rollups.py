"""``manage.py rebuild_rollups [--from DATE --to DATE] [--check]``: recompute the daily
rollups from the facts and say what had drifted (zero expected: every write that changes what
counts keeps them through ``tasks17.rollups.apply_figures``)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from tasks17.rollups import rebuild


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD).") from error


class Command(BaseCommand):
    help = "Recompute the daily rollups from the reports and report any drift."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--from", dest="start", type=_date, help="first day (YYYY-MM-DD); all when absent"
        )
        parser.add_argument("--to", dest="end", type=_date, help="last day (YYYY-MM-DD); all when absent")
        parser.add_argument("--check", action="store_true", help="only compare; write nothing")

    def handle(
        self, *args, start: datetime.date | None, end: datetime.date | None, check: bool, **options
    ) -> None:
        if start and end and end < start:
            raise CommandError("--to is before --from.")
        drift = rebuild(start=start, end=end, check_only=check)
        self.stdout.write(str(drift))
        for example in drift.examples:
            self.stdout.write(f"  {example}")
        style = self.style.WARNING if drift.total else self.style.SUCCESS
        verb = "checked" if check else "rebuilt"
        self.stdout.write(style(f"{verb}: {drift.total} rows or places drifted"))
