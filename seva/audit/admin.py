from django.contrib import admin

from .models import AccessEvent


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    """The access log, read-only (the page ``/audit/access/`` searches it by person)."""

    list_display = ["at", "username", "address", "action", "subject_kind", "subject_id", "erased"]
    list_filter = ["action", "subject_kind", "erased"]
    search_fields = ["username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
