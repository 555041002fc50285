"""Geography browser: districts > assembly seats > booths, scoped, with booth search."""

from typing import Any

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from seva.base.pagination import CachedCountPaginator
from seva.base.scoping import user_scope
from seva.base.web import HtmxTemplateMixin, ScopedViewMixin

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
    paginator_class = CachedCountPaginator
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


class _OptionsView(ScopedViewMixin, ListView):
    """``<option>`` rows of the places under one parent (``?<parent>=<id>``), in the user's
    scope, for the pickers that htmx refills in forms (``seva/geo/forms.py``)."""

    template_name = "geo/_options.html"
    parent: str = ""

    def get_queryset(self):
        parent_id = self.request.GET.get(self.parent, "")
        if not parent_id.isdigit():
            return self.model.objects.none()
        return super().get_queryset().filter(**{f"{self.parent}_id": int(parent_id)})


class BoothOptionsView(_OptionsView):
    """Booths for the booth picker, in the user's scope. With a seat chosen
    (``?assembly_seat=<id>``): the seat's booths whose number, name or locality matches ``q``
    (at most 500). Without one: the booths of the chosen district (``?district=<id>``, or the
    user's own) whose number, name (English or Hindi) or seat's name (English or Hindi)
    matches ``q``, at most ``DISTRICT_SEARCH_LIMIT``, each named with its seat; nothing until
    something is typed. Scoped through the seats' district index, then matched in the
    district's few thousand booths (``bench/README.md``)."""

    model = Booth
    parent = "assembly_seat"
    DISTRICT_SEARCH_LIMIT = 30

    def get_queryset(self):
        query = self.request.GET.get("q", "")
        if self.request.GET.get(self.parent, "").isdigit():
            return super().get_queryset().search(query)[:500]
        self.across_district = True
        district = self.request.GET.get("district", "")
        booths = Booth.objects.visible_to(self.request.user)
        if district.isdigit() and len(district) < 10:
            booths = booths.in_district(int(district))
        elif user_scope(self.request.user).district_id is None:
            return Booth.objects.none()  # a state-wide user chooses a district first
        if not query.strip():
            return Booth.objects.none()
        return (
            booths.search(query, seat_names=True)
            .select_related("assembly_seat")
            .order_by("assembly_seat__number", "number")[: self.DISTRICT_SEARCH_LIMIT]
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "with_seat": getattr(self, "across_district", False)}


class MandalOptionsView(_OptionsView):
    model = Mandal
    parent = "assembly_seat"


class SeatOptionsView(_OptionsView):
    model = AssemblySeat
    parent = "district"
