"""Task pages: report an activity (built for a phone), list and review reports, the
catalogue with totals, and targets with achievement. Views are thin: services decide."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from seva.audit.history import changes
from seva.base.pagination import CachedCountPaginator
from seva.base.web import HtmxTemplateMixin, ScopedFilterMixin, ScopedViewMixin, ServiceFormView

from . import services
from .choices import ActivityOrigin, ActivityStatus
from .filters import ActivityFilter, TargetFilter
from .forms import ActivityForm, BulkVerifyForm, DateRangeForm, RejectForm, TargetForm, TargetValueForm
from .models import Activity, Target
from .selectors import attach_achievement, task_totals


class ActivityListView(ScopedViewMixin, ScopedFilterMixin, HtmxTemplateMixin, FilterView):
    model = Activity
    filterset_class = ActivityFilter
    paginate_by = 50
    paginator_class = CachedCountPaginator
    template_name = "tasks17/activity_list.html"
    partial_template_name = "tasks17/_activity_rows.html"

    def get_queryset(self):
        return super().get_queryset().for_listing()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        for activity in context["object_list"]:
            activity.reviewable = activity.status == ActivityStatus.SUBMITTED and services.can_review(
                user, activity
            )
        context["may_review"] = services.may_review_any(user)
        return context


class ActivityVerifyBulkView(ScopedViewMixin, View):
    """Verify the ticked reports of the list (those the user may review). A tampered id (not a
    whole number) verifies nothing and says so."""

    model = Activity

    def post(self, request: HttpRequest) -> HttpResponse:
        form = BulkVerifyForm(request.POST)
        if form.is_valid():
            verified = services.activities_verify_bulk(by=request.user, ids=form.cleaned_data["ids"])
            messages.success(request, _("%(count)s reports verified.") % {"count": len(verified)})
        else:
            for error in form.errors["ids"]:
                messages.error(request, error)
        return redirect(reverse("tasks17:activity-list") + _safe_query(request.POST.get("query", "")))


def _safe_query(query: str) -> str:
    """Back to the same filtered list: only a query string, never another address."""
    return f"?{query}" if query and "/" not in query and ":" not in query else ""


class ActivityDetailView(ScopedViewMixin, DetailView):
    model = Activity
    template_name = "tasks17/activity_detail.html"

    def get_queryset(self):
        return super().get_queryset().for_listing().select_related("reviewed_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        activity, user = self.object, self.request.user
        context["can_review"] = activity.status == ActivityStatus.SUBMITTED and services.can_review(
            user, activity
        )
        context["can_edit"] = services.can_edit(user, activity)
        context["report_another_url"] = _report_another_url(user, activity)
        context["reject_form"] = RejectForm()
        context["history"] = _history(activity)
        return context


# The fields "report another" carries over to the next report (``ActivityCreateView``).
REPORT_AGAIN_FIELDS = ("task", "district", "assembly_seat", "mandal", "booth")


def _report_another_url(user: Any, activity: Activity) -> str | None:
    """The report form with ``activity``'s task and place filled in, for its reporter to send
    the next one from the same place; ``None`` when he may not report it again (not his
    report, a record's report, a task retired or fed by its records)."""
    task = activity.task
    if (
        activity.reported_by_id != user.pk
        or activity.origin != ActivityOrigin.REPORT
        or not task.is_active
        or task.fed_by_records
        or not user.has_perm("tasks17.add_activity")
    ):
        return None
    query = {"task": task.code, "district": activity.district_id}
    for name in ("assembly_seat", "mandal", "booth"):
        if (pk := getattr(activity, f"{name}_id")) is not None:
            query[name] = pk
    return f"{reverse('tasks17:activity-create')}?{urlencode(query)}"


def _history(activity: Activity) -> list[Any]:
    """The report's changes, newest first (``seva.audit.history``), its numbers named by the
    metrics' labels in the user's language."""
    labels = {metric.code: metric.label for metric in activity.task.metrics.all()}

    def numbers(value: Any) -> str:
        return "; ".join(f"{labels.get(code, code)}: {n}" for code, n in (value or {}).items()) or "–"

    return changes(activity, limit=50, extra_fields=("numbers",), formatters={"numbers": numbers})


class ActivityReviewView(ServiceFormView):
    """POST only: a review decision on a report, then back to the report. A refusal (a reason
    missing, already reviewed) is said there as a message; not his to review is a 403."""

    model = Activity
    form_class = forms.Form
    http_method_names = ["post"]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        del kwargs["user"]  # the service decides who may review, not the form
        return kwargs

    def form_invalid(self, form: forms.Form) -> HttpResponse:
        for field_messages in form.errors.values():
            for message in field_messages:
                messages.error(self.request, message)
        return redirect(self.object)


class ActivityVerifyView(ActivityReviewView):
    success_message = gettext_lazy("Report verified.")

    def perform(self, form: forms.Form) -> Activity:
        return services.activity_verify(by=self.request.user, activity=self.object)


class ActivityRejectView(ActivityReviewView):
    form_class = RejectForm
    success_message = gettext_lazy("Report rejected; the reporter will see your reason.")

    def perform(self, form: RejectForm) -> Activity:
        return services.activity_reject(
            by=self.request.user, activity=self.object, reason=form.cleaned_data["reason"]
        )


class ActivityFormMixin:
    model = Activity
    form_class = ActivityForm
    template_name = "tasks17/activity_form.html"


class ActivityCreateView(ActivityFormMixin, ServiceFormView):
    """A report from a phone: choose the task, type its numbers, say where and when, send."""

    permission_action = "add"
    success_message = gettext_lazy("Thank you: your report is saved and awaits review.")

    def get_initial(self) -> dict[str, Any]:
        """ "Report another" (``?task=…&district=…&booth=…``) fills in the last report's task
        and place; the form offers only what the user may choose, so anything else is
        simply not selected."""
        initial = super().get_initial()
        for name in REPORT_AGAIN_FIELDS:
            value = self.request.GET.get(name, "")
            if value and len(value) <= 60:
                initial[name] = value
        return initial

    def perform(self, form: ActivityForm) -> Activity:
        activity, self.created = services.activity_submit_or_get(
            by=self.request.user,
            district=form.cleaned_data["district"],
            client_uuid=form.cleaned_data["client_uuid"],
            **form.service_kwargs(),
        )
        return activity

    def get_success_message(self, cleaned_data: dict[str, Any]) -> str:
        if self.created:
            return super().get_success_message(cleaned_data)
        # A resend (a weak network, a double tap): not a new success, but news to the sender.
        messages.info(self.request, _("This report was already saved; it has not been stored twice."))
        return ""


class ActivityUpdateView(ActivityFormMixin, ServiceFormView):
    """The reporter corrects his own report while it awaits review (``services.can_edit``)."""

    permission_action = "change"
    instance_kwarg = "activity"
    success_message = gettext_lazy("Your report is corrected.")

    def get_queryset(self) -> Any:
        return super().get_queryset().prefetch_related("values__metric")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refusal = services.edit_refusal(request.user, self.object)
        if isinstance(refusal, PermissionDenied):
            raise refusal
        if refusal is not None:  # reviewed, or written by a record: say why, on the report
            for message in refusal.messages:
                messages.error(request, message)
            return redirect(self.object)
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Not his report: a 403 whatever the form holds. Any other refusal comes from the
        # service, next to the form.
        refusal = services.edit_refusal(request.user, self.object)
        if isinstance(refusal, PermissionDenied):
            raise refusal
        return super().post(request, *args, **kwargs)

    def perform(self, form: ActivityForm) -> Activity:
        return services.activity_update(by=self.request.user, activity=self.object, **form.service_kwargs())


class MetricFieldsView(ScopedViewMixin, TemplateView):
    """The number inputs of the chosen task (an htmx fragment of the report form)."""

    model = Activity
    permission_action = "add"
    template_name = "tasks17/_metric_fields.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        code = self.request.GET.get("task", "")
        form = ActivityForm(user=self.request.user, initial={"task": code})
        return {**super().get_context_data(**kwargs), "form": form}


class TaskListView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """The catalogue in the active language, with totals for the user's scope and a date range
    (by default the campaign so far), read from the rollups."""

    permission_required = "tasks17.view_task"
    template_name = "tasks17/task_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = DateRangeForm(self.request.GET or None)
        start, end = form.dates()
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "start": start,
            "end": end,
            "totals": task_totals(user=self.request.user, start=start, end=end),
        }


class TargetListView(ScopedViewMixin, ScopedFilterMixin, FilterView):
    model = Target
    filterset_class = TargetFilter
    paginate_by = 50
    paginator_class = CachedCountPaginator
    template_name = "tasks17/target_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("task", "metric", "district")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["object_list"] = attach_achievement(context["object_list"])
        context["rows_key"] = self.rows_key(context["object_list"])
        return context

    def rows_key(self, targets: list[Target]) -> str:
        """A key of everything the table's rows show (names in the page's language, figures,
        the edit link): drawing 50 rows was two thirds of the page's time (bench/README.md),
        and a row changes only when one of these does."""
        shown = [
            get_language(),
            self.request.user.has_perm("tasks17.change_target"),
            *(
                (t.pk, t.task.title, t.metric.label, t.district.name, t.period_start, t.period_end, t.value)
                for t in targets
            ),
            *((t.reported, t.verified) for t in targets),
        ]
        return hashlib.sha256(repr(shown).encode()).hexdigest()


class TargetCreateView(ServiceFormView):
    model = Target
    permission_action = "add"
    form_class = TargetForm
    template_name = "tasks17/target_form.html"
    success_message = gettext_lazy("Target saved.")
    success_url = reverse_lazy("tasks17:target-list")

    def perform(self, form: TargetForm) -> Target:
        return services.target_create(by=self.request.user, **form.cleaned_data)


class TargetUpdateView(ServiceFormView):
    """State staff correct a target's number; the target's history keeps the earlier ones."""

    model = Target
    permission_action = "change"
    form_class = TargetValueForm
    instance_kwarg = "target"
    template_name = "tasks17/target_edit.html"
    success_message = gettext_lazy("Target corrected.")
    success_url = reverse_lazy("tasks17:target-list")

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("task", "metric", "district")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["history"] = changes(self.object)
        return context

    def perform(self, form: TargetValueForm) -> Target:
        return services.target_update(
            by=self.request.user, target=self.object, value=form.cleaned_data["value"]
        )
