"""Record pages: camps, donors, conferences and corona-free booths. Thin: the forms collect,
``records.services`` decide; every page is scoped (another district's record is a 404) and
needs the model permission named by ``permission_action`` (else 403). A form page is a
``ServiceFormView`` whose ``perform`` calls one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from seva.audit.choices import SubjectKind
from seva.audit.history import changes
from seva.audit.services import access_viewed
from seva.base.pagination import CachedCountPaginator
from seva.base.web import HtmxTemplateMixin, ScopedFilterMixin, ScopedViewMixin, ServiceFormView
from seva.people.models import Worker

from ..choices import CampKind
from ..models import BoothDeclaration, DonationCamp, Donor, VideoConference
from . import services
from .filters import CampFilter, ConferenceFilter, DeclarationFilter, DonorFilter
from .forms import (
    CampForm,
    CampHoldForm,
    ConferenceForm,
    ConsentRenewalForm,
    DeclarationForm,
    DonorForm,
    ReasonForm,
    participant_options,
)

_T = "tasks17/records/"


class _FilteredList(ScopedViewMixin, ScopedFilterMixin, HtmxTemplateMixin, FilterView):
    paginate_by = 50
    paginator_class = CachedCountPaginator


class RecordStepView(ServiceFormView):
    """A workflow step whose form sits on the record's own page (hold, cancel, withdraw):
    POST only, the ``change`` permission. Refused (by the form or the service), it shows that
    page again with the messages next to the fields, status 400; done, it goes back to it.
    Subclasses name the page's view (``detail_view``) and the form's name in its context
    (``form_name``)."""

    http_method_names = ["post"]
    permission_action = "change"
    detail_view: type[DetailView]
    form_name: str

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        del kwargs["user"]  # a step's form has no place pickers
        return kwargs

    def form_invalid(self, form: Any) -> HttpResponse:
        view = self.detail_view(request=self.request, kwargs=self.kwargs, args=())
        view.object = self.object
        context = view.get_context_data(object=self.object, **{self.form_name: form})
        return view.render_to_response(context, status=400)


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
        context["can_change"] = services.camp_can_change(self.object, by=self.request.user)
        context["history"] = changes(self.object)
        return context


class CampCreateView(ServiceFormView):
    model = DonationCamp
    permission_action = "add"
    form_class = CampForm
    template_name = _T + "camp_form.html"
    success_message = gettext_lazy("Camp planned.")

    def perform(self, form: CampForm) -> DonationCamp:
        return services.camp_create(by=self.request.user, **form.cleaned_data)


class CampUpdateView(CampCreateView):
    permission_action = "change"
    instance_kwarg = "camp"
    success_message = gettext_lazy("Camp saved.")

    def perform(self, form: CampForm) -> DonationCamp:
        return services.camp_update(by=self.request.user, camp=self.object, data=form.cleaned_data)


class CampHoldView(RecordStepView):
    """POST only: the camp was held, with its donors and units."""

    model = DonationCamp
    form_class = CampHoldForm
    detail_view = CampDetailView
    form_name = "hold_form"
    success_message = gettext_lazy("Camp marked as held; it now counts in the figures.")

    def perform(self, form: CampHoldForm) -> DonationCamp:
        return services.camp_hold(by=self.request.user, camp=self.object, **form.cleaned_data)


class CampCancelView(RecordStepView):
    """POST only: cancel a planned camp, with a reason."""

    model = DonationCamp
    form_class = ReasonForm
    detail_view = CampDetailView
    form_name = "cancel_form"
    success_message = gettext_lazy("Camp cancelled.")

    def perform(self, form: ReasonForm) -> DonationCamp:
        return services.camp_cancel(
            by=self.request.user, camp=self.object, reason=form.cleaned_data["reason"]
        )


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
        # Each row shows the donor's mobile number (hidden for those who opted out).
        access_viewed(request=self.request, subjects=donor_subjects(context["object_list"]))
        return context


class DonorCreateView(ServiceFormView):
    model = Donor
    permission_action = "add"
    form_class = DonorForm
    template_name = _T + "donor_form.html"
    success_url = reverse_lazy("tasks17:record-donor-list")
    success_message = gettext_lazy("Donor %(name)s registered.")

    def perform(self, form: DonorForm) -> Donor:
        return services.donor_register(by=self.request.user, **form.cleaned_data)


def donor_subjects(donors: Any) -> list[tuple[str, int, Any]]:
    """The access log's subjects for donors whose numbers a page shows (not opted out)."""
    return [(SubjectKind.DONOR, donor.pk, donor.phone) for donor in donors if donor.opted_out_at is None]


class DonorUpdateView(DonorCreateView):
    permission_action = "change"
    instance_kwarg = "donor"
    success_message = gettext_lazy("Donor %(name)s saved.")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        access_viewed(request=request, subjects=donor_subjects([self.object]))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # An opted-out donor's number is hidden on his page, and so in its history.
        masked = ("phone",) if self.object.opted_out_at else ()
        context["history"] = changes(self.object, masked=masked)
        return context

    def perform(self, form: DonorForm) -> Donor:
        return services.donor_update(by=self.request.user, donor=self.object, data=form.cleaned_data)


class DonorRenewConsentView(ServiceFormView):
    """The donor himself agrees again to be contacted: ends his opt-out, with the day he said
    so. Needs the ``renew_donor_consent`` permission (coordinators and the state office)."""

    model = Donor
    permission_required = (services.RENEW_CONSENT_PERMISSION,)
    form_class = ConsentRenewalForm
    template_name = _T + "donor_renew_consent.html"
    success_url = reverse_lazy("tasks17:record-donor-list")
    success_message = gettext_lazy("%(name)s may be contacted again.")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        del kwargs["user"]  # the form has no place pickers
        return kwargs

    def get_success_message(self, cleaned_data: dict[str, Any]) -> str:
        return self.success_message % {"name": self.object.name}

    def perform(self, form: ConsentRenewalForm) -> Donor:
        return services.donor_renew_consent(
            by=self.request.user, donor=self.object, consent_date=form.cleaned_data["consent_date"]
        )


class DonorOptOutView(ScopedViewMixin, View):
    """POST only: the donor asks not to be contacted again (the service has no refusal)."""

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

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_change"] = services.conference_can_change(self.object, by=self.request.user)
        context["history"] = changes(self.object)
        return context


class ConferenceCreateView(ServiceFormView):
    model = VideoConference
    permission_action = "add"
    form_class = ConferenceForm
    template_name = _T + "conference_form.html"
    success_message = gettext_lazy("Conference recorded; it now counts in the figures.")

    def perform(self, form: ConferenceForm) -> VideoConference:
        return services.conference_record(by=self.request.user, **form.cleaned_data)


class ConferenceUpdateView(ConferenceCreateView):
    """Correct a conference while its report awaits review; its numbers follow."""

    permission_action = "change"
    instance_kwarg = "conference"
    success_message = gettext_lazy("Conference corrected.")

    def perform(self, form: ConferenceForm) -> VideoConference:
        data = {key: value for key, value in form.cleaned_data.items() if key != "participants"}
        return services.conference_update(
            by=self.request.user,
            conference=self.object,
            data=data,
            participants=form.cleaned_data["participants"],
        )


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
        context["can_withdraw"] = services.declaration_can_withdraw(self.object, by=self.request.user)
        context["history"] = changes(self.object)
        return context


class DeclarationCreateView(ServiceFormView):
    model = BoothDeclaration
    permission_action = "add"
    form_class = DeclarationForm
    template_name = _T + "declaration_form.html"
    success_message = gettext_lazy("Booth declared corona-free.")

    def perform(self, form: DeclarationForm) -> BoothDeclaration:
        data = form.cleaned_data
        return services.booth_declare(
            by=self.request.user,
            booth=data["booth"],
            declared_on=data["declared_on"],
            ticked_item_ids=[item.pk for item in data["checklist"]],
            booth_president=data.get("booth_president"),
            notes=data.get("notes", ""),
        )


class DeclarationWithdrawView(RecordStepView):
    """POST only: withdraw a standing declaration, with a reason."""

    model = BoothDeclaration
    form_class = ReasonForm
    detail_view = DeclarationDetailView
    form_name = "withdraw_form"
    success_message = gettext_lazy("Declaration withdrawn; it no longer counts.")

    def perform(self, form: ReasonForm) -> BoothDeclaration:
        return services.booth_withdraw(
            by=self.request.user, declaration=self.object, reason=form.cleaned_data["reason"]
        )
