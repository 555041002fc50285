"""Base classes for the REST API: scope and permissions applied once, here.

Every viewset starts from ``Model.objects.visible_to(user)`` (see ``seva.base.scoping``), so a
record of another district is a 404, and checks the user's Django model permissions, with
``view`` required for reads too (DRF's own DjangoModelPermissions lets any reader through).
"""

from typing import Any

from rest_framework import mixins, viewsets
from rest_framework.permissions import DjangoModelPermissions, IsAuthenticated


class ModelPermissions(DjangoModelPermissions):
    """Django model permissions, reads included."""

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }


class ChangePermissions(ModelPermissions):
    """For workflow actions (``POST {id}/hold/``, ``withdraw/``…): they change a record, so
    they need the model's ``change`` permission, not ``add``."""

    perms_map = {**ModelPermissions.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


# The permission classes of such an action: ``@action(..., permission_classes=CHANGE_ACTION)``.
CHANGE_ACTION = [IsAuthenticated, ChangePermissions]


class ScopedViewSetMixin:
    """Limits ``queryset`` to what the requesting user may see."""

    permission_classes = [IsAuthenticated, ModelPermissions]

    def get_queryset(self) -> Any:
        return super().get_queryset().visible_to(self.request.user)  # type: ignore[misc]


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve, scoped."""


class ScopedModelViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """List, retrieve, create and update, scoped. No delete: records are deactivated."""

    http_method_names = ["get", "post", "patch", "head", "options"]
