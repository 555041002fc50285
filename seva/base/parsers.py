"""The API's JSON parser: what Python's ``json`` accepts but no field of ours can hold is a 400.

Python reads ``1e309`` as ``inf`` and ``NaN`` / ``Infinity`` as floats, which a model field
then fails to convert (an ``OverflowError``, a 500); and it parses nesting thousands of levels
deep until the recursion limit (a ``RecursionError``, a 500). Both are refused here, once, as
DRF's parse error, before any serializer sees them.
"""

from __future__ import annotations

import codecs
import json
import math
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Our payloads nest three levels at most (a report's values by metric); 64 leaves room for any
# client and stays far below Python's recursion limit.
MAX_DEPTH = 64


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(_("The number %(number)s is too large.") % {"number": text})
    return value


def _refuse_constant(name: str) -> float:
    raise ValueError(_("%(name)s is not a number JSON allows.") % {"name": name})


def depth(data: Any) -> int:
    """How deeply lists and objects nest in ``data`` (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing non-finite numbers and nesting deeper than ``MAX_DEPTH``."""

    max_depth = MAX_DEPTH

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.load(
                codecs.getreader(encoding)(stream),
                parse_float=_finite_float,
                parse_constant=_refuse_constant,
            )
        except RecursionError:
            raise ParseError(self._too_deep()) from None
        except ValueError as error:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": error}) from None
        if depth(data) > self.max_depth:
            raise ParseError(self._too_deep())
        return data

    def _too_deep(self) -> str:
        return _("The JSON nests more than %(depth)s levels deep.") % {"depth": self.max_depth}
