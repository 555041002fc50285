"""Spreadsheet import and export of mandals and booths (django-import-export).

Mandals and booths are not public, so admins import them from the state office's sheets.
Places are named by stable keys: the seat by its number, the mandal by its name within the
seat. The admin checks the whole file first (a dry run) and writes nothing while any row is
bad; every bad row is listed with its reason.
"""

from import_export import fields, resources

from seva.base.imports import FieldErrorsNotLookupErrors, KeyWidget

from .models import AssemblySeat, Booth, Mandal


def seat_widget() -> KeyWidget:
    """An assembly seat by its number."""
    return KeyWidget(AssemblySeat, "number", lambda value, row: f"No assembly seat number {value}.")


def mandal_in_seat_widget() -> KeyWidget:
    """A mandal by its name within the row's assembly seat."""
    return KeyWidget(
        Mandal,
        "name",
        lambda value, row: f"No mandal “{value}” in assembly seat {row.get('assembly_seat')}.",
        within=("assembly_seat__number", "assembly_seat"),
    )


class MandalResource(FieldErrorsNotLookupErrors, resources.ModelResource):
    assembly_seat = fields.Field(attribute="assembly_seat", column_name="assembly_seat", widget=seat_widget())

    class Meta:
        model = Mandal
        fields = ("assembly_seat", "name")
        import_id_fields = ("assembly_seat", "name")
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True


class BoothResource(FieldErrorsNotLookupErrors, resources.ModelResource):
    assembly_seat = fields.Field(attribute="assembly_seat", column_name="assembly_seat", widget=seat_widget())
    mandal = fields.Field(attribute="mandal", column_name="mandal", widget=mandal_in_seat_widget())

    class Meta:
        model = Booth
        fields = ("assembly_seat", "number", "name", "name_hi", "locality", "mandal", "corona_free_since")
        import_id_fields = ("assembly_seat", "number")
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True
