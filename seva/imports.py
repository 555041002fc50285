"""Shared pieces of the spreadsheet imports (django-import-export)."""

from typing import Any


class FieldErrorsNotLookupErrors:
    """Report a bad key column (an unknown seat, district or code) as that row's field error.

    import-export looks each row up by its ``import_id_fields`` first; a widget that raises
    there makes the row an "error" of another kind, and the admin's import page lists either
    those errors or field errors, never both: one unknown seat would hide every other bad row
    of the file. Returning no instance lets the field's own check name the value instead.
    """

    def get_instance(self, instance_loader: Any, row: Any) -> Any:
        try:
            return super().get_instance(instance_loader, row)  # type: ignore[misc]
        except ValueError:
            return None
