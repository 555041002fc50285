"""Filters of the helplines API (districts by code)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from seva.geo.models import District

from .choices import Category, FacilityKind, RequestStatus, Urgency
from .models import Facility, HelpRequest, Shift


class HelpRequestFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), to_field_name="code", label=_("district")
    )
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, label=_("status"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("need"))
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices, label=_("urgency"))
    reference = django_filters.CharFilter(field_name="reference", lookup_expr="iexact", label=_("reference"))

    class Meta:
        model = HelpRequest
        fields = ["helpline", "district", "status", "category", "urgency", "reference"]


class FacilityFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), to_field_name="code", label=_("district")
    )
    kind = django_filters.ChoiceFilter(choices=FacilityKind.choices, label=_("kind"))

    class Meta:
        model = Facility
        fields = ["district", "kind"]


class ShiftFilter(django_filters.FilterSet):
    class Meta:
        model = Shift
        fields = ["helpline", "operator"]
