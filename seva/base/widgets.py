"""Form widgets every app may use."""

from typing import Any

from django import forms
from django.utils import timezone


class PastDateInput(forms.DateInput):
    """A date picker that offers no day after today (``max`` = today in the portal's zone, taken
    when the form is rendered). For a date the service refuses in the future (a report's day, a
    camp held, a conference, a declaration, a donation): the phone's picker then greys those
    days out. The service still checks; this only spares the user a refused submit."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = {**(attrs or {}), "max": timezone.localdate().isoformat()}
        return super().get_context(name, value, attrs)
