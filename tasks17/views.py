"""Task pages: report an activity (built for a phone), list and review reports, the
catalogue with totals, and targets with achievement. Views are thin: services decide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView

from seva.base.errors import add_service_errors
from seva.base.web import HtmxTemplateMixin, ScopedFilterMixin, ScopedViewMixin

from . import services
from .choices import ActivityOrigin, ActivityStatus
from .filters import ActivityFilter, TargetFilter
from .forms import ActivityForm, DateRangeForm, RejectForm, TargetForm
from .models import Activity, Target
from .selectors import attach_achievement, task_totals


class ActivityListView(ScopedViewMixin, ScopedFilterMixin, HtmxTemplateMixin, FilterView):
    model = Activity
    filterset_class = ActivityFilter
    paginate_by = 50
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
    """Verify the ticked reports of the list (those the user may review)."""

    model = Activity

    def post(self, request: HttpRequest) -> HttpResponse:
        ids = [int(value) for value in request.POST.getlist("ids") if value.isdigit()]
        verified = services.activities_verify_bulk(by=request.user, ids=ids)
        messages.success(request, _("%(count)s reports verified.") % {"count": len(verified)})
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
        context["can_edit"] = (
            activity.status == ActivityStatus.SUBMITTED
            and activity.origin == ActivityOrigin.REPORT
            and activity.reported_by_id == user.pk
            and user.has_perm("tasks17.change_activity")
        )
        context["reject_form"] = RejectForm()
        context["history"] = _history(activity)
        return context


def _history(activity: Activity) -> list[dict[str, Any]]:
    """The report's changes, newest first, with its numbers as they stood after each one."""
    labels = {metric.code: metric.label for metric in activity.task.metrics.all()}
    rows = []
    for record in activity.history.select_related("history_user", "task").order_by("-history_date")[:50]:
        numbers = "; ".join(
            f"{labels.get(code, code)}: {number}" for code, number in (record.numbers or {}).items()
        )
        rows.append({"record": record, "numbers": numbers})
    return rows


class ActivityReviewView(ScopedViewMixin, View):
    """POST only: verify, or reject with a reason; then back to the report."""

    model = Activity
    decision = "verify"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
        try:
            if self.decision == "verify":
                services.activity_verify(by=request.user, activity=activity)
                messages.success(request, _("Report verified."))
            else:
                services.activity_reject(
                    by=request.user, activity=activity, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Report rejected; the reporter will see your reason."))
        except ValidationError as error:
            for field_messages in error.message_dict.values():
                for message in field_messages:
                    messages.error(request, message)
        return redirect("tasks17:activity-detail", pk=activity.pk)


class ActivityFormMixin(ScopedViewMixin):
    model = Activity
    form_class = ActivityForm
    template_name = "tasks17/activity_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}


class ActivityCreateView(ActivityFormMixin, FormView):
    """A report from a phone: choose the task, type its numbers, say where and when, send."""

    permission_action = "add"

    def form_valid(self, form: ActivityForm) -> HttpResponse:
        try:
            activity, created = services.activity_submit_or_get(
                by=self.request.user,
                district=form.cleaned_data["district"],
                client_uuid=form.cleaned_data["client_uuid"],
                **form.service_kwargs(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if created:
            messages.success(self.request, _("Thank you: your report is saved and awaits review."))
        else:
            messages.info(self.request, _("This report was already saved; it has not been stored twice."))
        return HttpResponseRedirect(reverse("tasks17:activity-detail", args=[activity.pk]))


class ActivityUpdateView(ActivityFormMixin, FormView):
    """The reporter corrects his own report while it awaits review."""

    permission_action = "change"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.activity = get_object_or_404(
                Activity.objects.visible_to(request.user).prefetch_related("values__metric"), pk=kwargs["pk"]
            )
            if self.activity.reported_by_id != request.user.pk:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.activity.status != ActivityStatus.SUBMITTED:
            messages.error(request, _("A report that has been reviewed can no longer be changed."))
            return redirect("tasks17:activity-detail", pk=self.activity.pk)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "activity": self.activity}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "object": self.activity}

    def form_valid(self, form: ActivityForm) -> HttpResponse:
        try:
            services.activity_update(by=self.request.user, activity=self.activity, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your report is corrected."))
        return HttpResponseRedirect(reverse("tasks17:activity-detail", args=[self.activity.pk]))


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
    """The catalogue in the active language, with totals for the user's scope and a date range."""

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
    template_name = "tasks17/target_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("task", "metric", "district")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["object_list"] = attach_achievement(context["object_list"])
        return context


class TargetCreateView(ScopedViewMixin, FormView):
    model = Target
    permission_action = "add"
    form_class = TargetForm
    template_name = "tasks17/target_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form: TargetForm) -> HttpResponse:
        try:
            services.target_create(by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Target saved."))
        return HttpResponseRedirect(reverse("tasks17:target-list"))
