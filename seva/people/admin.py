"""People in the admin: workers (with import/export and history) and users with their scope."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from seva.base.admin import ImportLimitsMixin

from .models import Profile, Worker
from .resources import WorkerResource


@admin.register(Worker)
class WorkerAdmin(ImportLimitsMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [WorkerResource]
    list_display = ["name", "phone", "role", "district", "assembly_seat", "blood_group", "is_active"]
    list_filter = ["district", "role", "blood_group", "is_active"]
    list_select_related = ["district", "assembly_seat"]
    search_fields = ["name", "phone"]
    autocomplete_fields = ["assembly_seat", "booth"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["worker"]
    fields = ["state_wide", "district", "worker"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Users with their scope (whole state or one district) edited on the same page."""

    inlines = [ProfileInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "is_staff", "profile__district"]
