"""Base classes for the portal's pages: sign-in, permission and scope applied once, here."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured


class ScopedViewMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """For generic class-based views over a scoped model.

    Anonymous users are sent to sign in; a signed-in user without the model permission gets a
    403; objects are looked up in ``Model.objects.visible_to(user)``, so another district's
    record is a 404. ``permission_action`` (``view``, ``add``, ``change``) names the model
    permission needed, unless ``permission_required`` is given.
    """

    permission_action = "view"

    def get_permission_required(self) -> tuple[str, ...]:
        if self.permission_required:
            return super().get_permission_required()
        model = getattr(self, "model", None) or self.queryset.model  # type: ignore[attr-defined]
        if model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a model or a queryset.")
        return (f"{model._meta.app_label}.{self.permission_action}_{model._meta.model_name}",)

    def get_queryset(self) -> Any:
        return super().get_queryset().visible_to(self.request.user)  # type: ignore[misc]


class ScopedFilterMixin:
    """For django-filter's ``FilterView``: the filter set's place choices follow the user's
    scope (``seva.base.filters.ScopedFilterSet.limit_to``)."""

    def get_filterset(self, filterset_class: Any) -> Any:
        return super().get_filterset(filterset_class).limit_to(self.request.user)  # type: ignore[misc]


class HtmxTemplateMixin:
    """Render only ``partial_template_name`` when htmx asks for a fragment."""

    partial_template_name: str | None = None

    def get_template_names(self) -> list[str]:
        if self.partial_template_name and self.request.headers.get("HX-Request"):  # type: ignore[attr-defined]
            return [self.partial_template_name]
        return super().get_template_names()  # type: ignore[misc]
