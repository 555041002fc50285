"""The filters of the streamed exports, checked as the API checks its input: a 400 with field
errors in the user's language."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tasks17.choices import ActivityStatus
from tasks17.models import Task


class RegisterFilterSerializer(serializers.Serializer):
    """``?from=&to=&district=&task=&status=`` of the activity register. ``to`` defaults to
    today and ``from`` to 30 days before ``to``; the range may not pass
    ``SEVA_EXPORT_MAX_DAYS``. ``district`` is a code, looked up in the user's scope by the
    view (outside it: a 404), ``task`` a task code."""

    district = serializers.SlugField(required=False, allow_blank=True, label=_("district"))
    task = serializers.SlugRelatedField(
        slug_field="code", queryset=Task.objects.all(), required=False, allow_null=True, label=_("task")
    )
    status = serializers.ChoiceField(
        choices=ActivityStatus.choices, required=False, allow_blank=True, label=_("status")
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        # The query's names ``from`` and ``to`` are Python keywords: declared here.
        fields = super().get_fields()
        fields["from"] = serializers.DateField(source="start", required=False, label=_("from"))
        fields["to"] = serializers.DateField(source="end", required=False, label=_("to"))
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        end = attrs.get("end") or timezone.localdate()
        start = attrs.get("start") or end - datetime.timedelta(days=29)
        if start > end:
            raise serializers.ValidationError({"from": [_("The start date is after the end date.")]})
        limit = settings.SEVA_EXPORT_MAX_DAYS
        if (end - start).days + 1 > limit:
            raise serializers.ValidationError(
                {"to": [_("Choose at most %(days)d days in one export.") % {"days": limit}]}
            )
        attrs["start"], attrs["end"] = start, end
        return attrs
