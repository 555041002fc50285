"""Record pages: camps, donors, conferences and corona-free booths. Thin: the forms collect,
``records.services`` decide; every page is scoped (another district's record is a 404) and
needs the model permission named by ``permission_action`` (else 403)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView
from django_filters.views import FilterView

from seva.base.errors import add_service_errors
from seva.base.web import HtmxTemplateMixin, ScopedFilterMixin, ScopedViewMixin
from seva.people.models import Worker

from ..choices import CampKind, CampStatus
from ..models import BoothDeclaration, DonationCamp, Donor, VideoConference
from . import services
from .filters import CampFilter, ConferenceFilter, DeclarationFilter, DonorFilter
from .forms import (
    CampForm,
    CampHoldForm,
    ConferenceForm,
    DeclarationForm,
    DonorForm,
    ReasonForm,
    participant_options,
)

_T = "tasks17/records/"


class _FilteredList(ScopedViewMixin, ScopedFilterMixin, HtmxTemplateMixin, FilterView):
    paginate_by = 50


class _RecordForm(ScopedViewMixin, FormView):
    """A form page over one record (``self.record`` fetched in scope when the URL names one)."""

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.record = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and "pk" in kwargs:
            self.record = get_object_or_404(self.model.objects.visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "object": self.record}


# --- camps --------------------------------------------------------------------------------


class CampListView(_FilteredList):
    model = DonationCamp
    filterset_class = CampFilter
    template_name = _T + "camp_list.html"
    partial_template_name = _T + "_camp_rows.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("district", "assembly_seat")


class CampDetailView(ScopedViewMixin, DetailView):
    model = DonationCamp
    template_name = _T + "camp_detail.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("district", "assembly_seat", "activity", "created_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("hold_form", CampHoldForm())
        context.setdefault("cancel_form", ReasonForm())
        context["can_change"] = self.object.status == CampStatus.PLANNED and self.request.user.has_perm(
            "tasks17.change_donationcamp"
        )
        return context


class CampCreateView(_RecordForm):
    model = DonationCamp
    permission_action = "add"
    form_class = CampForm
    template_name = _T + "camp_form.html"

    def form_valid(self, form: CampForm) -> HttpResponse:
        try:
            camp = services.camp_create(by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Camp planned."))
        return HttpResponseRedirect(reverse("tasks17:record-camp-detail", args=[camp.pk]))


class CampUpdateView(CampCreateView):
    permission_action = "change"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "camp": self.record}

    def form_valid(self, form: CampForm) -> HttpResponse:
        try:
            services.camp_update(by=self.request.user, camp=self.record, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Camp saved."))
        return HttpResponseRedirect(reverse("tasks17:record-camp-detail", args=[self.record.pk]))


class CampStepView(ScopedViewMixin, View):
    """POST only: hold or cancel a camp. Bad input shows the detail page again, with the
    messages next to the fields (status 400)."""

    model = DonationCamp
    permission_action = "change"
    step = "hold"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        camp = get_object_or_404(DonationCamp.objects.visible_to(request.user), pk=pk)
        form = (CampHoldForm if self.step == "hold" else ReasonForm)(request.POST)
        if form.is_valid():
            try:
                if self.step == "hold":
                    services.camp_hold(by=request.user, camp=camp, **form.cleaned_data)
                    messages.success(request, _("Camp marked as held; it now counts in the figures."))
                else:
                    services.camp_cancel(by=request.user, camp=camp, reason=form.cleaned_data["reason"])
                    messages.success(request, _("Camp cancelled."))
                return redirect("tasks17:record-camp-detail", pk=camp.pk)
            except ValidationError as error:
                add_service_errors(form, error)
        view = CampDetailView(request=request, kwargs={"pk": pk}, args=())
        view.object = camp
        context = view.get_context_data(
            object=camp, **{"hold_form" if self.step == "hold" else "cancel_form": form}
        )
        return view.render_to_response(context, status=400)


# --- donors -------------------------------------------------------------------------------


class DonorListView(_FilteredList):
    model = Donor
    filterset_class = DonorFilter
    template_name = _T + "donor_list.html"
    partial_template_name = _T + "_donor_rows.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("district")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        for donor in context["object_list"]:
            donor.blood = services.donor_eligibility(donor, CampKind.BLOOD)
            donor.plasma = services.donor_eligibility(donor, CampKind.PLASMA)
        return context


class DonorCreateView(_RecordForm):
    model = Donor
    permission_action = "add"
    form_class = DonorForm
    template_name = _T + "donor_form.html"

    def form_valid(self, form: DonorForm) -> HttpResponse:
        try:
            donor = services.donor_register(by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Donor %(name)s registered.") % {"name": donor.name})
        return HttpResponseRedirect(reverse("tasks17:record-donor-list"))


class DonorUpdateView(DonorCreateView):
    permission_action = "change"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "donor": self.record}

    def form_valid(self, form: DonorForm) -> HttpResponse:
        try:
            donor = services.donor_update(by=self.request.user, donor=self.record, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Donor %(name)s saved.") % {"name": donor.name})
        return HttpResponseRedirect(reverse("tasks17:record-donor-list"))


class DonorOptOutView(ScopedViewMixin, View):
    """POST only: the donor asks not to be contacted again."""

    model = Donor
    permission_action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        donor = get_object_or_404(Donor.objects.visible_to(request.user), pk=pk)
        services.donor_opt_out(by=request.user, donor=donor)
        messages.success(request, _("%(name)s will not be contacted again.") % {"name": donor.name})
        return redirect("tasks17:record-donor-list")


# --- conferences --------------------------------------------------------------------------


class ConferenceListView(_FilteredList):
    model = VideoConference
    filterset_class = ConferenceFilter
    template_name = _T + "conference_list.html"
    partial_template_name = _T + "_conference_rows.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("district", "representative", "activity")


class ConferenceDetailView(ScopedViewMixin, DetailView):
    model = VideoConference
    template_name = _T + "conference_detail.html"

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("district", "representative", "activity", "created_by")
            .prefetch_related("participants")
        )


class ConferenceCreateView(_RecordForm):
    model = VideoConference
    permission_action = "add"
    form_class = ConferenceForm
    template_name = _T + "conference_form.html"

    def form_valid(self, form: ConferenceForm) -> HttpResponse:
        try:
            conference = services.conference_record(by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Conference recorded; it now counts in the figures."))
        return HttpResponseRedirect(reverse("tasks17:record-conference-detail", args=[conference.pk]))


class ConferenceUpdateView(ConferenceCreateView):
    """Correct a conference while its report awaits review; its numbers follow."""

    permission_action = "change"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "conference": self.record}

    def form_valid(self, form: ConferenceForm) -> HttpResponse:
        data = {key: value for key, value in form.cleaned_data.items() if key != "participants"}
        try:
            services.conference_update(
                by=self.request.user,
                conference=self.record,
                data=data,
                participants=form.cleaned_data["participants"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Conference corrected."))
        return HttpResponseRedirect(reverse("tasks17:record-conference-detail", args=[self.record.pk]))


class WorkerOptionsView(ScopedViewMixin, ListView):
    """``<option>`` rows of one district's active workers (the conference form's participants)."""

    model = Worker
    template_name = _T + "_worker_options.html"

    def get_queryset(self) -> Any:
        """The chosen ones (``participants``, kept selected) and up to 100 matching ``q``."""
        district = self.request.GET.get("district", "")
        if not district.isdigit():
            return Worker.objects.none()
        workers = super().get_queryset().filter(district_id=int(district), is_active=True).order_by("name")
        return participant_options(
            workers, self.request.GET.getlist("participants"), self.request.GET.get("participant_search", "")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["selected"] = {int(pk) for pk in self.request.GET.getlist("participants") if pk.isdigit()}
        return context


# --- corona-free booths -------------------------------------------------------------------


class DeclarationListView(_FilteredList):
    model = BoothDeclaration
    filterset_class = DeclarationFilter
    template_name = _T + "declaration_list.html"
    partial_template_name = _T + "_declaration_rows.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("booth__assembly_seat__district", "booth_president")


class DeclarationDetailView(ScopedViewMixin, DetailView):
    model = BoothDeclaration
    template_name = _T + "declaration_detail.html"

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related(
                "booth__assembly_seat__district", "booth_president", "declared_by", "withdrawn_by"
            )
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("withdraw_form", ReasonForm())
        context["can_withdraw"] = self.object.is_standing and self.request.user.has_perm(
            "tasks17.change_boothdeclaration"
        )
        return context


class DeclarationCreateView(_RecordForm):
    model = BoothDeclaration
    permission_action = "add"
    form_class = DeclarationForm
    template_name = _T + "declaration_form.html"

    def form_valid(self, form: DeclarationForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            declaration = services.booth_declare(
                by=self.request.user,
                booth=data["booth"],
                declared_on=data["declared_on"],
                ticked_item_ids=[item.pk for item in data["checklist"]],
                booth_president=data.get("booth_president"),
                notes=data.get("notes", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Booth declared corona-free."))
        return HttpResponseRedirect(reverse("tasks17:record-declaration-detail", args=[declaration.pk]))


class DeclarationWithdrawView(ScopedViewMixin, View):
    """POST only: withdraw a standing declaration, with a reason."""

    model = BoothDeclaration
    permission_action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        declaration = get_object_or_404(BoothDeclaration.objects.visible_to(request.user), pk=pk)
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                services.booth_withdraw(
                    by=request.user, declaration=declaration, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Declaration withdrawn; it no longer counts."))
                return redirect("tasks17:record-declaration-detail", pk=declaration.pk)
            except ValidationError as error:
                add_service_errors(form, error)
        view = DeclarationDetailView(request=request, kwargs={"pk": pk}, args=())
        view.object = declaration
        return view.render_to_response(
            view.get_context_data(object=declaration, withdraw_form=form), status=400
        )
