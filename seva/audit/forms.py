from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from seva.base.widgets import PastDateInput

from .choices import AccessAction


class AccessSearchForm(forms.Form):
    """The access log's search: by person (a phone, turned into its key), by user, by what
    happened and by dates. Every field is optional."""

    phone = forms.CharField(
        label=_("person's mobile number"),
        required=False,
        max_length=20,
        help_text=_("Finds the views of this person's details; the log does not keep the number itself."),
    )
    username = forms.CharField(label=_("user name"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("what"), required=False, choices=[("", _("All")), *AccessAction.choices]
    )
    date_from = forms.DateField(label=_("from"), required=False, widget=PastDateInput())
    date_to = forms.DateField(label=_("to"), required=False, widget=PastDateInput())

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and sum(ch.isdigit() for ch in phone) < 10:
            raise forms.ValidationError(_("Type the whole mobile number (10 digits)."))
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        return cleaned
