"""Geography browser: districts > assembly seats > booths, scoped, with booth search."""

from typing import Any

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from seva.web import HtmxTemplateMixin, ScopedViewMixin

from .models import AssemblySeat, Booth, District, Mandal


class DistrictListView(ScopedViewMixin, ListView):
    model = District
    template_name = "geo/district_list.html"

    def get_queryset(self):
        return super().get_queryset().annotate(seat_count=Count("assembly_seats"))


class DistrictDetailView(ScopedViewMixin, DetailView):
    model = District
    slug_field = "code"
    slug_url_kwarg = "code"
    template_name = "geo/district_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["seats"] = (
            AssemblySeat.objects.filter(district=self.object)
            .select_related("lok_sabha_seat")
            .annotate(booth_count=Count("booths"))
        )
        return context


class AssemblySeatDetailView(ScopedViewMixin, HtmxTemplateMixin, ListView):
    """One seat's booths, searchable by number, name or locality; 50 a page."""

    model = Booth
    paginate_by = 50
    template_name = "geo/seat_detail.html"
    partial_template_name = "geo/_booth_rows.html"

    def get_queryset(self):
        self.seat = get_object_or_404(
            AssemblySeat.objects.visible_to(self.request.user).select_related("district", "lok_sabha_seat"),
            number=self.kwargs["number"],
        )
        self.query = self.request.GET.get("q", "")
        return (
            super().get_queryset().filter(assembly_seat=self.seat).select_related("mandal").search(self.query)
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["seat"] = self.seat
        context["q"] = self.query
        return context


class BoothOptionsView(ScopedViewMixin, ListView):
    """``<option>`` rows of one seat's booths, for the pickers that htmx fills in forms."""

    model = Booth
    template_name = "geo/_options.html"

    def get_queryset(self):
        seat = self.request.GET.get("assembly_seat", "")
        if not seat.isdigit():
            return Booth.objects.none()
        return (
            super()
            .get_queryset()
            .filter(assembly_seat_id=int(seat))
            .search(self.request.GET.get("q", ""))[:500]
        )


class MandalOptionsView(ScopedViewMixin, ListView):
    """``<option>`` rows of one seat's mandals."""

    model = Mandal
    template_name = "geo/_options.html"

    def get_queryset(self):
        seat = self.request.GET.get("assembly_seat", "")
        if not seat.isdigit():
            return Mandal.objects.none()
        return super().get_queryset().filter(assembly_seat_id=int(seat))


class SeatOptionsView(ScopedViewMixin, ListView):
    """``<option>`` rows of one district's assembly seats."""

    model = AssemblySeat
    template_name = "geo/_options.html"

    def get_queryset(self):
        district = self.request.GET.get("district", "")
        if not district.isdigit():
            return AssemblySeat.objects.none()
        return super().get_queryset().filter(district_id=int(district))
