"""``manage.py seed_scale``: synthetic data at Bihar's real size, for benchmarks (DEBUG only).

About 1,06,515 booths (the 2020 count) in the 243 real seats, four mandals a seat and, by
default, 1,50,000 workers spread over the 38 districts. Every name says "Scale" so nobody
mistakes it for real data. Apps with bulk data of their own (activities, help requests) add
it in a ``scale.py`` module with ``seed(log, size)``, run after these. ``--scale 0.01`` makes
a hundredth of everything (a quick run; the tests use a smaller one still).
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from seva.geo.models import AssemblySeat, Booth, Mandal
from seva.people.choices import BloodGroup, WorkerRole
from seva.people.models import Worker

BOOTHS = 106_515
MANDALS_PER_SEAT = 4
BATCH = 5_000


class Command(BaseCommand):
    help = "Fill the database with synthetic booths and workers at the state's real size (DEBUG only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--workers", type=int, default=150_000)
        parser.add_argument("--booths", type=int, default=BOOTHS)
        parser.add_argument(
            "--scale", type=float, default=1.0, help="a share of the full size (0.01 for a quick run)"
        )

    def handle(self, *args, workers: int, booths: int, scale: float, **options) -> None:
        if not 0 < scale <= 1:
            raise CommandError("--scale is a share of the full size: above 0, at most 1.")
        workers, booths = max(int(workers * scale), 1), max(int(booths * scale), 243)
        if not settings.DEBUG:
            raise CommandError("seed_scale writes synthetic data: it runs only with DJANGO_DEBUG=on.")
        if Booth.objects.filter(name__startswith="Scale booth").exists():
            self.stdout.write("Scale data already present; nothing to do.")
            return
        seats = list(AssemblySeat.objects.order_by("number"))
        with transaction.atomic():
            Mandal.objects.bulk_create(
                [
                    Mandal(assembly_seat=s, name=f"Scale mandal {s.number}-{i}")
                    for s in seats
                    for i in range(MANDALS_PER_SEAT)
                ],
                batch_size=BATCH,
                ignore_conflicts=True,
            )
            mandals: dict[int, list[int]] = {}
            for pk, seat_id in Mandal.objects.filter(name__startswith="Scale mandal").values_list(
                "pk", "assembly_seat_id"
            ):
                mandals.setdefault(seat_id, []).append(pk)
            per_seat = max(booths // len(seats), 1)
            rows = []
            for seat in seats:
                seat_mandals = mandals[seat.pk]
                for n in range(1001, 1001 + per_seat):
                    rows.append(
                        Booth(
                            assembly_seat=seat,
                            number=n,
                            name=f"Scale booth {n} – {seat.name_en}",
                            locality=f"Ward {n % 40}",
                            mandal_id=seat_mandals[n % len(seat_mandals)],
                        )
                    )
            Booth.objects.bulk_create(rows, batch_size=BATCH)
            self.stdout.write(f"{len(rows)} booths")
            roles = list(WorkerRole)
            bloods = list(BloodGroup)
            Worker.objects.bulk_create(
                (
                    Worker(
                        name=f"Scale worker {i}",
                        phone=f"+917{i:09d}",
                        role=roles[i % len(roles)],
                        district_id=seats[i % len(seats)].district_id,
                        assembly_seat=seats[i % len(seats)],
                        blood_group=bloods[i % len(bloods)],
                    )
                    for i in range(workers)
                ),
                batch_size=BATCH,
            )
            self.stdout.write(f"{workers} workers")
            for config in apps.get_app_configs():
                name = f"{config.name}.scale"
                if find_spec(name) is not None:
                    import_module(name).seed(self.stdout.write, len(rows))
        self.stdout.write(self.style.SUCCESS("Scale data ready."))
