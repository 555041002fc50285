"""The worker form: choices limited to the user's scope, validation by the model."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from seva.geo.forms import place_pickers

from .models import WORKER_FIELDS, Worker
from .validators import normalize_indian_mobile


class WorkerForm(forms.ModelForm):
    class Meta:
        model = Worker
        fields = list(WORKER_FIELDS)
        widgets = {
            "phone": forms.TextInput(
                attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "98765 43210"}
            ),
            "consent_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place_pickers(self, user)

    def clean_phone(self) -> str:
        try:
            return normalize_indian_mobile(self.cleaned_data["phone"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
