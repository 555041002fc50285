"""Run a reminder rule by hand: ``python manage.py run_reminders [RULE] [--dry-run]``.

Prints who gets (or, dry, would get) what: name, channel, address, status and reason, and the
message. Without RULE every rule runs. A rule run twice writes nothing new (its dedup keys)."""

from django.core.management.base import BaseCommand, CommandError

from seva.notify import rules


class Command(BaseCommand):
    help = "Run a reminder rule (or all) now; --dry-run prints who would get what and writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("rule", nargs="?", help=f"one of: {', '.join(rules.RULES)}")
        parser.add_argument("--dry-run", action="store_true", help="write nothing, print what would be sent")

    def handle(self, *args, rule=None, dry_run=False, verbosity=1, **options):
        if rule and rule not in rules.RULES:
            raise CommandError(f"Unknown rule {rule!r}. Rules: {', '.join(rules.RULES)}")
        for code in [rule] if rule else list(rules.RULES):
            result = rules.run(code, dry_run=dry_run)
            verb = "would write" if dry_run else "wrote"
            self.stdout.write(
                self.style.MIGRATE_HEADING(
                    f"{code}: {verb} {result.written} ({result.already} already written)"
                )
            )
            for item in result.planned:
                if item.exists and verbosity < 2:
                    continue
                status = "already written" if item.exists else item.status
                reason = f" ({item.reason})" if item.reason else ""
                held = f" after {item.send_after:%H:%M}" if item.send_after else ""
                where = f"{item.channel} {item.address or '-'}"
                self.stdout.write(f"  {item.draft.recipient.name} · {where} · {status}{reason}{held}")
                if verbosity >= 1:
                    self.stdout.write(
                        f"    {item.draft.subject + ': ' if item.draft.subject else ''}{item.draft.body}"
                    )
