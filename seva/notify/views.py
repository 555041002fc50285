"""Pages of the messages app: broadcasts (list, write with a preview, delivery) and the
messages sent to the signed-in user or to a worker. Thin: the rules are in ``broadcasts``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView

from helplines.privacy import mask_phone
from seva.base.errors import add_service_errors
from seva.base.scoping import user_scope
from seva.people.models import Worker

from . import broadcasts
from .choices import BroadcastStatus, Channel
from .forms import BroadcastForm
from .models import Broadcast, Notification

_T = "notify/"


def mask_address(channel: str, address: str) -> str:
    """A phone as ``•••••••210``; an e-mail as ``r•••@example.org``."""
    if not address:
        return ""
    if channel == Channel.EMAIL and "@" in address:
        local, domain = address.split("@", 1)
        return f"{local[:1]}•••@{domain}"
    return mask_phone(address)


def _masked(rows: Any) -> list[Any]:
    rows = list(rows)
    for row in rows:
        row.shown_address = mask_address(row.channel, row.address)
    return rows


class BroadcastListView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """The broadcasts the user may see, newest first."""

    permission_required = "notify.view_broadcast"
    template_name = _T + "broadcast_list.html"
    paginate_by = 30
    context_object_name = "broadcasts"

    def get_queryset(self) -> Any:
        return (
            Broadcast.objects.visible_to(self.request.user)
            .select_related("created_by")
            .prefetch_related("districts")
        )


class BroadcastCreateView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Write a broadcast: the form, then a preview (who gets it and how, who does not and why)
    with the Send button, then the delivery page. The preview carries the form's fields
    hidden, so nothing is kept between the steps."""

    permission_required = "notify.add_broadcast"

    def get(self, request: Any) -> HttpResponse:
        return self._form(BroadcastForm(user=request.user))

    def post(self, request: Any) -> HttpResponse:
        form = BroadcastForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._form(form)
        if "send" in request.POST and "edit" not in request.POST:
            try:
                broadcast = broadcasts.broadcast_send(by=request.user, **form.service_kwargs())
            except ValidationError as error:
                add_service_errors(form, error)
                return self._form(form)
            messages.success(request, _("Message sent to delivery."))
            return redirect("notify:broadcast-detail", broadcast.pk)
        if "edit" in request.POST:
            return self._form(form)
        try:
            preview = broadcasts.broadcast_preview(by=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
            return self._form(form)
        return render(
            request,
            _T + "broadcast_preview.html",
            {"form": form, "preview": preview, "districts": form.cleaned_data.get("districts")},
        )

    def _form(self, form: BroadcastForm) -> HttpResponse:
        return render(self.request, _T + "broadcast_form.html", {"form": form})


class BroadcastDetailView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """A broadcast's delivery: counts by status with the reasons, and its rows (in the user's
    scope), the counts updating themselves while anything waits."""

    permission_required = "notify.view_broadcast"
    template_name = _T + "broadcast_detail.html"
    paginate_by = 50
    context_object_name = "rows"

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # Sign-in and permission first (the mixins, below): a 403 for a role without it; then
        # the scope, where another district's broadcast is a 404.
        if request.user.is_authenticated and self.has_permission():
            self.broadcast = get_object_or_404(
                Broadcast.objects.visible_to(request.user).select_related("created_by"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def notifications(self) -> Any:
        return Notification.objects.visible_to(self.request.user).filter(broadcast=self.broadcast)

    def get_queryset(self) -> Any:
        return self.notifications().order_by("name", "id")

    def get_template_names(self) -> list[str]:
        if self.request.headers.get("HX-Request"):
            return [_T + "_delivery.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        delivery = broadcasts.broadcast_delivery(self.broadcast, self.notifications())
        context.update(
            broadcast=self.broadcast,
            delivery=delivery,
            # Keep polling while rows are still being written or wait to be sent.
            polling=self.broadcast.status == BroadcastStatus.SENDING or delivery.pending > 0,
            rows=_masked(context["rows"]),
            is_state_admin=self.request.user.has_perm("notify.view_notification")
            and user_scope(self.request.user).everything,
        )
        return context


class MyMessagesView(LoginRequiredMixin, ListView):
    """The messages sent to the signed-in user (as a user, or to the worker record he is)."""

    template_name = _T + "message_list.html"
    paginate_by = 50
    context_object_name = "rows"

    def get_queryset(self) -> Any:
        return Notification.objects.to_user(self.request.user).order_by("-created_at", "-id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(rows=_masked(context["rows"]), title=_("Messages sent to me"), worker=None)
        return context


class WorkerMessagesView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """What was sent to a worker: reached from the worker's page; another district's worker is
    a 404."""

    permission_required = "people.view_worker"
    template_name = _T + "message_list.html"
    paginate_by = 50
    context_object_name = "rows"

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and self.has_permission():
            self.worker = get_object_or_404(Worker.objects.visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return Notification.objects.filter(worker=self.worker).order_by("-created_at", "-id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            rows=_masked(context["rows"]),
            title=_("Messages sent to %(name)s") % {"name": self.worker.name},
            worker=self.worker,
        )
        return context
