"""The worker form: choices limited to the user's scope, validation by the model."""

from typing import Any

from django import forms

from seva.geo.forms import place_pickers

from .choices import Language
from .models import WORKER_FIELDS, Worker


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
        # A form sent without it (an older page in a phone's queue) keeps the worker's language,
        # Hindi for a new one.
        self.fields["language"].required = False

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or self.instance.language or Language.HINDI

    def validate_unique(self) -> None:
        """Uniqueness is the service's to check: it words a duplicate by the user's scope
        (``worker_create``), so the form must not answer first and reveal the number."""
