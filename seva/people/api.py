"""People API: workers. (Sign-in tokens: seva.accounts.api.)"""

from rest_framework.routers import DefaultRouter

from seva.base.rest import ScopedModelViewSet

from .filters import WorkerFilter
from .models import Worker
from .serializers import WorkerSerializer


class WorkerViewSet(ScopedModelViewSet):
    """Workers of the user's district (or of the state); ``?search=`` name or mobile."""

    queryset = Worker.objects.select_related("district", "assembly_seat")
    serializer_class = WorkerSerializer
    filterset_class = WorkerFilter


router = DefaultRouter()
router.include_root_view = False
router.register("workers", WorkerViewSet)
