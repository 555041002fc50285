"""Helpline pages: the desk (request form, find by reference, the live queue), a request with
its timeline and steps, the roster, facilities and availability, and the public board.

Thin: forms collect, ``helplines.services`` decide. Every page is scoped (``visible_to``:
another district's or helpline's request is a 404) and needs its model permission (else 403);
names and phones are masked for those who may not see them (``privacy``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from seva.audit.choices import SubjectKind
from seva.audit.history import changes
from seva.audit.services import access_viewed
from seva.base.pagination import CachedCountPaginator
from seva.base.web import ScopedViewMixin, ServiceFormView
from seva.people.phones import MobileFormField
from tasks17.models import Donor

from . import services
from .choices import DONOR_CATEGORIES, RequestStatus
from .forms import (
    AssignForm,
    AvailabilityForm,
    DuplicateForm,
    FacilityForm,
    FacilitySearchForm,
    FindForm,
    HelpRequestForm,
    NoteForm,
    OptionalNoteForm,
    ReasonForm,
    ResolveForm,
    ShiftForm,
    desk_helplines,
)
from .models import Facility, Helpline, HelpRequest, Shift
from .privacy import MASKED_FIELDS, can_see_personal, personal_fields
from .selectors import availability_search, donor_matches, public_board, queue, roster

_T = "helplines/"


def _with_personal(user: Any, rows: Any) -> list[HelpRequest]:
    """Rows with ``shown``: their names and phones as ``user`` may see them."""
    rows = list(rows)
    for row in rows:
        row.shown = personal_fields(user, row)
    return rows


def _unmasked(rows: list[HelpRequest]) -> list[tuple[str, int, Any]]:
    """The access log's subjects for the rows of a list whose caller is shown unmasked."""
    return [(SubjectKind.HELP_REQUEST, row.pk, row.caller_phone) for row in rows if not row.shown["masked"]]


# --- the desk -----------------------------------------------------------------------------


class DeskView(ServiceFormView):
    """The operator's screen: the request form, find by reference, the queue beside them."""

    model = HelpRequest
    permission_action = "add"
    form_class = HelpRequestForm
    template_name = _T + "desk.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        find = FindForm(request.GET) if "ref" in request.GET else FindForm()
        if find.is_bound and find.is_valid():
            reference = find.cleaned_data["ref"].strip().upper()
            found = HelpRequest.objects.visible_to(request.user).filter(reference=reference).first()
            if found:
                return redirect("helplines:request-detail", found.pk)
            find.add_error("ref", _("No request with this reference."))
        self.find_form = find
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["find_form"] = getattr(self, "find_form", FindForm())
        context["queue"] = _with_personal(user, queue(user)[:100])
        context["now"] = timezone.now()
        context["helplines"] = desk_helplines(user)
        saved = self.request.GET.get("saved")
        if saved and saved.isdigit():
            row = HelpRequest.objects.visible_to(user).filter(pk=saved).first()
            if row:
                context["saved"] = row
                context["same_caller"] = services.open_requests_of_caller(row.caller_phone, exclude=row.pk)
        return context

    def perform(self, form: HelpRequestForm) -> HelpRequest:
        return services.request_create(by=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("helplines:desk") + f"?saved={self.object.pk}"


class QueueView(ScopedViewMixin, ListView):
    """The queue alone: the desk polls it (htmx, every 15 s)."""

    model = HelpRequest
    template_name = _T + "_queue.html"

    def get_queryset(self) -> Any:
        return queue(self.request.user)[:100]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["queue"] = _with_personal(self.request.user, context["object_list"])
        context["now"] = timezone.now()
        return context


class CallerCheckView(ScopedViewMixin, TemplateView):
    """While the operator types the number: the caller's open requests, with links."""

    model = HelpRequest
    template_name = _T + "_caller_check.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            phone = MobileFormField().clean(self.request.GET.get("caller_phone", ""))
        except Exception:  # noqa: BLE001 - a half-typed number: nothing to warn about yet
            phone = None
        rows = (
            HelpRequest.objects.visible_to(self.request.user).open().filter(caller_phone=phone)
            if phone
            else []
        )
        context["same_caller"] = list(rows)[:10]
        return context


# --- requests -----------------------------------------------------------------------------


class RequestListView(ScopedViewMixin, ListView):
    """Requests in the user's scope (a coordinator: his district's), newest first."""

    model = HelpRequest
    template_name = _T + "request_list.html"
    paginate_by = 50
    paginator_class = CachedCountPaginator

    def get_queryset(self) -> Any:
        rows = super().get_queryset().select_related("helpline", "district", "assigned_to")
        status = self.request.GET.get("status")
        if status in RequestStatus.values:
            rows = rows.filter(status=status)
        return rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rows"] = _with_personal(self.request.user, context["object_list"])
        access_viewed(request=self.request, subjects=_unmasked(context["rows"]))
        context["statuses"] = RequestStatus.choices
        context["status"] = self.request.GET.get("status", "")
        return context


class RequestDetailView(ScopedViewMixin, DetailView):
    model = HelpRequest
    template_name = _T + "request_detail.html"

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("helpline", "district", "assigned_to", "duplicate_of", "activity")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, row = self.request.user, self.object
        context["shown"] = personal_fields(user, row)
        if self.request.method == "GET" and can_see_personal(user, row):
            services.request_personal_opened(by=user, request=row, http_request=self.request)
        context["events"] = row.events.select_related("by")
        context["can_work"] = services.can_work_on(user, row)
        context["is_open"] = row.is_open
        context.setdefault("assign_form", AssignForm(request=row))
        context.setdefault("note_form", NoteForm())
        context.setdefault("callback_form", OptionalNoteForm())
        context.setdefault("escalate_form", NoteForm())
        context.setdefault("resolve_form", ResolveForm())
        context.setdefault("unresolved_form", NoteForm())
        context.setdefault("duplicate_form", DuplicateForm())
        context.setdefault("cancel_form", ReasonForm())
        if row.category in DONOR_CATEGORIES and context["can_work"] and row.is_open:
            context["matches"] = list(donor_matches(row)[:20])
            if self.request.method == "GET":
                access_viewed(
                    request=self.request,
                    subjects=[(SubjectKind.DONOR, d.pk, d.phone) for d in context["matches"]],
                    detail={"reference": row.reference},
                )
        context["history"] = changes(row, masked=MASKED_FIELDS if context["shown"]["masked"] else ())
        context["past_sla"] = row.is_open and row.is_past_sla()
        return context


class RequestStepView(ServiceFormView):
    """A step whose form sits on the request's page: POST only, the ``change`` permission.
    Refused, the page again with the message by the field (status 400); done, back to it."""

    http_method_names = ["post"]
    model = HelpRequest
    permission_action = "change"
    form_name: str
    step: str

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        del kwargs["user"]
        if self.form_class is AssignForm:
            kwargs["request"] = self.object
        return kwargs

    def perform(self, form: Any) -> HelpRequest:
        call = getattr(services, self.step)
        call(by=self.request.user, request=self.object, **form.cleaned_data)
        return self.object

    def form_invalid(self, form: Any) -> HttpResponse:
        view = RequestDetailView(request=self.request, kwargs=self.kwargs, args=())
        view.object = HelpRequest.objects.visible_to(self.request.user).get(pk=self.object.pk)
        context = view.get_context_data(object=view.object, **{self.form_name: form})
        context["step_errors"] = form.non_field_errors()  # e.g. "closed": its form is gone
        return view.render_to_response(context, status=400)

    def get_success_url(self) -> str:
        return reverse("helplines:request-detail", args=[self.object.pk])


def _step(step: str, form_class: Any, form_name: str, message: str) -> type[RequestStepView]:
    return type(
        f"{step.title().replace('_', '')}View",
        (RequestStepView,),
        {"step": step, "form_class": form_class, "form_name": form_name, "success_message": message},
    )


AssignView = _step("request_assign", AssignForm, "assign_form", gettext_lazy("Assigned."))
NoteView = _step("request_note", NoteForm, "note_form", gettext_lazy("Note added."))
CallbackView = _step("request_callback", OptionalNoteForm, "callback_form", gettext_lazy("Call-back noted."))
EscalateView = _step("request_escalate", NoteForm, "escalate_form", gettext_lazy("Escalated."))
ResolveView = _step("request_resolve", ResolveForm, "resolve_form", gettext_lazy("Resolved."))
UnresolvedView = _step("request_unresolved", NoteForm, "unresolved_form", gettext_lazy("Closed as not met."))
DuplicateView = _step(
    "request_duplicate", DuplicateForm, "duplicate_form", gettext_lazy("Closed as a duplicate.")
)
CancelView = _step("request_cancel", ReasonForm, "cancel_form", gettext_lazy("Cancelled."))


class ContactDonorView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """POST: a matched donor was contacted (an event on the request)."""

    permission_required = "helplines.change_helprequest"

    def post(self, request: HttpRequest, pk: int, donor: int) -> HttpResponse:
        row = get_object_or_404(HelpRequest.objects.visible_to(request.user), pk=pk)
        found = get_object_or_404(Donor.objects.all(), pk=donor)
        try:
            services.request_contact_donor(by=request.user, request=row, donor=found)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Donor contact noted."))
        return redirect("helplines:request-detail", row.pk)


# --- roster -------------------------------------------------------------------------------


class RosterView(ScopedViewMixin, DetailView):
    """Who is on now, and the gaps in the next 24 hours, of one helpline."""

    model = Helpline
    permission_required = "helplines.view_shift"
    template_name = _T + "roster.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(roster(self.object))
        context["can_manage"] = services.can_manage_shifts(self.request.user, self.object.pk)
        context.setdefault("shift_form", ShiftForm(helpline=self.object))
        return context


class ShiftCreateView(ServiceFormView):
    http_method_names = ["post"]
    model = Helpline
    permission_required = "helplines.add_shift"
    form_class = ShiftForm
    success_message = gettext_lazy("Shift added.")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        del kwargs["user"]
        kwargs["helpline"] = self.object
        return kwargs

    def perform(self, form: ShiftForm) -> Shift:
        return services.shift_create(by=self.request.user, helpline=self.object, **form.cleaned_data)

    def form_invalid(self, form: Any) -> HttpResponse:
        view = RosterView(request=self.request, kwargs=self.kwargs, args=())
        view.object = self.object
        return view.render_to_response(view.get_context_data(object=self.object, shift_form=form), status=400)

    def get_success_url(self) -> str:
        return reverse("helplines:roster", args=[self.kwargs["pk"]])


# --- facilities ---------------------------------------------------------------------------


class FacilitySearchView(ScopedViewMixin, TemplateView):
    """ "Oxygen bed free in Patna": facilities with their latest report, freshest first."""

    model = Facility
    template_name = _T + "facility_search.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = FacilitySearchForm(self.request.GET or None, user=self.request.user)
        kind, district = "", None
        if form.is_bound and form.is_valid():
            kind, district = form.cleaned_data["kind"], form.cleaned_data["district"]
        context["form"] = form
        context["rows"] = availability_search(self.request.user, kind=kind, district=district)
        return context


class FacilityCreateView(ServiceFormView):
    model = Facility
    permission_action = "add"
    form_class = FacilityForm
    template_name = _T + "facility_form.html"
    success_message = gettext_lazy("Facility added.")

    def perform(self, form: FacilityForm) -> Facility:
        return services.facility_create(by=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("helplines:availability-create", args=[self.object.pk])


class AvailabilityCreateView(ServiceFormView):
    model = Facility
    permission_required = "helplines.add_availabilityreport"
    form_class = AvailabilityForm
    template_name = _T + "availability_form.html"
    success_message = gettext_lazy("Availability saved.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "history": changes(self.object)}

    def perform(self, form: AvailabilityForm) -> Facility:
        data = {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}
        services.availability_report_create(by=self.request.user, facility=self.object, **data)
        return self.object

    def get_success_url(self) -> str:
        return reverse("helplines:facilities") + f"?district={self.object.district_id}"


# --- the public board ---------------------------------------------------------------------

BOARD_SECONDS = 60


def board_cache_key(language: str) -> str:
    return f"helplines:board:{language}"


def public_board_view(request: HttpRequest) -> HttpResponse:
    """``/availability/``: no sign-in; per district the verified free beds by kind, oxygen and
    medicines with the time of the last report, and the helpline numbers. No personal data
    at all (it reads only facilities, their reports and helplines). Rendered once a minute
    per language (Hindi: ``?lang=hi``), never with a cookie or a token in it."""
    language = request.GET.get("lang") or translation.get_language() or "en"
    language = "hi" if language.startswith("hi") else "en"
    key = board_cache_key(language)
    html = cache.get(key)
    if html is None:
        with translation.override(language):
            html = render_to_string(_T + "public_board.html", {"board": public_board(), "language": language})
        cache.set(key, html, BOARD_SECONDS)
    response = HttpResponse(html)
    response["Cache-Control"] = f"public, max-age={BOARD_SECONDS}"
    response["Content-Language"] = language
    return response
