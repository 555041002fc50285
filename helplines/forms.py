"""Forms of the helpline pages. They collect input, with choices limited to what the user may
use (his helplines, the districts they serve); ``helplines.services`` decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from seva.base.scoping import user_scope
from seva.geo.models import District
from seva.people.choices import BloodGroup
from seva.people.models import Worker
from seva.people.phones import MobileFormField

from .choices import Category, FacilityKind, Outcome, Urgency, Verification
from .models import Facility, Helpline, member_helplines

_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_COUNT = forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "step": 1})


def desk_helplines(user: Any) -> Any:
    """The active helplines ``user`` takes calls at: his own; a state-wide user, all."""
    helplines = Helpline.objects.filter(is_active=True)
    if user_scope(user).everything:
        return helplines
    return helplines.filter(pk__in=member_helplines(user))


def desk_districts(user: Any) -> Any:
    """The districts whose calls ``user``'s helplines take (and their own districts)."""
    helplines = desk_helplines(user)
    served = Helpline.districts.through.objects.filter(helpline__in=helplines).values("district_id")
    return District.objects.filter(pk__in=served) | District.objects.filter(
        pk__in=helplines.values("district_id")
    )


class HelpRequestForm(forms.Form):
    """The desk's request form, in the order an operator asks on the phone."""

    caller_name = forms.CharField(label=_("Caller's name"), max_length=120)
    caller_phone = MobileFormField(
        label=_("Caller's mobile number"),
        widget=forms.TextInput(
            attrs={
                "inputmode": "tel",
                "autocomplete": "off",
                # The caller's open requests, warned about while the number is typed.
                "hx-get": reverse_lazy("helplines:caller-check"),
                "hx-trigger": "keyup changed delay:400ms, change",
                "hx-target": "#caller-check",
            }
        ),
    )
    caller_shares_phone = forms.BooleanField(
        label=_("The caller agrees that the worker sent to help may have his number"), required=False
    )
    patient_name = forms.CharField(label=_("Patient's name"), max_length=120, required=False)
    patient_age = forms.IntegerField(label=_("Patient's age"), min_value=0, max_value=120, required=False)
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    category = forms.ChoiceField(label=_("Need"), choices=[("", _("Choose the need")), *Category.choices])
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    blood_group = forms.ChoiceField(
        label=_("Patient's blood group"),
        choices=[("", _("Not known")), *BloodGroup.choices],
        required=False,
        help_text=_("For blood and plasma."),
    )
    details = forms.CharField(
        label=_("Details"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    helpline = forms.ModelChoiceField(label=_("Helpline"), queryset=Helpline.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caller_name"].widget.attrs["autofocus"] = True
        helplines = desk_helplines(user)
        self.fields["helpline"].queryset = helplines
        only = list(helplines[:2])
        self.only_helpline = only[0] if len(only) == 1 else None
        if self.only_helpline:
            # One helpline: nothing to choose (the field stays, hidden, for the record).
            self.fields["helpline"].initial = only[0]
            self.fields["helpline"].required = False
            self.fields["helpline"].widget = forms.HiddenInput()
            if only[0].district_id:
                self.fields["district"].initial = only[0].district_id
        self.fields["district"].queryset = desk_districts(user).order_by("name_en")

    def clean_helpline(self) -> Helpline | None:
        return self.cleaned_data.get("helpline") or self.only_helpline


class FindForm(forms.Form):
    ref = forms.CharField(
        label=_("Reference"), max_length=12, widget=forms.TextInput(attrs={"placeholder": "PAT-0042"})
    )


class AssignForm(forms.Form):
    worker = forms.ModelChoiceField(label=_("Worker"), queryset=Worker.objects.none())
    reassign = forms.BooleanField(label=_("Take it from the worker who has it"), required=False)

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if request is not None:
            # Offered: the active workers of the request's district; the service checks again.
            self.fields["worker"].queryset = Worker.objects.filter(
                district_id=request.district_id, is_active=True
            )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class OptionalNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("Choose how it was met")), *Outcome.choices]
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class DuplicateForm(forms.Form):
    of = forms.CharField(label=_("Duplicate of (reference)"), max_length=12)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class FacilitySearchForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Free"),
        required=False,
        choices=[
            ("", _("Anything")),
            ("general", _("General bed")),
            ("oxygen", _("Oxygen bed")),
            ("icu", _("ICU bed")),
            ("ventilator", _("Ventilator")),
            ("cylinders", _("Oxygen cylinder")),
        ],
    )
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        districts = Facility.objects.visible_to(user).values("district_id")
        self.fields["district"].queryset = District.objects.filter(pk__in=districts).order_by("name_en")


class FacilityForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    kind = forms.ChoiceField(label=_("Kind"), choices=FacilityKind.choices)
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    address = forms.CharField(label=_("Address"), max_length=250, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = District.objects.visible_to(user)
        self.fields["district"].queryset = (own | desk_districts(user)).distinct().order_by("name_en")


class AvailabilityForm(forms.Form):
    verification = forms.ChoiceField(label=_("How verified"), choices=Verification.choices)
    reported_at = forms.DateTimeField(
        label=_("As of"), widget=_DATETIME, required=False, help_text=_("Empty: now.")
    )
    beds_general = forms.IntegerField(label=_("General beds free"), required=False, widget=_COUNT)
    beds_oxygen = forms.IntegerField(label=_("Oxygen beds free"), required=False, widget=_COUNT)
    beds_icu = forms.IntegerField(label=_("ICU beds free"), required=False, widget=_COUNT)
    beds_ventilator = forms.IntegerField(label=_("Ventilators free"), required=False, widget=_COUNT)
    oxygen_cylinders = forms.IntegerField(label=_("Oxygen cylinders"), required=False, widget=_COUNT)
    medicines = forms.CharField(
        label=_("Medicines in stock"),
        max_length=500,
        required=False,
        help_text=_("Names, separated by commas."),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # ``user``: ServiceFormView passes it to every form


class ShiftForm(forms.Form):
    operator = forms.ModelChoiceField(label=_("Operator"), queryset=get_user_model().objects.none())
    start = forms.DateTimeField(label=_("Start"), widget=_DATETIME)
    end = forms.DateTimeField(label=_("End"), widget=_DATETIME)

    def __init__(self, *args: Any, helpline: Helpline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = helpline.members.values("user_id")
        self.fields["operator"].queryset = (
            get_user_model().objects.filter(pk__in=members).order_by("username")
        )
