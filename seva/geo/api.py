"""Geography API: read-only, scoped like everything else."""

from rest_framework.routers import DefaultRouter

from seva.base.rest import ScopedReadOnlyViewSet

from .filters import AssemblySeatFilter, BoothFilter, MandalFilter
from .models import AssemblySeat, Booth, District, LokSabhaSeat, Mandal
from .serializers import (
    AssemblySeatSerializer,
    BoothSerializer,
    DistrictSerializer,
    LokSabhaSeatSerializer,
    MandalSerializer,
)


class DistrictViewSet(ScopedReadOnlyViewSet):
    """Districts, by ``code``. A district coordinator sees only his own."""

    queryset = District.objects.all()
    serializer_class = DistrictSerializer
    lookup_field = "code"
    filterset_fields = ["division"]


class LokSabhaSeatViewSet(ScopedReadOnlyViewSet):
    """Lok Sabha seats, by ``number``: those with an assembly seat in the user's scope."""

    queryset = LokSabhaSeat.objects.all()
    serializer_class = LokSabhaSeatSerializer
    lookup_field = "number"
    filterset_fields = ["reserved"]


class AssemblySeatViewSet(ScopedReadOnlyViewSet):
    """Assembly seats, by ``number``; ``?district=<code>``, ``?lok_sabha_seat=<number>``."""

    queryset = AssemblySeat.objects.select_related("district", "lok_sabha_seat")
    serializer_class = AssemblySeatSerializer
    lookup_field = "number"
    filterset_class = AssemblySeatFilter


class MandalViewSet(ScopedReadOnlyViewSet):
    """Mandals; ``?assembly_seat=<number>``."""

    queryset = Mandal.objects.select_related("assembly_seat")
    serializer_class = MandalSerializer
    filterset_class = MandalFilter


class BoothViewSet(ScopedReadOnlyViewSet):
    """Booths; ``?assembly_seat=<number>&search=<text>``."""

    queryset = Booth.objects.select_related("assembly_seat")
    serializer_class = BoothSerializer
    filterset_class = BoothFilter


router = DefaultRouter()
router.include_root_view = False
router.register("districts", DistrictViewSet)
router.register("lok-sabha-seats", LokSabhaSeatViewSet)
router.register("assembly-seats", AssemblySeatViewSet)
router.register("mandals", MandalViewSet)
router.register("booths", BoothViewSet)
