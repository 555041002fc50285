"""Demo mandals and booths: real booths are not public, so the demo makes a few per seat.

Every name says "Demo" (डेमो) so nobody mistakes them for real polling stations.
"""

from collections.abc import Callable

from .models import AssemblySeat, Booth, Mandal

BOOTHS_PER_SEAT = 3


def seed(log: Callable[[str], object]) -> None:
    seats = list(AssemblySeat.objects.all())
    existing = set(Mandal.objects.values_list("assembly_seat_id", flat=True))
    Mandal.objects.bulk_create(
        [
            Mandal(assembly_seat=seat, name=f"Demo mandal / डेमो मंडल {seat.number}")
            for seat in seats
            if seat.pk not in existing
        ]
    )
    mandal_of = {m.assembly_seat_id: m for m in Mandal.objects.filter(name__startswith="Demo mandal")}
    have = set(Booth.objects.values_list("assembly_seat_id", "number"))
    booths = [
        Booth(
            assembly_seat=seat,
            number=number,
            name=f"Demo booth / डेमो बूथ {number} – {seat.name_en}",
            locality=f"{seat.name_en} (demo)",
            mandal=mandal_of.get(seat.pk),
        )
        for seat in seats
        for number in range(1, BOOTHS_PER_SEAT + 1)
        if (seat.pk, number) not in have
    ]
    Booth.objects.bulk_create(booths)
    log(f"geo: {len(booths)} demo booths in {len(seats)} seats")
