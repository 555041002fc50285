"""Read-only serializers of the geography, named by stable keys (district code, seat number)."""

from rest_framework import serializers

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
        fields = ["id", "assembly_seat", "number", "name", "locality", "mandal", "corona_free_since"]
