"""The OpenAPI schema says what the API really answers (drf-spectacular).

drf-spectacular documents the success answer of each operation only, and derives a field's
``nullable`` from ``allow_null``, which DRF leaves unset on read-only fields. This
``AutoSchema`` (``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``) adds, to every operation, the
error answers DRF and ``seva.base.errors.exception_handler`` give — 400 with field errors on
writes and on filtered lists, 401 and 403 where a user must sign in, 404 where a path names a
record or a list has pages — and marks a read-only field nullable when its model field (or a
relation on its way there) can be null.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers
from rest_framework.permissions import AllowAny

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


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's ``AutoSchema`` with error answers and nullable read-only fields."""

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
        codes = []
        is_list = self.method == "GET" and self._is_list_view()
        if self.method in {"POST", "PUT", "PATCH"} or (is_list and self._get_filter_parameters()):
            codes.append("400")
        if not self._anonymous_allowed():
            codes += ["401", "403"]
        if "{" in self.path or (is_list and self._get_paginator()):
            codes.append("404")
        return codes

    def _anonymous_allowed(self) -> bool:
        permissions = self.view.get_permissions()
        return {} in self.get_auth() or all(isinstance(p, AllowAny) for p in permissions)

    def _error_response(self, code: str) -> dict[str, Any]:
        name, schema = ("FieldErrors", FIELD_ERRORS_SCHEMA) if code == "400" else ("Error", ERROR_SCHEMA)
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
        self.registry.register_on_missing(component)
        return {"description": DESCRIPTIONS[code], "content": {"application/json": {"schema": component.ref}}}
