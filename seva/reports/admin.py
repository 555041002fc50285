from django.contrib import admin

from .models import ExportLog


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """The export log, read-only: who exported what, when, with which filters."""

    list_display = ["created_at", "user", "what", "file_format", "rows", "masked"]
    list_filter = ["what", "file_format", "masked"]
    search_fields = ["user__username", "what"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
