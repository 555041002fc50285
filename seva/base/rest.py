"""Base classes for the REST API: scope and permissions applied once, here.

Every viewset starts from ``Model.objects.visible_to(user)`` (see ``seva.base.scoping``), so a
record of another district is a 404, and checks the user's Django model permissions, with
``view`` required for reads too (DRF's own DjangoModelPermissions lets any reader through).
"""

from typing import Any

from rest_framework import mixins, status, viewsets
from rest_framework.permissions import BasePermission, DjangoModelPermissions, IsAuthenticated
from rest_framework.response import Response


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


def needs_permission(codename: str) -> list[type[BasePermission]]:
    """The permission classes of an action that needs one named permission
    (``"app_label.codename"``) rather than a model's add or change:
    ``@action(..., permission_classes=needs_permission("tasks17.renew_donor_consent"))``. The
    record is still looked up in the user's scope (a 404 outside it)."""

    class HasPermission(BasePermission):
        def has_permission(self, request: Any, view: Any) -> bool:
            return bool(request.user.has_perm(codename))

    return [IsAuthenticated, HasPermission]


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


class ServiceModelViewSet(ScopedModelViewSet):
    """A scoped viewset whose writes call services: ``perform_create``, ``perform_update`` and
    each workflow action call one service with ``by=request.user``, and set
    ``serializer.instance`` to what it wrote. A service's ``ValidationError`` or
    ``PermissionDenied`` needs no catching: the exception handler (``seva.base.errors``)
    answers it as a 400 or a 403.

    An action answers with :meth:`answer`: the row the service wrote, fetched again through
    the scoped queryset (with its ``select_related``), so it reads as the list shows it."""

    def answer(self, row: Any, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=row.pk)).data, status=code)
