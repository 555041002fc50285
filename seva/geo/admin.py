"""Geography in the admin: districts and seats read-only (reloaded from data), mandals and
booths imported from spreadsheets."""

from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from seva.base.admin import BackgroundImportMixin, ImportLimitsMixin

from .models import AssemblySeat, Booth, District, LokSabhaSeat, Mandal
from .resources import BoothResource, MandalResource


class ReadOnlyAdmin(admin.ModelAdmin):
    """The state's fixed geography: change it with `manage.py load_geography`, not by hand."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(District)
class DistrictAdmin(ReadOnlyAdmin):
    list_display = ["name_en", "name_hi", "code", "division", "headquarters"]
    list_filter = ["division"]
    search_fields = ["name_en", "name_hi", "code"]
    fields = ["code", "name_en", "name_hi", "division", "headquarters", "headquarters_hi", "position"]
    readonly_fields = ["code", "position"]


@admin.register(LokSabhaSeat)
class LokSabhaSeatAdmin(ReadOnlyAdmin):
    list_display = ["number", "name_en", "name_hi", "reserved"]
    search_fields = ["name_en", "name_hi"]
    readonly_fields = ["number"]


@admin.register(AssemblySeat)
class AssemblySeatAdmin(ReadOnlyAdmin):
    list_display = ["number", "name_en", "name_hi", "district", "lok_sabha_seat", "reserved"]
    list_filter = ["district", "reserved"]
    list_select_related = ["district", "lok_sabha_seat"]
    search_fields = ["name_en", "name_hi", "=number"]
    readonly_fields = ["number", "district", "lok_sabha_seat", "reserved"]


@admin.register(Mandal)
class MandalAdmin(ImportLimitsMixin, ImportExportModelAdmin):
    resource_classes = [MandalResource]
    list_display = ["name", "assembly_seat"]
    list_filter = ["assembly_seat__district"]
    list_select_related = ["assembly_seat"]
    search_fields = ["name", "=assembly_seat__number"]
    autocomplete_fields = ["assembly_seat"]


@admin.register(Booth)
class BoothAdmin(BackgroundImportMixin, ImportLimitsMixin, ImportExportModelAdmin):
    # Imported and exported through /imports/booths/ (a background job): see the mixin.
    bulk_kind = "booths"
    resource_classes = [BoothResource]
    list_display = ["number", "name", "assembly_seat", "mandal", "corona_free_since"]
    list_filter = ["assembly_seat__district"]
    list_select_related = ["assembly_seat", "mandal"]
    search_fields = ["name", "name_hi", "locality", "=number"]
    autocomplete_fields = ["assembly_seat", "mandal"]
