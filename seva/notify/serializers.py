"""Serializers of the messages API (broadcasts). The rules are the service's
(``broadcasts.broadcast_check``): these only name the fields."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from seva.geo.models import District

from .choices import Audience
from .models import Broadcast


class BroadcastSerializer(serializers.ModelSerializer):
    """A broadcast; written with ``text``, ``audience``, ``skill`` and ``districts`` (codes; a
    coordinator's own district when left out)."""

    districts = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=District.objects.all(), required=False
    )
    audience = serializers.ChoiceField(choices=Audience.choices)
    text = serializers.CharField(allow_blank=True, trim_whitespace=True, max_length=2000)
    skill = serializers.CharField(allow_blank=True, required=False, max_length=60)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    # Plain text, not an enum: another "status" enum in the schema would collide with it.
    status = serializers.CharField(
        read_only=True, help_text="sending (being written) or done (handed to delivery)"
    )

    class Meta:
        model = Broadcast
        fields = [
            "id",
            "text",
            "audience",
            "skill",
            "districts",
            "status",
            "recipients",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["id", "status", "recipients", "created_by", "created_at"]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.validated_data
        return {
            "text": data.get("text", ""),
            "audience": data["audience"],
            "skill": data.get("skill", ""),
            "districts": [d.pk for d in data.get("districts", [])],
        }


class BroadcastDetailSerializer(BroadcastSerializer):
    """One broadcast with its delivery: messages by status, in the user's scope."""

    delivery = serializers.SerializerMethodField()

    class Meta(BroadcastSerializer.Meta):
        fields = [*BroadcastSerializer.Meta.fields, "delivery"]

    def get_delivery(self, broadcast: Broadcast) -> dict[str, Any]:
        from .broadcasts import broadcast_delivery
        from .models import Notification

        user = self.context["request"].user
        delivery = broadcast_delivery(broadcast, Notification.objects.visible_to(user))
        return {
            "counts": delivery.counts,
            "reasons": [{"status": s, "reason": r, "count": n} for s, r, n in delivery.reasons],
        }


class BroadcastPreviewSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    to_send = serializers.IntegerField()
    by_channel = serializers.DictField(child=serializers.IntegerField())
    not_sent = serializers.IntegerField()
    reasons = serializers.SerializerMethodField()
    held = serializers.IntegerField()

    def get_reasons(self, preview: Any) -> list[dict[str, Any]]:
        return [{"reason": reason, "count": n} for reason, n in preview.reasons]
