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
