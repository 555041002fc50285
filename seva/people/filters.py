"""Worker filters, shared by the workers page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from seva.base.filters import ScopedFilterSet
from seva.geo.models import AssemblySeat, District

from .choices import BloodGroup, WorkerRole
from .models import Worker


class WorkerFilter(ScopedFilterSet):
    scoped_filters = ("district", "assembly_seat")

    search = django_filters.CharFilter(method="filter_search", label=_("name or mobile"))
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), to_field_name="code", label=_("district")
    )
    assembly_seat = django_filters.ModelChoiceFilter(
        queryset=AssemblySeat.objects.all(), to_field_name="number", label=_("assembly seat")
    )
    role = django_filters.ChoiceFilter(choices=WorkerRole.choices, label=_("role"))
    blood_group = django_filters.ChoiceFilter(choices=BloodGroup.choices, label=_("blood group"))
    is_active = django_filters.BooleanFilter(label=_("active"))

    class Meta:
        model = Worker
        fields = ["search", "district", "assembly_seat", "role", "blood_group", "is_active"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)
