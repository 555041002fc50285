"""Spreadsheet import and export of workers. The whole file is checked before anything is
written; each bad row is listed with its reason (import-export's dry run in the admin)."""

from typing import Any

from import_export import fields, resources, widgets

from seva.geo.models import Booth, District
from seva.geo.resources import SeatWidget
from seva.imports import FieldErrorsNotLookupErrors

from .models import WORKER_FIELDS, Worker
from .validators import normalize_indian_mobile


class IndianMobileWidget(widgets.CharWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        from django.core.exceptions import ValidationError

        try:
            return normalize_indian_mobile(str(value or ""))
        except ValidationError as error:
            raise ValueError(f"{value}: {error.messages[0]}") from None


class DistrictWidget(widgets.ForeignKeyWidget):
    def __init__(self) -> None:
        super().__init__(District, field="code")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> District | None:
        try:
            return super().clean(value, row, **kwargs)
        except District.DoesNotExist:
            raise ValueError(f"No district with code “{value}”.") from None


class BoothInSeatWidget(widgets.ForeignKeyWidget):
    """A booth by its number within the row's assembly seat."""

    def __init__(self) -> None:
        super().__init__(Booth, field="number")

    def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any):
        return Booth.objects.filter(assembly_seat__number=row.get("assembly_seat"))

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Booth | None:
        try:
            return super().clean(value, row, **kwargs)
        except Booth.DoesNotExist:
            raise ValueError(f"No booth {value} in assembly seat {row.get('assembly_seat')}.") from None

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value.number)


class WorkerResource(FieldErrorsNotLookupErrors, resources.ModelResource):
    phone = fields.Field(attribute="phone", column_name="phone", widget=IndianMobileWidget())
    district = fields.Field(attribute="district", column_name="district", widget=DistrictWidget())
    assembly_seat = fields.Field(attribute="assembly_seat", column_name="assembly_seat", widget=SeatWidget())
    booth = fields.Field(attribute="booth", column_name="booth", widget=BoothInSeatWidget())

    class Meta:
        model = Worker
        fields = WORKER_FIELDS
        import_id_fields = ("phone",)
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True
