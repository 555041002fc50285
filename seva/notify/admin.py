"""The state admin's view of every message: why it was sent or not, and a resend for what
failed (a new attempt on the same row). Rules' options (the evening reminder's booth
presidents) are edited here; their schedule is beat's "Periodic tasks"."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from seva.base.admin import ReadOnlyAdminMixin

from . import delivery
from .choices import Status
from .models import Broadcast, InboundSms, Notification, RuleState


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "name",
        "channel",
        "address",
        "status",
        "reason",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "channel", "kind", "urgent", "language", "district"]
    search_fields = ["name", "address", "dedup_key", "body"]
    date_hierarchy = "created_at"
    list_select_related = ["district"]
    readonly_fields = [field.name for field in Notification._meta.fields if field.name != "id"]
    actions = ["resend"]

    @admin.action(description=_("Resend the selected failed or unchecked messages"), permissions=["resend"])
    def resend(self, request, queryset):
        ids = list(queryset.filter(status__in=[Status.FAILED, Status.UNCERTAIN]).values_list("id", flat=True))
        count = delivery.resend(ids)
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    def has_resend_permission(self, request):
        return request.user.has_perm("notify.resend_notification")


@admin.register(Broadcast)
class BroadcastAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "audience", "text", "recipients", "status", "created_by"]
    list_filter = ["audience", "status"]
    readonly_fields = [
        "text",
        "audience",
        "skill",
        "districts",
        "status",
        "recipients",
        "created_by",
        "created_at",
    ]


@admin.register(RuleState)
class RuleStateAdmin(admin.ModelAdmin):
    list_display = ["code", "last_run_at", "options"]
    readonly_fields = ["code", "last_run_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InboundSms)
class InboundSmsAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every SMS the gateway posted: who, what, what became of it, the reply. Read-only."""

    list_display = ["received_at", "phone", "worker", "district", "outcome", "activity", "text"]
    list_filter = ["outcome", "district"]
    search_fields = ["phone", "text", "message_id"]
    date_hierarchy = "received_at"
    list_select_related = ["worker", "district", "activity"]
    readonly_fields = [field.name for field in InboundSms._meta.fields if field.name != "id"]
