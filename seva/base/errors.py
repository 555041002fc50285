"""A service's errors, shown once for pages and once for the API.

Services raise Django's ``ValidationError`` with a dict of field -> messages, or Django's
``PermissionDenied``. Pages show them next to their fields with :func:`add_service_errors`;
the API turns them into DRF's 400 and 403 shapes in one place, :func:`exception_handler`
(``REST_FRAMEWORK["EXCEPTION_HANDLER"]``), as the HackSoft styleguide does, so no endpoint
wraps its service call.

Some errors are about one item inside a field (a report's number for one metric): a service
raises :class:`NestedValidationError`, whose ``nested`` maps a field to ``{key: messages}``.
The API answers ``{"values": {"masks": ["..."]}}``; a form names the input of each key with
``nested_field_name(field, key)`` when it has one.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


class NestedValidationError(DjangoValidationError):
    """A ``ValidationError`` that also names the item of a field each message is about.

    ``nested`` maps a field to ``{key: [messages]}``; the same messages are also in the
    field's own list, so code that reads ``message_dict`` alone still sees them.
    """

    nested: dict[str, dict[str, list[str]]]

    def __init__(
        self, message: Any, *args: Any, nested: dict[str, dict[str, list[str]]] | None = None
    ) -> None:
        super().__init__(message, *args)
        self.nested = {field: items for field, items in (nested or {}).items() if items}


def error_detail(error: DjangoValidationError) -> dict[str, Any]:
    """A Django ``ValidationError`` in DRF's ``{field: [message]}`` shape (``__all__`` becomes
    ``non_field_errors``), with nested errors under their field."""
    if not hasattr(error, "error_dict"):
        return {"non_field_errors": error.messages}
    detail: dict[str, Any] = {
        ("non_field_errors" if field == "__all__" else field): messages
        for field, messages in error.message_dict.items()
    }
    detail.update(getattr(error, "nested", None) or {})
    return detail


def exception_handler(exc: Exception, context: dict[str, Any]) -> Any:
    """DRF's handler, after turning a service's Django errors into DRF's: a
    ``ValidationError`` is a 400 with field errors, a ``PermissionDenied`` a 403."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exceptions.ValidationError(error_detail(exc))))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)


def add_service_errors(form: forms.BaseForm, error: DjangoValidationError) -> None:
    """Show a service's ``ValidationError`` on ``form``: each message next to the field it
    names, nested messages next to their own input where the form has one
    (``form.nested_field_name(field, key)``), the rest above the form."""
    nested = getattr(error, "nested", None) or {}
    name_of = getattr(form, "nested_field_name", None)
    shown: set[str] = set()
    for field, items in nested.items():
        for key, messages in items.items():
            name = name_of(field, key) if name_of else None
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
                shown.add(message)
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, messages in error.message_dict.items():
        if field in nested:
            messages = [m for m in messages if m not in shown]
        target = field if field in form.fields and not form.fields[field].widget.is_hidden else None
        for message in messages:
            form.add_error(target, message)
