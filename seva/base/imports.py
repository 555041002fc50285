"""Shared pieces of the spreadsheet imports (django-import-export)."""

from collections.abc import Callable
from typing import Any

import tablib
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from import_export import widgets


class ImportTooLarge(ValueError):
    """A spreadsheet with more rows than one import may take (``SEVA_IMPORT_MAX_ROWS``)."""


def within_row_limit(dataset: tablib.Dataset) -> tablib.Dataset:
    """``dataset``, as just read from an uploaded file, or :class:`ImportTooLarge` when it has
    more rows than ``SEVA_IMPORT_MAX_ROWS``: checking and writing is about 145 rows a second,
    so a bigger file would run past the web server's timeout. The admin shows the message
    (``seva.base.admin.ImportLimitsMixin``)."""
    limit = settings.SEVA_IMPORT_MAX_ROWS
    if dataset.height > limit:
        raise ImportTooLarge(
            _("This file has %(rows)s rows; one import takes at most %(limit)s. Split it into smaller files.")
            % {"rows": dataset.height, "limit": limit}
        )
    return dataset


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


class RowsThroughService:
    """Write each imported row through the app's service instead of ``instance.save()``, so a
    spreadsheet meets the same rules (scope above all) as a page or the API.

    The row is first built and checked as import-export does (``clean_model_instances``); then
    :meth:`write` calls the service with the row's values and ``by``, the signed-in user the
    admin passes as ``user``. A row the service refuses is an invalid row with the service's
    field errors, listed with every other bad row (a row outside the user's scope, a 404 for
    the service, with the scope's message). The file runs in one transaction, a dry run first
    (``use_transactions = True``, which this needs: the dry run writes, then rolls back), so a
    file with any bad row writes nothing.
    """

    def write(self, instance: Any, *, new: bool, by: Any) -> models.Model:
        """Call the service for ``instance`` (a new row, or the stored row it changes); return
        what it wrote."""
        raise ImproperlyConfigured(f"{type(self).__name__} must define write(instance, new=, by=).")

    def save_instance(self, instance: Any, is_create: bool, row: Any, **kwargs: Any) -> None:
        self.before_save_instance(instance, row, **kwargs)  # type: ignore[attr-defined]
        try:
            written = self.write(instance, new=is_create, by=kwargs.get("user"))
        except Http404 as error:
            raise ValidationError(str(error)) from None
        instance.pk = written.pk  # the admin's log and the result name the row written
        self.after_save_instance(instance, row, **kwargs)  # type: ignore[attr-defined]


class KeyWidget(widgets.ForeignKeyWidget):
    """A related row named by a stable key (a seat by its number, a district or task by its
    code), optionally looked up within the row's parent (``within=(lookup, column)``: a booth
    within the row's seat). An unknown key is a ``ValueError`` whose message,
    ``not_found(value, row)``, names it, so the import lists the row with its reason."""

    def __init__(
        self,
        model: Any,
        field: str,
        not_found: Callable[[Any, Any], str],
        within: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(model, field=field)
        self.not_found = not_found
        self.within = within

    def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any) -> Any:
        queryset = super().get_queryset(value, row, *args, **kwargs)
        if self.within:
            lookup, column = self.within
            queryset = queryset.filter(**{lookup: str(row.get(column) or "").strip()})
        return queryset

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(self.not_found(value, row)) from None
