"""Spreadsheet import and export of mandals and booths (django-import-export).

Mandals and booths are not public, so admins import them from the state office's sheets.
Places are named by stable keys: the seat by its number, the mandal by its name within the
seat. The admin checks the whole file first (a dry run) and writes nothing while any row is
bad; every bad row is listed with its reason.
"""

from typing import Any

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from seva.imports import FieldErrorsNotLookupErrors

from .models import AssemblySeat, Booth, Mandal


class SeatWidget(ForeignKeyWidget):
    """An assembly seat by its number, with a clear message when there is none."""

    def __init__(self) -> None:
        super().__init__(AssemblySeat, field="number")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> AssemblySeat | None:
        try:
            return super().clean(value, row, **kwargs)
        except AssemblySeat.DoesNotExist:
            raise ValueError(f"No assembly seat number {value}.") from None


class MandalInSeatWidget(ForeignKeyWidget):
    """A mandal by name, looked up within the row's assembly seat."""

    def __init__(self) -> None:
        super().__init__(Mandal, field="name")

    def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any):
        return Mandal.objects.filter(assembly_seat__number=row.get("assembly_seat"))

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Mandal | None:
        try:
            return super().clean(value, row, **kwargs)
        except Mandal.DoesNotExist:
            raise ValueError(f"No mandal “{value}” in assembly seat {row.get('assembly_seat')}.") from None


class MandalResource(FieldErrorsNotLookupErrors, resources.ModelResource):
    assembly_seat = fields.Field(attribute="assembly_seat", column_name="assembly_seat", widget=SeatWidget())

    class Meta:
        model = Mandal
        fields = ("assembly_seat", "name")
        import_id_fields = ("assembly_seat", "name")
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True


class BoothResource(FieldErrorsNotLookupErrors, resources.ModelResource):
    assembly_seat = fields.Field(attribute="assembly_seat", column_name="assembly_seat", widget=SeatWidget())
    mandal = fields.Field(attribute="mandal", column_name="mandal", widget=MandalInSeatWidget())

    class Meta:
        model = Booth
        fields = ("assembly_seat", "number", "name", "locality", "mandal", "corona_free_since")
        import_id_fields = ("assembly_seat", "number")
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True
