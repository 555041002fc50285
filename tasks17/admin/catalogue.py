"""Tasks in the admin: the catalogue (tasks with their metrics), targets with spreadsheet
import, and activity reports, read-only with their history.

The catalogue is data the state office edits (TASKS.md): a state admin adds, numbers,
orders, activates and retires tasks and their metrics here, with no code change. Reports
are written and reviewed through the portal's services (which check every rule and name
who changed what in the history), so here they are only read, and verified through the
same service.
"""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from seva.base.admin import ImportLimitsMixin, ReadOnlyAdminMixin

from .. import services
from ..models import Activity, ActivityValue, Metric, Target, Task, normalise_sms_keyword
from ..resources import TargetResource


class MetricFormSet(BaseInlineFormSet):
    """The metrics of one task: a code used twice is named, not a database error."""

    def get_unique_error_message(self, unique_check: Any) -> str:
        if set(unique_check) == {"task", "code"}:
            return str(_("Each metric of a task needs its own code: two metrics here have the same code."))
        return super().get_unique_error_message(unique_check)

    def clean(self) -> None:
        """Two metrics of this task (or a metric and the task) given the same SMS keyword: each
        form checks only what is already saved, so the set is checked here."""
        super().clean()
        seen = {
            normalise_sms_keyword(self.instance.sms_keyword or ""),
            normalise_sms_keyword(self.instance.sms_keyword_hi or ""),
        } - {""}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            for name in ("sms_keyword", "sms_keyword_hi"):
                word = normalise_sms_keyword(form.cleaned_data.get(name) or "")
                if not word:
                    continue
                if word in seen:
                    form.add_error(
                        name, _("The SMS keyword “%(word)s” is given twice here.") % {"word": word}
                    )
                seen.add(word)


class MetricInline(admin.TabularInline):
    model = Metric
    formset = MetricFormSet
    extra = 0
    fields = [
        "position",
        "code",
        "label_en",
        "label_hi",
        "unit_en",
        "unit_hi",
        "max_per_report",
        "sms_keyword",
        "sms_keyword_hi",
        "is_active",
    ]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    """The catalogue. ``code`` is the stable key of the API, exports and imports: it is set
    once, when the task is added. Retiring (not deleting) keeps a task's figures."""

    inlines = [MetricInline]
    list_display = [
        "code",
        "number",
        "title_en",
        "title_hi",
        "active_metrics",
        "is_active",
        "fed_by_records",
        "sms_keyword",
        "position",
    ]
    list_display_links = ["code"]
    list_editable = ["number", "position", "is_active"]
    list_filter = ["is_active", "fed_by_records"]
    search_fields = ["code", "title_en", "title_hi", "sms_keyword", "sms_keyword_hi"]
    actions = ["activate", "retire"]
    fieldsets = [
        (None, {"fields": ["code", "number", "position", "is_active", "fed_by_records"]}),
        (_("In English"), {"fields": ["title_en", "description_en"]}),
        (_("In Hindi"), {"fields": ["title_hi", "description_hi"]}),
        (None, {"fields": ["source"]}),
        (
            _("Reports by SMS"),
            {
                "fields": ["sms_keyword", "sms_keyword_hi"],
                "description": _(
                    "Workers without a smartphone report by SMS: SEVA, then a keyword and its "
                    "number, e.g. SEVA MASKS 500 182-45 (seat 182, booth 45). A metric's keyword "
                    "takes one number; the task's takes its metrics' numbers in their order."
                ),
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(active_metric_count=Count("metrics", filter=Q(metrics__is_active=True)))
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Task | None = None) -> list[str]:
        return ["code"] if obj is not None else []

    @admin.display(description=_("active metrics"), ordering="active_metric_count")
    def active_metrics(self, task: Task) -> int:
        return task.active_metric_count

    def _log_each(self, request: HttpRequest, queryset: QuerySet, message: str) -> None:
        for task in queryset:
            self.log_change(request, task, message)

    @admin.action(description=_("Activate the selected tasks"), permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet) -> None:
        tasks = list(queryset.filter(is_active=False))
        Task.objects.filter(pk__in=[task.pk for task in tasks]).update(is_active=True)
        self._log_each(request, tasks, "Activated.")
        self.message_user(
            request,
            ngettext("%(count)s task activated.", "%(count)s tasks activated.", len(tasks))
            % {"count": len(tasks)},
            messages.SUCCESS,
        )
        empty = queryset.filter(active_metric_count=0)
        if empty:
            self.message_user(
                request,
                _("Nothing can be reported for these tasks until they have an active metric: %(codes)s.")
                % {"codes": ", ".join(task.code for task in empty)},
                messages.WARNING,
            )

    @admin.action(description=_("Retire the selected tasks (their figures stay)"), permissions=["change"])
    def retire(self, request: HttpRequest, queryset: QuerySet) -> None:
        tasks = list(queryset.filter(is_active=True))
        Task.objects.filter(pk__in=[task.pk for task in tasks]).update(is_active=False)
        self._log_each(request, tasks, "Retired.")
        self.message_user(
            request,
            ngettext(
                "%(count)s task retired: it takes no new reports; its figures stay.",
                "%(count)s tasks retired: they take no new reports; their figures stay.",
                len(tasks),
            )
            % {"count": len(tasks)},
            messages.SUCCESS,
        )


@admin.register(Target)
class TargetAdmin(ImportLimitsMixin, ImportExportModelAdmin):
    """Targets, one by one or from a spreadsheet (task, metric, district by code)."""

    resource_classes = [TargetResource]
    list_display = ["task", "metric", "district", "period_start", "period_end", "value"]
    list_filter = ["task", "district", "period_start"]
    list_select_related = ["task", "metric", "district"]
    search_fields = ["task__code", "metric__code", "district__code", "district__name_en"]
    show_full_result_count = False

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "metric":
            kwargs["queryset"] = Metric.objects.select_related("task").order_by(
                "task__position", "task__number", "position", "code"
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "metric":
            # Metric labels repeat across tasks ("people"): say whose metric it is.
            field.label_from_instance = lambda metric: f"{metric.task} – {metric.label}"
        return field


class ActivityValueInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ActivityValue
    extra = 0
    fields = ["metric", "value"]
    readonly_fields = ["metric", "value"]
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("metric")


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Reports are written and reviewed through the portal's services; here they are read,
    with their change history, and may be verified (through the same service). Nothing is
    added, edited, reverted or deleted here: that would bypass the services' rules."""

    inlines = [ActivityValueInline]
    list_display = [
        "date",
        "task",
        "district",
        "assembly_seat",
        "reported_by",
        "reporter_worker",
        "status",
        "origin",
    ]
    list_filter = ["status", "origin", "task", "district"]
    list_select_related = ["task", "district", "assembly_seat", "reported_by", "reporter_worker"]
    date_hierarchy = "date"
    search_fields = ["client_uuid", "notes", "reported_by__username"]
    show_full_result_count = False
    actions = ["verify"]
    readonly_fields = [
        "task",
        "district",
        "assembly_seat",
        "mandal",
        "booth",
        "date",
        "notes",
        "reported_by",
        "reporter_worker",
        "client_uuid",
        "status",
        "reviewed_by",
        "reviewed_at",
        "rejection_reason",
        "origin",
        "created_at",
    ]
    fields = readonly_fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related(
                "task",
                "district",
                "assembly_seat",
                "mandal",
                "booth",
                "reported_by",
                "reporter_worker",
                "reviewed_by",
            )
        )

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("tasks17.review_activity")

    @admin.action(description=_("Verify the selected reports"), permissions=["review"])
    def verify(self, request: HttpRequest, queryset: QuerySet) -> None:
        try:
            verified = services.activities_verify_bulk(
                by=request.user, ids=queryset.values_list("pk", flat=True)
            )
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(count)s report verified.", "%(count)s reports verified.", len(verified))
            % {"count": len(verified)},
            messages.SUCCESS,
        )
