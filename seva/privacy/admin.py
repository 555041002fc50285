"""The privacy notice and consent records in the admin. A published notice is never changed
(a change is a new version); consent records are written only by ``services.consent_record``."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from seva.base.admin import ReadOnlyAdminMixin

from .models import ConsentRecord, PrivacyNotice


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    list_display = ["version", "published_on"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A version once saved stays as the people who consented under it read it.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "at",
        "subject_kind",
        "subject_id",
        "purpose",
        "given",
        "notice",
        "channel",
        "recorded_by",
    ]
    list_filter = ["subject_kind", "purpose", "given", "channel"]
    list_select_related = ["notice", "recorded_by"]
    date_hierarchy = "at"
