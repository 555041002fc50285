"""Tasks in the admin: the catalogue (tasks with their metrics), targets with spreadsheet
import, and activity reports, read-mostly with their history."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, ActivityValue, Metric, Target, Task
from .resources import TargetResource


class MetricInline(admin.TabularInline):
    model = Metric
    extra = 0
    fields = ["position", "code", "label_en", "label_hi", "unit_en", "unit_hi", "max_per_report", "is_active"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    inlines = [MetricInline]
    list_display = ["code", "number", "title_en", "title_hi", "is_active", "position"]
    list_editable = ["number", "position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "title_en", "title_hi"]
    actions = ["activate", "retire"]

    @admin.action(description=_("Activate the selected tasks"))
    def activate(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.update(is_active=True)
        self.message_user(request, _("%(count)s tasks active.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Retire the selected tasks (their figures stay)"))
    def retire(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.update(is_active=False)
        self.message_user(request, _("%(count)s tasks retired.") % {"count": count}, messages.SUCCESS)


@admin.register(Target)
class TargetAdmin(ImportExportModelAdmin):
    resource_classes = [TargetResource]
    list_display = ["task", "metric", "district", "period_start", "period_end", "value"]
    list_filter = ["task", "district"]
    list_select_related = ["task", "metric", "district"]


class ActivityValueInline(admin.TabularInline):
    model = ActivityValue
    extra = 0
    fields = ["metric", "value"]
    readonly_fields = ["metric", "value"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    """Reports are written and reviewed through the portal's services; here they are read."""

    inlines = [ActivityValueInline]
    list_display = ["date", "task", "district", "assembly_seat", "reported_by", "status"]
    list_filter = ["status", "task", "district"]
    list_select_related = ["task", "district", "assembly_seat", "reported_by"]
    date_hierarchy = "date"
    search_fields = ["client_uuid", "notes", "reported_by__username"]
    readonly_fields = [
        "task",
        "district",
        "assembly_seat",
        "mandal",
        "booth",
        "date",
        "reported_by",
        "client_uuid",
        "status",
        "reviewed_by",
        "reviewed_at",
        "rejection_reason",
        "created_at",
    ]
    fields = [*readonly_fields[:6], "notes", *readonly_fields[6:]]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
