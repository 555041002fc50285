"""Helplines in the admin. The state office sets up helplines and their members (operators,
the lead) and facilities here; requests, their timelines, shifts and availability reports are
written through ``helplines.services``, so here they are read only."""

from django.contrib import admin

from seva.base.admin import ReadOnlyAdminMixin
from seva.privacy.actions import EraseActionMixin, erase_people

from .models import AvailabilityReport, Facility, Helpline, HelplineMember, HelpRequest, RequestEvent, Shift


class MemberInline(admin.TabularInline):
    model = HelplineMember
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Helpline)
class HelplineAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "district", "phones", "is_24x7", "is_active"]
    list_filter = ["is_active", "district"]
    search_fields = ["name", "city"]
    filter_horizontal = ["districts"]
    inlines = [MemberInline]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district", "phone", "is_active"]
    list_filter = ["kind", "is_active", "district"]
    search_fields = ["name", "address"]


@admin.register(AvailabilityReport)
class AvailabilityReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["facility", "reported_at", "verification", "beds_oxygen", "beds_icu", "oxygen_cylinders"]
    list_select_related = ["facility"]


@admin.register(Shift)
class ShiftAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["helpline", "operator", "start", "end"]
    list_filter = ["helpline"]


class EventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RequestEvent
    fields = ["at", "kind", "by", "note"]


@admin.register(HelpRequest)
class HelpRequestAdmin(EraseActionMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    actions = [erase_people]
    list_display = ["reference", "helpline", "district", "category", "urgency", "status", "created_at"]
    list_filter = ["status", "category", "urgency", "helpline"]
    search_fields = ["reference"]
    list_select_related = ["helpline", "district"]
    inlines = [EventInline]
