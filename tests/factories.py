"""factory_boy factories for the tests."""

import itertools

import factory
from factory.django import DjangoModelFactory

from seva.geo.models import AssemblySeat, Booth, District, Mandal
from seva.people.choices import WorkerRole
from seva.people.models import Worker

_phones = itertools.count(9000000001)


def district(code: str) -> District:
    """A real district, loaded by the geography migration."""
    return District.objects.get(code=code)


def seat_in(code: str) -> AssemblySeat:
    """The first assembly seat of a real district."""
    return AssemblySeat.objects.filter(district__code=code).order_by("number").first()


class MandalFactory(DjangoModelFactory):
    class Meta:
        model = Mandal

    assembly_seat = factory.LazyFunction(lambda: seat_in("patna"))
    name = factory.Sequence(lambda n: f"Test mandal {n}")


class BoothFactory(DjangoModelFactory):
    class Meta:
        model = Booth

    assembly_seat = factory.LazyFunction(lambda: seat_in("patna"))
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Test booth {n}")
    locality = "Test locality"


class WorkerFactory(DjangoModelFactory):
    class Meta:
        model = Worker

    name = factory.Sequence(lambda n: f"Worker {n}")
    phone = factory.LazyFunction(lambda: f"+91{next(_phones)}")
    role = WorkerRole.VOLUNTEER
    district = factory.LazyFunction(lambda: district("patna"))
