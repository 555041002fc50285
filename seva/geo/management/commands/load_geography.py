"""``manage.py load_geography``: (re)load the real districts and seats, idempotently."""

from django.core.management.base import BaseCommand
from django.db import transaction

from seva.geo.loader import load_geography
from seva.geo.models import AssemblySeat, District, LokSabhaSeat


class Command(BaseCommand):
    help = "Create or update Bihar's districts, Lok Sabha seats and assembly seats from seva/geo/data/."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            result = load_geography(
                district_model=District, lok_sabha_model=LokSabhaSeat, assembly_model=AssemblySeat
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Geography loaded: {result.districts} districts, {result.lok_sabha_seats} Lok Sabha seats, "
                f"{result.assembly_seats} assembly seats."
            )
        )
