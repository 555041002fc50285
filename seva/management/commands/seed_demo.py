"""``manage.py seed_demo``: demo users, one per role, and a little demo data (DEBUG only).

Each app that has demo data keeps it in its own ``demo.py`` with a ``seed(log)`` function;
this command runs them in INSTALLED_APPS order (geography before people before tasks), so it
needs to know none of them. Running it again changes nothing that is already there.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Create the demo users (password seva-demo-2021) and demo data. Refused unless DEBUG is on."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo makes users with a published password: it runs only with DJANGO_DEBUG=on."
            )
        with transaction.atomic():
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if find_spec(module_name) is None:
                    continue
                import_module(module_name).seed(self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
