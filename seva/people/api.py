"""People API: workers. (Sign-in tokens: seva.accounts.api.)"""

from rest_framework.routers import DefaultRouter

from seva.base.rest import ScopedModelViewSet

from . import services
from .filters import WorkerFilter
from .models import Worker
from .serializers import WorkerSerializer


class WorkerViewSet(ScopedModelViewSet):
    """Workers of the user's district (or of the state); ``?search=`` name or mobile. Writes
    go through ``worker_create`` / ``worker_update``."""

    queryset = Worker.objects.select_related("district", "assembly_seat")
    serializer_class = WorkerSerializer
    filterset_class = WorkerFilter

    def perform_create(self, serializer: WorkerSerializer) -> None:
        serializer.instance = services.worker_create(by=self.request.user, data=serializer.validated_data)

    def perform_update(self, serializer: WorkerSerializer) -> None:
        serializer.instance = services.worker_update(
            by=self.request.user, worker=serializer.instance, data=serializer.validated_data
        )


router = DefaultRouter()
router.include_root_view = False
router.register("workers", WorkerViewSet)
