"""Read-only serializers of the geography, named by stable keys (district code, seat number)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from seva.base.fields import ScopedSlugRelatedField

from .models import AssemblySeat, Booth, District, LokSabhaSeat, Mandal


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["code", "name_en", "name_hi", "division", "headquarters"]


class LokSabhaSeatSerializer(serializers.ModelSerializer):
    class Meta:
        model = LokSabhaSeat
        fields = ["number", "name_en", "name_hi", "reserved"]


class AssemblySeatSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lok_sabha_seat = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = AssemblySeat
        fields = ["number", "name_en", "name_hi", "district", "lok_sabha_seat", "reserved"]


class MandalSerializer(serializers.ModelSerializer):
    assembly_seat = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = Mandal
        fields = ["id", "assembly_seat", "name"]


class BoothSerializer(serializers.ModelSerializer):
    assembly_seat = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = Booth
        fields = [
            "id",
            "assembly_seat",
            "number",
            "name",
            "name_hi",
            "locality",
            "mandal",
            "corona_free_since",
        ]


# --- fields other apps' serializers use to name a place -------------------------------------


class DistrictCodeField(ScopedSlugRelatedField):
    """A district by its ``code`` (``patna``), among those in the user's scope."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", District.objects.all())
        kwargs.setdefault(
            "error_messages", {"does_not_exist": _("No district with code “{value}” in your scope.")}
        )
        super().__init__(slug_field="code", **kwargs)


class AssemblySeatNumberField(ScopedSlugRelatedField):
    """An assembly seat by its ECI number, among those in the user's scope; optional."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", AssemblySeat.objects.all())
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault(
            "error_messages", {"does_not_exist": _("No assembly seat number {value} in your scope.")}
        )
        super().__init__(slug_field="number", **kwargs)
