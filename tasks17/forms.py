"""Forms of the tasks pages. They collect input; the services decide what is allowed."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seva.base.widgets import PastDateInput
from seva.geo.forms import place_pickers
from seva.geo.models import AssemblySeat, Booth, District, Mandal

from .models import Activity, Metric, Task
from .selectors import MAX_RANGE_DAYS, campaign_period

METRIC_PREFIX = "metric_"
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def metric_field(metric: Metric) -> forms.IntegerField:
    """A big number input for a phone's numeric keypad."""
    return forms.IntegerField(
        label=metric.label,
        required=False,
        min_value=0,
        max_value=metric.max_per_report,
        help_text=metric.unit,
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "min": 0, "max": metric.max_per_report, "step": 1, "class": "big"}
        ),
    )


class TypedTaskIterator(forms.models.ModelChoiceIterator):
    """The tasks a person may type a report for: not those fed by their records."""

    def __init__(self, field: forms.ModelChoiceField) -> None:
        super().__init__(field)
        self.queryset = self.queryset.filter(fed_by_records=False)


class TypedTaskField(forms.ModelChoiceField):
    """A task, offering only typed tasks (a task fed by its records, camps or conferences,
    would count their work twice). One sent anyway (an old page, a tampered form) is still a
    valid choice here, so that the report service refuses it with its own clear message
    (``services.RECORD_FED_REFUSAL``) rather than "not one of the available choices"."""

    iterator = TypedTaskIterator


class ActivityForm(forms.Form):
    """A report of one task's work: the task's numbers appear once the task is chosen."""

    task = TypedTaskField(
        label=_("Task"), queryset=Task.objects.none(), to_field_name="code", empty_label=_("Choose a task")
    )
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    assembly_seat = forms.ModelChoiceField(
        label=_("Assembly seat"), queryset=AssemblySeat.objects.none(), required=False
    )
    mandal = forms.ModelChoiceField(label=_("Mandal"), queryset=Mandal.objects.none(), required=False)
    booth = forms.ModelChoiceField(label=_("Booth"), queryset=Booth.objects.none(), required=False)
    date = forms.DateField(label=_("Date"), widget=PastDateInput())
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, activity: Activity | None = None, **kwargs: Any) -> None:
        self.activity = activity
        if activity is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"].update(
                {
                    "task": activity.task,
                    "district": activity.district,
                    "assembly_seat": activity.assembly_seat,
                    "mandal": activity.mandal,
                    "booth": activity.booth,
                    "date": activity.date,
                    "notes": activity.notes,
                    "client_uuid": activity.client_uuid,
                    **{f"{METRIC_PREFIX}{row.metric.code}": row.value for row in activity.values.all()},
                }
            )
        super().__init__(*args, **kwargs)
        # A fresh reference per form shown: the same form sent twice is stored once.
        self.fields["client_uuid"].initial = self.initial.get("client_uuid") or uuid.uuid4()
        self.fields["date"].initial = self.initial.get("date") or timezone.localdate()
        tasks = Task.objects.active()
        if activity is not None:
            tasks = Task.objects.filter(pk=activity.task_id) | tasks
        self.fields["task"].queryset = tasks

        if activity is not None:
            self.fields["district"].disabled = True  # a report stays in its district
        place_pickers(self, user, booth_search=True)
        self.fields["task"].widget.attrs.update(
            {"hx-get": reverse_lazy("tasks17:metric-fields"), "hx-target": "#metric-fields"}
        )

        self.chosen_task = self._chosen_task()
        for metric in self.chosen_task.metrics.filter(is_active=True) if self.chosen_task else []:
            self.fields[f"{METRIC_PREFIX}{metric.code}"] = metric_field(metric)

    def _chosen_task(self) -> Task | None:
        code = self.data.get("task") if self.is_bound else None
        if code is None:
            initial = self.initial.get("task")
            code = getattr(initial, "code", initial)
        if not code:
            return None
        return self.fields["task"].queryset.filter(code=str(code), fed_by_records=False).first()

    def metric_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(METRIC_PREFIX)]

    def place_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("district", "assembly_seat", "mandal")]

    def nested_field_name(self, field: str, key: str) -> str | None:
        """The input of a nested service error (``seva.base.errors.add_service_errors``): a
        number's error goes under its metric's input."""
        return f"{METRIC_PREFIX}{key}" if field == "values" else None

    def values(self) -> dict[str, int]:
        """The numbers entered, by metric code; blank inputs are left out."""
        return {
            name.removeprefix(METRIC_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(METRIC_PREFIX) and value is not None
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "task": data["task"],
            "date": data["date"],
            "values": self.values(),
            "assembly_seat": data.get("assembly_seat"),
            "mandal": data.get("mandal"),
            "booth": data.get("booth"),
            "notes": data.get("notes", ""),
        }


class RejectForm(forms.Form):
    # Not required here: the service says why a reason is needed (the browser still asks).
    reason = forms.CharField(
        label=_("Reason for rejection"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
    )


class DateRangeForm(forms.Form):
    """A range of dates for figures: by default the campaign so far
    (``selectors.campaign_period``). A malformed date, an end before the start or a range of
    more than a year is an error on the field it is about; the figures then show the default."""

    start = forms.DateField(label=_("From"), required=False, widget=_DATE)
    end = forms.DateField(label=_("To"), required=False, widget=_DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end of the range cannot be before its start."))
            elif (end - start).days + 1 > MAX_RANGE_DAYS:
                self.add_error(
                    "start", _("A range can be at most %(days)s days long.") % {"days": MAX_RANGE_DAYS}
                )
        return data

    def dates(self) -> tuple[datetime.date, datetime.date]:
        """The chosen range; by default the campaign so far."""
        period = campaign_period()
        start, end = period.start, period.end
        if self.is_bound and self.is_valid():
            start = self.cleaned_data["start"] or start
            end = self.cleaned_data["end"] or end
            # With one end given, the default other end may lie on its wrong side or too far.
            start, end = min(start, end), max(start, end)
            start = max(start, end - datetime.timedelta(days=MAX_RANGE_DAYS - 1))
        return start, end


class MetricChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Metric) -> str:
        return f"{obj.task.title} – {obj.label}"


class TargetForm(forms.Form):
    task = forms.ModelChoiceField(label=_("Task"), queryset=Task.objects.none())
    metric = MetricChoiceField(label=_("Metric"), queryset=Metric.objects.none())
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    period_start = forms.DateField(label=_("From"), widget=_DATE)
    period_end = forms.DateField(label=_("To"), widget=_DATE)
    value = forms.IntegerField(
        label=_("Target"), min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = Task.objects.active()
        self.fields["metric"].queryset = (
            Metric.objects.active().filter(task__is_active=True).select_related("task")
        )
        self.fields["district"].queryset = District.objects.visible_to(user)


class RecordIdsField(forms.Field):
    """Ticked rows, by id: each a whole number in ASCII digits that fits a database id.
    ``int()`` alone takes ``"²"`` for ``isdigit()`` but not for a number, ``"١٢"`` (Arabic-Indic
    digits) as 12, and a 23-digit id that the database cannot compare: all refused here."""

    widget = forms.MultipleHiddenInput
    largest_id = 2**63 - 1
    default_error_messages = {
        "required": _("Tick the reports to verify."),
        "invalid": _("Not a report number: nothing was verified."),
    }

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, (list, tuple)) else ([value] if value else [])
        ids = []
        for text in values:
            text = str(text)
            if not (text.isascii() and text.isdecimal()) or not 0 < int(text) <= self.largest_id:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            ids.append(int(text))
        return ids


class BulkVerifyForm(forms.Form):
    """The reports ticked on the list, to verify at once."""

    ids = RecordIdsField()


class TargetValueForm(forms.Form):
    """A target's correction: the number only; task, metric, district and period name it."""

    value = forms.IntegerField(
        label=_("Target"), min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )

    def __init__(self, *args: Any, user: Any, target: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"value": target.value})
        super().__init__(*args, **kwargs)
