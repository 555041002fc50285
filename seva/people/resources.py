"""Spreadsheet import and export of workers. The whole file is checked before anything is
written; each bad row is listed with its reason (import-export's dry run in the admin). Each
row is written by ``worker_create`` / ``worker_update``, with the importing user's scope."""

from typing import Any

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets
from phonenumber_field.phonenumber import to_python

from seva.base.imports import FieldErrorsNotLookupErrors, KeyWidget, RowsThroughService
from seva.geo.models import Booth, District
from seva.geo.resources import seat_widget

from . import services
from .models import WORKER_FIELDS, Worker
from .validators import validate_indian_mobile


class IndianMobileWidget(widgets.CharWidget):
    """A mobile number cell, read as the model field reads it (E.164) so that a row finds its
    worker by number however the number is written."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        number = to_python(str(value or "").strip(), region="IN")
        try:
            validate_indian_mobile(number)
        except ValidationError as error:
            raise ValueError(f"{value}: {error.messages[0]}") from None
        return str(number)


def district_widget() -> KeyWidget:
    """A district by its code (``patna``)."""
    return KeyWidget(District, "code", lambda value, row: f"No district with code “{value}”.")


def booth_in_seat_widget() -> KeyWidget:
    """A booth by its number within the row's assembly seat."""
    return KeyWidget(
        Booth,
        "number",
        lambda value, row: f"No booth {value} in assembly seat {row.get('assembly_seat')}.",
        within=("assembly_seat__number", "assembly_seat"),
    )


class WorkerResource(FieldErrorsNotLookupErrors, RowsThroughService, resources.ModelResource):
    phone = fields.Field(attribute="phone", column_name="phone", widget=IndianMobileWidget())
    district = fields.Field(attribute="district", column_name="district", widget=district_widget())
    assembly_seat = fields.Field(attribute="assembly_seat", column_name="assembly_seat", widget=seat_widget())
    booth = fields.Field(attribute="booth", column_name="booth", widget=booth_in_seat_widget())

    class Meta:
        model = Worker
        fields = WORKER_FIELDS
        import_id_fields = ("phone",)
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True

    def write(self, instance: Worker, *, new: bool, by: Any) -> Worker:
        data = {field: getattr(instance, field) for field in WORKER_FIELDS}
        if new:
            return services.worker_create(by=by, data=data)
        return services.worker_update(by=by, worker=instance, data=data)
