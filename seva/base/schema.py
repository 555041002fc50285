"""The OpenAPI schema says what the API really answers (drf-spectacular).

drf-spectacular documents the success answer of each operation only, and derives a field's
``nullable`` from ``allow_null``, which DRF leaves unset on read-only fields. This
``AutoSchema`` (``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``) adds the error answers DRF and
``seva.base.errors.exception_handler`` can give on every operation — 400 with field errors,
401 (no or a wrong token, even where no sign-in is needed), 403, 404 (no such record, or
page), 429 (the throttles of ``seva.base.throttles``, with ``Retry-After``), and 413 where a
body is read (``seva.base.middleware.ApiBodySizeMiddleware``) — so a client, and schemathesis
in CI (tests/test_schemathesis.py), can rely on the list; and marks a read-only field nullable
when its model field (or a relation on its way there) can be null.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

# DRF's shapes: {"detail": "..."} for 401/403/404, {"field": ["message", ...]} for a 400
# (``non_field_errors`` for the record as a whole, nested objects for nested fields).
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "readOnly": True}},
    "required": ["detail"],
}
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": "Messages by field name; `non_field_errors` for the record as a whole, "
    "or `detail` for a request that could not be read.",
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object", "additionalProperties": {}},
            {"type": "string"},
        ]
    },
}
DESCRIPTIONS = {
    "400": "The request is invalid: messages by field.",
    "401": "No valid credentials were sent.",
    "403": "The user may not do this.",
    "404": "No such record in the user's scope (or no such page).",
    "413": "The body is larger than the portal reads (DATA_UPLOAD_MAX_MEMORY_SIZE).",
    "429": "Too many requests: wait the seconds the Retry-After header says.",
}
# Every operation can answer these: a 400 for a bad query or body, a 401 for a wrong token
# (authentication runs before AllowAny is consulted), a 403 (permission, or CSRF for a
# session), a 404 for a record or page outside the user's scope, a 429 from the throttles.
ALWAYS = ("400", "401", "403", "404", "429")
RETRY_AFTER = {
    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again."}
}


def may_be_null(field: serializers.Field) -> bool:
    """Whether a read-only field can answer ``null``: its default is ``None``, or a model field
    along its source (``booth.assembly_seat.district``) is nullable."""
    if field.default is None:
        return True
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or field.source == "*":
        return False
    for attr in field.source_attrs:
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False
        if getattr(model_field, "null", False):
            return True
        model = model_field.related_model
        if model is None:
            return False
    return False


def may_be_blank(field: serializers.Field) -> bool:
    """Whether a read-only choice field can answer ``""``: its model field (a direct one) is
    ``blank``. DRF drops ``allow_blank`` from read-only fields, so drf-spectacular's enum would
    leave ``""`` out (a help request's ``outcome`` before it is resolved; found by
    schemathesis)."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or len(field.source_attrs) != 1:
        return False
    try:
        return bool(model._meta.get_field(field.source_attrs[0]).blank)
    except FieldDoesNotExist:
        return False


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's ``AutoSchema`` with error answers, and nullable (and blank) read-only
    fields."""

    def _map_serializer_field(self, field: Any, direction: str, bypass_extensions: bool = False) -> Any:
        if isinstance(field, serializers.ChoiceField) and field.read_only and may_be_blank(field):
            # Read-only: nothing is validated against it, so this only reaches the schema's enum.
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _get_serializer_field_meta(self, field: Any, direction: str) -> dict[str, Any]:
        meta = super()._get_serializer_field_meta(field, direction)
        if isinstance(field, serializers.Field) and field.read_only and may_be_null(field):
            meta["nullable"] = True
        return meta

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            responses.setdefault(code, self._error_response(code))
        return responses

    def _error_codes(self) -> list[str]:
        codes = list(ALWAYS)
        if self.method in {"POST", "PUT", "PATCH"}:
            codes.append("413")
        return codes

    def _error_response(self, code: str) -> dict[str, Any]:
        name, schema = ("FieldErrors", FIELD_ERRORS_SCHEMA) if code == "400" else ("Error", ERROR_SCHEMA)
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
        self.registry.register_on_missing(component)
        response: dict[str, Any] = {
            "description": DESCRIPTIONS[code],
            "content": {"application/json": {"schema": component.ref}},
        }
        if code == "429":
            response["headers"] = RETRY_AFTER
        return response
