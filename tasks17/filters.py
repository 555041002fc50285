"""Filters shared by the pages and the API (one filter set serves both)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from seva.base.filters import ScopedFilterSet
from seva.base.widgets import PastDateInput
from seva.geo.models import AssemblySeat, District

from .choices import ActivityStatus
from .models import Activity, Target, Task


class ActivityFilter(ScopedFilterSet):
    scoped_filters = ("district", "assembly_seat")

    task = django_filters.ModelChoiceFilter(
        queryset=Task.objects.all(), to_field_name="code", label=_("task")
    )
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), to_field_name="code", label=_("district")
    )
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("from"), widget=PastDateInput()
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("to"), widget=PastDateInput()
    )
    assembly_seat = django_filters.ModelChoiceFilter(
        queryset=AssemblySeat.objects.all(), to_field_name="number", label=_("assembly seat")
    )
    status = django_filters.ChoiceFilter(choices=ActivityStatus.choices, label=_("status"))

    class Meta:
        model = Activity
        fields = ["task", "district", "date_from", "date_to", "assembly_seat", "status"]


class TargetFilter(ScopedFilterSet):
    task = django_filters.ModelChoiceFilter(
        queryset=Task.objects.all(), to_field_name="code", label=_("task")
    )
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), to_field_name="code", label=_("district")
    )

    class Meta:
        model = Target
        fields = ["task", "district"]
