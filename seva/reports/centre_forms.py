"""The report centre's form: which report, for which district and dates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from seva.base.scoping import user_scope
from seva.geo.models import District
from tasks17.models import Task

from .centre_models import ReportKind


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All districts in your scope"),
        help_text=_("For the district report, and to limit the activity register."),
    )
    task = forms.ModelChoiceField(
        label=_("Task"),
        queryset=Task.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All tasks"),
        help_text=_("Only the activity register is limited to one task."),
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: from the campaign's first day."),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: to today."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.visible_to(user).order_by("position", "name_en")
        self.fields["task"].queryset = Task.objects.active().order_by("position", "number")
        if not user_scope(user).everything:
            self.fields["kind"].choices = [c for c in ReportKind.choices if c[0] != ReportKind.STATE_PACK]
