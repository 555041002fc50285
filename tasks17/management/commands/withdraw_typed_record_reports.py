"""``manage.py withdraw_typed_record_reports --reason "…" [--by USERNAME] [--dry-run]``: take
out of every figure the reports typed in by a person for a task fed by its records
(``Task.fed_by_records``: camps, conferences, declarations, help requests), which counted the
record's work a second time (issue 11). Each goes through ``services.activity_withdraw``, so
its history names who and why and the rollups move with it. Reports written by the records
themselves are left alone; so are typed reports that no longer count (rejected, withdrawn).
Migration ``tasks17/0010`` lists what this would withdraw."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from seva.base.scoping import user_scope
from tasks17.choices import COUNTED_STATUSES, TYPED_ORIGINS
from tasks17.models import Activity
from tasks17.services import activity_withdraw


def typed_reports_of_record_fed_tasks():
    """The counted reports a person typed in for a task fed by its records."""
    return Activity.objects.filter(
        origin__in=TYPED_ORIGINS, task__fed_by_records=True, status__in=COUNTED_STATUSES
    ).order_by("pk")


class Command(BaseCommand):
    help = "Withdraw the reports typed in for tasks fed by their records (they counted twice)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--reason", required=True, help="why, kept in each report's history")
        parser.add_argument(
            "--by",
            dest="username",
            help="state-wide user named in the history (default: the first superuser)",
        )
        parser.add_argument("--dry-run", action="store_true", help="only list what would be withdrawn")

    def handle(self, *args, reason: str, username: str | None, dry_run: bool, **options) -> None:
        reason = reason.strip()
        if not reason:
            raise CommandError("--reason must say why.")
        by = None if dry_run else self._user(username)
        reports = list(typed_reports_of_record_fed_tasks().select_related("task", "district"))
        for activity in reports:
            self.stdout.write(
                f"{activity.pk}\t{activity.task.code}\t{activity.district.code}\t{activity.date}\t{activity.numbers}"
            )
        if dry_run:
            self.stdout.write(f"dry run: {len(reports)} typed reports would be withdrawn")
            return
        withdrawn = 0
        for activity in reports:
            try:
                activity_withdraw(by=by, activity=activity, reason=reason)
            except ValidationError as error:  # changed since it was listed: say so, go on
                self.stderr.write(f"{activity.pk}: {'; '.join(error.messages)}")
                continue
            withdrawn += 1
        self.stdout.write(self.style.SUCCESS(f"{withdrawn} typed reports withdrawn"))

    def _user(self, username: str | None):
        users = get_user_model().objects.filter(is_active=True)
        user = (
            users.filter(username=username).first()
            if username
            else users.filter(is_superuser=True).order_by("pk").first()
        )
        if user is None:
            raise CommandError(f"No active user {username!r}." if username else "No superuser: give --by.")
        if not user_scope(user).everything:
            raise CommandError(f"{user.username} is not a state-wide user: the reports are state-wide.")
        return user
