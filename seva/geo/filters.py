"""Filters shared by the geography pages and the API (one filter set serves both)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import AssemblySeat, Booth, District, LokSabhaSeat, Mandal


class AssemblySeatFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), to_field_name="code", label=_("district")
    )
    lok_sabha_seat = django_filters.ModelChoiceFilter(
        queryset=LokSabhaSeat.objects.all(), to_field_name="number", label=_("Lok Sabha seat")
    )

    class Meta:
        model = AssemblySeat
        fields = ["district", "lok_sabha_seat", "reserved"]


class MandalFilter(django_filters.FilterSet):
    assembly_seat = django_filters.ModelChoiceFilter(
        queryset=AssemblySeat.objects.all(), to_field_name="number", label=_("assembly seat")
    )

    class Meta:
        model = Mandal
        fields = ["assembly_seat"]


class BoothFilter(django_filters.FilterSet):
    assembly_seat = django_filters.ModelChoiceFilter(
        queryset=AssemblySeat.objects.all(), to_field_name="number", label=_("assembly seat")
    )
    search = django_filters.CharFilter(method="filter_search", label=_("search"))
    corona_free = django_filters.BooleanFilter(
        field_name="corona_free_since", lookup_expr="isnull", exclude=True, label=_("corona-free")
    )

    class Meta:
        model = Booth
        fields = ["assembly_seat", "mandal", "search", "corona_free"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)
