"""Base classes for the portal's pages: sign-in, permission and scope applied once, here."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.shortcuts import get_object_or_404
from django.views.generic import FormView

from .errors import add_service_errors


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


class ServiceFormView(ScopedViewMixin, SuccessMessageMixin, FormView):
    """A page whose form calls one service (NetBox's ``ObjectEditView``, for services).

    Subclasses set ``form_class``, ``template_name``, ``permission_action`` and
    ``success_message``, and write :meth:`perform`: it calls the service with the form's
    cleaned data and returns the object written. A ``ValidationError`` from the service shows
    next to its fields (:func:`seva.base.errors.add_service_errors`) with status 200 and the
    form kept; a ``PermissionDenied`` is a 403. On success the page redirects to
    :meth:`get_success_url` (the object's ``get_absolute_url`` by default) with the message.

    When the URL names a ``pk``, ``self.object`` is that row, fetched through
    ``visible_to(user)`` (another district's is a 404) before anything else happens; the form
    gets ``user`` and, when the form takes it, ``instance_kwarg`` (``camp=``, ``activity=``).
    """

    instance_kwarg: str | None = None
    object: Any = None

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and "pk" in kwargs:
            self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return self.model.objects.visible_to(self.request.user)  # type: ignore[attr-defined]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        if self.instance_kwarg:
            kwargs[self.instance_kwarg] = self.object
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "object": self.object}

    def perform(self, form: Any) -> Any:
        """Call the service; return the object it wrote."""
        raise ImproperlyConfigured(f"{type(self).__name__} must define perform(form).")

    def form_valid(self, form: Any) -> Any:
        try:
            self.object = self.perform(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        return super().form_valid(form)

    def get_success_url(self) -> str:
        if self.success_url:
            return str(self.success_url)
        return self.object.get_absolute_url()
