"""Forms of the record pages. They collect input, with choices limited to the user's scope;
``records.services`` decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seva.base.widgets import PastDateInput
from seva.geo.forms import place_pickers
from seva.geo.models import AssemblySeat, Booth, District
from seva.people.choices import BloodGroup, Language, WorkerRole
from seva.people.models import Worker
from seva.people.phones import MobileFormField

from ..choices import CampKind
from ..models import ChecklistItem, DonationCamp, Donor, VideoConference
from .services import REPRESENTATIVE_ROLES

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_NUMBER = forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "step": 1, "class": "big"})


class CampForm(forms.Form):
    """Plan a camp, or change its plan."""

    kind = forms.ChoiceField(label=_("Kind"), choices=CampKind.choices)
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    assembly_seat = forms.ModelChoiceField(
        label=_("Assembly seat"), queryset=AssemblySeat.objects.none(), required=False
    )
    venue = forms.CharField(label=_("Venue"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=_DATE)
    organiser = forms.CharField(
        label=_("Organiser"), max_length=200, help_text=_("Who runs the camp: a person or a unit.")
    )
    organiser_phone = MobileFormField(
        label=_("Organiser's mobile"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, camp: DonationCamp | None = None, **kwargs: Any) -> None:
        if camp is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"].update({name: getattr(camp, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)
        place_pickers(self, user)


class CampHoldForm(forms.Form):
    donors = forms.IntegerField(label=_("Donors"), min_value=0, widget=_NUMBER)
    units = forms.IntegerField(label=_("Units collected"), min_value=0, widget=_NUMBER)
    date = forms.DateField(
        label=_("Held on"),
        required=False,
        widget=PastDateInput(),
        help_text=_("Leave empty if held on the planned day."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class DonorForm(forms.Form):
    """Register a donor, or change his details."""

    name = forms.CharField(label=_("Name"), max_length=120)
    phone = MobileFormField(
        label=_("Mobile number"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    blood_group = forms.ChoiceField(label=_("Blood group"), choices=[("", "---------"), *BloodGroup.choices])
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    last_donated_on = forms.DateField(label=_("Last donation"), required=False, widget=PastDateInput())
    recovered_on = forms.DateField(
        label=_("Recovered from Covid on"),
        required=False,
        widget=PastDateInput(),
        help_text=_("For plasma: the date of recovery (negative test or end of symptoms)."),
    )
    consent_to_contact = forms.BooleanField(
        label=_("Agrees to be contacted when someone needs blood or plasma"), required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=500)
    # Not required: a form sent without it (an older page in a phone's queue) means Hindi.
    language = forms.ChoiceField(
        label=_("Language of messages"), choices=Language.choices, initial=Language.HINDI, required=False
    )

    def __init__(self, *args: Any, user: Any, donor: Donor | None = None, **kwargs: Any) -> None:
        self.opted_out = donor is not None and donor.opted_out_at is not None
        if donor is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"].update({name: getattr(donor, name) for name in self.base_fields})
        if self.opted_out:
            # Nobody calls him, so nobody is shown his number, not even in this form.
            kwargs["initial"]["phone"] = ""
        super().__init__(*args, **kwargs)
        place_pickers(self, user)
        if self.opted_out:
            self.fields["phone"].required = False
            self.fields["phone"].help_text = _(
                "Hidden: the donor opted out. Leave it empty to keep the number on record."
            )
            # Only his renewed consent ends an opt-out (its own page), never this form.
            del self.fields["consent_to_contact"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["language"] = cleaned.get("language") or Language.HINDI
        if self.opted_out and not cleaned.get("phone"):
            cleaned.pop("phone", None)  # keep the hidden number
        return cleaned


class ConsentRenewalForm(forms.Form):
    """The donor himself agrees again to be contacted, on a day."""

    consent_date = forms.DateField(
        label=_("Consent given on"),
        widget=PastDateInput(),
        help_text=_("The day the donor himself said he may be contacted again."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("consent_date", timezone.localdate())
        super().__init__(*args, **kwargs)


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Worker) -> str:
        return f"{obj.name} ({obj.get_role_display()})"


PARTICIPANT_OPTIONS = 100  # a district has thousands of workers: show a searchable few


def participant_options(workers: Any, selected: Any = (), query: str = "") -> list[Worker]:
    """The workers a participants list shows: the ones already chosen, then up to
    ``PARTICIPANT_OPTIONS`` more whose name or mobile number matches ``query``."""
    selected_ids = [int(pk) for pk in selected if str(pk).isdigit()]
    chosen = list(workers.filter(pk__in=selected_ids)) if selected_ids else []
    matches = workers.exclude(pk__in=selected_ids)
    query = query.strip()
    if query:
        matches = matches.filter(Q(name__icontains=query) | Q(phone__contains=query))
    return chosen + list(matches[:PARTICIPANT_OPTIONS])


class ConferenceForm(forms.Form):
    """Record a video conference. The representative is chosen among the MPs, MLAs and state
    office-bearers in the user's scope; the participants among the district's workers."""

    representative = WorkerChoiceField(label=_("Representative"), queryset=Worker.objects.none())
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    worker_group = forms.CharField(
        label=_("Worker group"),
        max_length=200,
        help_text=_("For example: booth presidents of Danapur mandal."),
    )
    date = forms.DateField(label=_("Date"), widget=PastDateInput())
    participant_search = forms.CharField(
        label=_("Find workers taking part by name or mobile"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "inputmode": "search"}),
        help_text=_("The list below shows the chosen workers and the first 100 that match."),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Registered workers taking part"),
        queryset=Worker.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    participant_count = forms.IntegerField(
        label=_("Workers taking part"),
        min_value=1,
        widget=_NUMBER,
        help_text=_("All who took part, registered in the portal or not."),
    )
    topics = forms.CharField(label=_("Topics"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    follow_ups = forms.CharField(
        label=_("Follow-ups"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, user: Any, conference: VideoConference | None = None, **kwargs: Any
    ) -> None:
        if conference is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"].update(
                {name: getattr(conference, name) for name in self.base_fields if name != "participant_search"}
            )
            kwargs["initial"]["participants"] = list(conference.participants.all())
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = self.initial.get("date") or timezone.localdate()
        if conference is not None:
            self.fields["district"].disabled = True  # a conference stays in its district
        workers = Worker.objects.visible_to(user).filter(is_active=True)
        self.fields["representative"].queryset = workers.filter(role__in=REPRESENTATIVE_ROLES).order_by(
            "name"
        )
        district_id = place_pickers(self, user)
        self.fields["participants"].queryset = (
            workers.filter(district_id=district_id).order_by("name") if district_id else workers.none()
        )
        options_url = reverse_lazy("tasks17:record-worker-options")
        self.fields["district"].widget.attrs.update(
            {"hx-get": options_url, "hx-target": "#id_participants", "hx-include": "#id_participant_search"}
        )
        self.fields["participant_search"].widget.attrs.update(
            {
                "hx-get": options_url,
                "hx-trigger": "input changed delay:400ms, search",
                "hx-target": "#id_participants",
                "hx-include": "#id_district, #id_participants",
            }
        )
        # Validation takes any worker of the district; the page lists only a searchable few.
        if district_id:
            selected = (
                self.data.getlist("participants")
                if self.is_bound
                else [worker.pk for worker in self.initial.get("participants", [])]
            )
            options = participant_options(self.fields["participants"].queryset, selected)
            self.fields["participants"].widget.choices = [(w.pk, _worker_label(w)) for w in options]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned.pop("participant_search", None)  # only narrows the list on the page
        return cleaned


def _worker_label(worker: Worker) -> str:
    return f"{worker.name} ({worker.get_role_display()})"


class ChecklistField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ChecklistItem) -> str:
        return obj.text


class DeclarationForm(forms.Form):
    """Declare a booth corona-free: find the booth in a seat of the user's district, tick the
    checklist, name the booth president if known."""

    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    assembly_seat = forms.ModelChoiceField(label=_("Assembly seat"), queryset=AssemblySeat.objects.none())
    booth = forms.ModelChoiceField(label=_("Booth"), queryset=Booth.objects.none())
    declared_on = forms.DateField(label=_("Corona-free since"), widget=PastDateInput())
    checklist = ChecklistField(
        label=_("Checklist"),
        queryset=ChecklistItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every point must be met."),
    )
    booth_president = WorkerChoiceField(
        label=_("Booth president"), queryset=Worker.objects.none(), required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["declared_on"].initial = timezone.localdate()
        district_id = place_pickers(self, user, booth_search=True)
        self.fields["checklist"].queryset = ChecklistItem.objects.active()
        self.fields["booth_president"].queryset = (
            Worker.objects.visible_to(user)
            .filter(district_id=district_id or 0, role=WorkerRole.BOOTH_PRESIDENT, is_active=True)
            .order_by("name")
        )
