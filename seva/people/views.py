"""Worker pages: list with filters and search, add, edit; all within the user's scope."""

from typing import Any

from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import CreateView, UpdateView
from django_filters.views import FilterView

from seva.base.web import HtmxTemplateMixin, ScopedFilterMixin, ScopedViewMixin

from .filters import WorkerFilter
from .forms import WorkerForm
from .models import Worker


class WorkerListView(ScopedViewMixin, ScopedFilterMixin, HtmxTemplateMixin, FilterView):
    model = Worker
    filterset_class = WorkerFilter
    paginate_by = 50
    template_name = "people/worker_list.html"
    partial_template_name = "people/_worker_rows.html"

    def get_queryset(self):
        return super().get_queryset().select_related("district", "assembly_seat")


class WorkerFormMixin(ScopedViewMixin):
    model = Worker
    form_class = WorkerForm
    template_name = "people/worker_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_success_url(self) -> str:
        return reverse("people:worker-list")


class WorkerCreateView(WorkerFormMixin, CreateView):
    permission_action = "add"

    def form_valid(self, form):
        messages.success(self.request, _("Worker %(name)s added.") % {"name": form.instance.name})
        return super().form_valid(form)


class WorkerUpdateView(WorkerFormMixin, UpdateView):
    permission_action = "change"

    def form_valid(self, form):
        messages.success(self.request, _("Worker %(name)s saved.") % {"name": form.instance.name})
        return super().form_valid(form)
