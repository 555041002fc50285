"""Serializer fields whose choices follow the requesting user's scope.

Naming another district's seat or booth in a POST is then a 400 on that field ("does not
exist"), never a silent write into another district.
"""

from typing import Any

from rest_framework import serializers


def _user(field: serializers.Field) -> Any:
    request = field.context.get("request")
    return request.user if request else None


class ScopedSlugRelatedField(serializers.SlugRelatedField):
    """A related row named by a slug (a district's code, a seat's number), in scope."""

    def get_queryset(self) -> Any:
        return super().get_queryset().visible_to(_user(self))


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related row named by its id, in scope."""

    def get_queryset(self) -> Any:
        return super().get_queryset().visible_to(_user(self))


class StrictUUIDField(serializers.UUIDField):
    """A UUID given as text only. DRF's own field also takes a JSON number (``5`` becomes
    ``00000000-0000-0000-0000-000000000005``), so a client that sends a counter instead of a
    random UUID would collide with every other such client."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)
