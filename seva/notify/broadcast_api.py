"""Broadcasts API: ``GET/POST /api/v1/broadcasts/``, ``GET /api/v1/broadcasts/{id}/`` (with its
delivery) and ``POST /api/v1/broadcasts/preview/`` (who would get it, writing nothing).

Scoped like every endpoint: a coordinator sees broadcasts sent to his district and sends to
his district only. Writes call ``broadcasts``; its ``ValidationError`` is a 400 with field
errors through the API's exception handler."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from seva.base.rest import ScopedViewSetMixin, needs_permission

from . import broadcasts
from .models import Broadcast
from .serializers import BroadcastDetailSerializer, BroadcastPreviewSerializer, BroadcastSerializer


class BroadcastViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Broadcast.objects.select_related("created_by").prefetch_related("districts")
    serializer_class = BroadcastSerializer

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return BroadcastDetailSerializer
        return BroadcastSerializer

    def perform_create(self, serializer: BroadcastSerializer) -> None:
        serializer.instance = broadcasts.broadcast_send(by=self.request.user, **serializer.service_kwargs())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        row = self.get_queryset().get(pk=serializer.instance.pk)
        return Response(
            BroadcastDetailSerializer(row, context=self.get_serializer_context()).data,
            status.HTTP_201_CREATED,
        )

    @extend_schema(request=BroadcastSerializer, responses=BroadcastPreviewSerializer)
    @action(detail=False, methods=["post"], permission_classes=needs_permission("notify.add_broadcast"))
    def preview(self, request: Request) -> Response:
        serializer = BroadcastSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        preview = broadcasts.broadcast_preview(by=request.user, **serializer.service_kwargs())
        return Response(BroadcastPreviewSerializer(preview).data)


router = DefaultRouter()
router.register("broadcasts", BroadcastViewSet, basename="broadcast")
