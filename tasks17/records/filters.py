"""Filters of the records, shared by the pages and the API (one filter set serves both)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from seva.base.filters import ScopedFilterSet
from seva.geo.models import District
from seva.people.choices import BloodGroup

from ..choices import CampKind, CampStatus
from ..models import BoothDeclaration, DonationCamp, Donor, VideoConference
from .services import eligible_donors


class _ScopedDistrictFilterSet(ScopedFilterSet):
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), to_field_name="code", label=_("district")
    )


class CampFilter(_ScopedDistrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=CampKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=CampStatus.choices, label=_("status"))

    class Meta:
        model = DonationCamp
        fields = ["kind", "status", "district"]


class DonorFilter(_ScopedDistrictFilterSet):
    blood_group = django_filters.ChoiceFilter(choices=BloodGroup.choices, label=_("blood group"))
    eligible_for = django_filters.ChoiceFilter(
        choices=CampKind.choices, method="filter_eligible", label=_("may give now")
    )

    class Meta:
        model = Donor
        fields = ["blood_group", "district", "eligible_for"]

    def filter_eligible(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The same rule as each donor's eligibility shown next to him (records.services.donors._cutoffs).
        return eligible_donors(value, queryset=queryset)


class ConferenceFilter(_ScopedDistrictFilterSet):
    class Meta:
        model = VideoConference
        fields = ["district"]


class DeclarationFilter(ScopedFilterSet):
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(),
        to_field_name="code",
        field_name="booth__assembly_seat__district",
        label=_("district"),
    )
    standing = django_filters.BooleanFilter(
        field_name="withdrawn_at", lookup_expr="isnull", label=_("standing (not withdrawn)")
    )

    class Meta:
        model = BoothDeclaration
        fields = ["district", "standing"]
