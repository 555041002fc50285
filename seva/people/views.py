"""Worker pages: list with filters and search, add, edit; all within the user's scope.
Adding and editing go through the services (``worker_create``, ``worker_update``)."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView

from seva.audit.choices import SubjectKind
from seva.audit.history import changes
from seva.audit.services import access_viewed
from seva.base.pagination import CachedCountPaginator
from seva.base.web import HtmxTemplateMixin, ScopedFilterMixin, ScopedViewMixin, ServiceFormView

from . import services
from .filters import WorkerFilter
from .forms import WorkerForm
from .models import Worker


class WorkerListView(ScopedViewMixin, ScopedFilterMixin, HtmxTemplateMixin, FilterView):
    model = Worker
    filterset_class = WorkerFilter
    paginate_by = 50
    paginator_class = CachedCountPaginator
    template_name = "people/worker_list.html"
    partial_template_name = "people/_worker_rows.html"

    def get_queryset(self):
        return super().get_queryset().select_related("district", "assembly_seat")


class WorkerFormMixin:
    model = Worker
    form_class = WorkerForm
    template_name = "people/worker_form.html"
    instance_kwarg = "instance"  # a model form: it shows the worker being edited
    success_url = reverse_lazy("people:worker-list")


class WorkerCreateView(WorkerFormMixin, ServiceFormView):
    permission_action = "add"
    success_message = _("Worker %(name)s added.")

    def perform(self, form: WorkerForm) -> Worker:
        return services.worker_create(by=self.request.user, data=form.cleaned_data)


class WorkerUpdateView(WorkerFormMixin, ServiceFormView):
    permission_action = "change"
    success_message = _("Worker %(name)s saved.")

    def get(self, request, *args, **kwargs):
        # The form shows the worker's mobile number: a view of his personal details.
        access_viewed(request=request, subjects=[(SubjectKind.WORKER, self.object.pk, self.object.phone)])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "history": changes(self.object)}

    def perform(self, form: WorkerForm) -> Worker:
        return services.worker_update(by=self.request.user, worker=self.object, data=form.cleaned_data)
