"""The campaign's period, set by the state admin: the default range of every figure."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ..models import Campaign
from ..services import campaign_save


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """Campaigns; saving one as active makes the others inactive (one active at a time)."""

    list_display = ["name", "start_date", "end_date", "is_active"]
    list_filter = ["is_active"]

    def save_model(self, request: HttpRequest, obj: Campaign, form: Any, change: bool) -> None:
        campaign_save(campaign=obj)
