"""People in the admin: workers (with import/export and history) and users with their scope."""

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from seva.audit.history import changes
from seva.base.admin import BackgroundImportMixin, ImportLimitsMixin
from seva.privacy.actions import EraseActionMixin, erase_people

from .models import Profile, Worker
from .resources import WorkerResource


@admin.register(Worker)
class WorkerAdmin(
    EraseActionMixin, BackgroundImportMixin, ImportLimitsMixin, ImportExportModelAdmin, SimpleHistoryAdmin
):
    # Imported and exported through /imports/workers/ (a background job): see the mixin.
    bulk_kind = "workers"
    resource_classes = [WorkerResource]
    actions = [erase_people]
    list_display = ["name", "phone", "role", "district", "assembly_seat", "blood_group", "is_active"]
    list_filter = ["district", "role", "blood_group", "is_active"]
    list_select_related = ["district", "assembly_seat"]
    search_fields = ["name", "phone"]
    autocomplete_fields = ["assembly_seat", "booth"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["worker"]
    fields = ["state_wide", "district", "worker", "language"]


User = get_user_model()
admin.site.unregister(User)


# Flags and grants only a superuser may see or set: with them a user gives himself (or
# anyone) every permission there is.
SUPERUSER_ONLY_FIELDS = ("is_staff", "is_superuser", "user_permissions")


def grantable_groups(user: Any) -> QuerySet:
    """The groups ``user`` may give: those granting nothing he lacks himself."""
    if user.is_superuser:
        return Group.objects.all()
    held = user.get_all_permissions()
    allowed = [
        group.pk
        for group in Group.objects.prefetch_related("permissions__content_type")
        if {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()} <= held
    ]
    return Group.objects.filter(pk__in=allowed)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Users with their scope (whole state or one district) edited on the same page.

    The state admin manages users without being superuser, so he must not be able to make
    anyone (himself included) superuser or staff, grant single permissions, give a group
    with more rights than he has, or edit a superuser's account (its password included).
    """

    inlines = [ProfileInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "is_staff", "profile__district"]

    readonly_fields = ["change_history"]

    @admin.display(description=_("History"))
    def change_history(self, obj: Any) -> str:
        """Who changed the account and its scope, newest first (read here, never reverted:
        a revert could hand back rights the state admin may not give)."""
        entries = changes(obj)
        profile = Profile.objects.filter(user=obj).first()
        if profile is not None:
            entries = sorted([*entries, *changes(profile)], key=lambda entry: entry.at, reverse=True)[:20]
        return render_to_string("partials/history.html", {"history": entries})

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            fieldsets = [*fieldsets, (_("History"), {"fields": ["change_history"]})]
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in SUPERUSER_ONLY_FIELDS]})
            for name, options in fieldsets
        ]

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = super().get_list_filter(request)
        return (
            filters if request.user.is_superuser else [f for f in filters if f not in SUPERUSER_ONLY_FIELDS]
        )

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = grantable_groups(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, **kwargs)
        groups = form.base_fields.get("groups")
        if groups is not None and obj is not None and not request.user.is_superuser:
            # A group the user already has stays (saving must not strip it), but no new one
            # above the editor's own rights can be added.
            groups.queryset = (grantable_groups(request.user) | obj.groups.all()).distinct()
        return form

    def _touches_a_superuser(self, request: HttpRequest, obj: Any) -> bool:
        return obj is not None and obj.is_superuser and not request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._touches_a_superuser(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._touches_a_superuser(request, obj) and super().has_delete_permission(request, obj)
