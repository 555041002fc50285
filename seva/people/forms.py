"""The worker form: choices limited to the user's scope, validation by the model."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from seva.geo.models import AssemblySeat, Booth, District

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
        districts = District.objects.visible_to(user)
        self.fields["district"].queryset = districts
        if districts.count() == 1:
            self.fields["district"].initial = districts.first()
        seats = AssemblySeat.objects.visible_to(user)
        district_key = self.data.get("district") or (self.instance.district_id if self.instance.pk else None)
        district_key = district_key or (districts.first().pk if districts.count() == 1 else None)
        if district_key:
            seats = seats.filter(district_id=district_key)
        self.fields["assembly_seat"].queryset = seats
        # Booths: only those of the chosen seat, so the page never ships thousands of options.
        seat_key = self.data.get("assembly_seat") or self.instance.assembly_seat_id
        booths = Booth.objects.visible_to(user)
        self.fields["booth"].queryset = (
            booths.filter(assembly_seat_id=seat_key) if seat_key else booths.none()
        )
        # Choosing a district reloads its seats; choosing a seat reloads its booths (htmx).
        self.fields["district"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("geo:seat-options"),
                "hx-target": "#id_assembly_seat",
                "hx-trigger": "change",
            }
        )
        self.fields["assembly_seat"].widget.attrs.update(
            {"hx-get": reverse_lazy("geo:booth-options"), "hx-target": "#id_booth", "hx-trigger": "change"}
        )

    def clean_phone(self) -> str:
        try:
            return normalize_indian_mobile(self.cleaned_data["phone"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
