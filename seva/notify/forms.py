"""The broadcast form. Its rules (text length, scope, somebody to receive it) are the
service's (``broadcasts.broadcast_check``); the form only offers the choices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from seva.base.scoping import user_scope
from seva.geo.models import District

from .broadcasts import TEXT_MAX_LENGTH, max_sms_parts
from .choices import Audience
from .sms import GSM7, GSM7_EXTENDED


class BroadcastForm(forms.Form):
    text = forms.CharField(
        label=_("Message"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "data-sms-counter": "sms-counter"}),
        help_text=_("Sent as written, in the language you write it in."),
    )
    audience = forms.ChoiceField(
        label=_("Send to"), choices=[("", _("Choose whom it goes to")), *Audience.choices]
    )
    skill = forms.CharField(
        label=_("Skill"),
        max_length=60,
        required=False,
        help_text=_("For workers only: those whose skills mention it, e.g. driver, nurse."),
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts"),
        queryset=District.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        scope = user_scope(user)
        # The live counter reads the SMS alphabet and the limit from the field itself.
        self.fields["text"].widget.attrs.update(
            {
                "data-gsm": "".join(sorted(GSM7)),
                "data-gsm-extended": "".join(sorted(GSM7_EXTENDED)),
                "data-max-parts": str(max_sms_parts()),
                "aria-describedby": "sms-counter",
            }
        )
        if scope.everything:
            self.fields["districts"].queryset = District.objects.order_by("name_en")
            self.own_district = None
        else:
            # A coordinator's district is fixed: shown, not chosen (the service forces it too).
            self.own_district = District.objects.filter(pk=scope.district_id).first()
            self.fields["districts"].queryset = District.objects.filter(pk=scope.district_id)
            self.fields["districts"].widget = forms.MultipleHiddenInput()
            self.fields["districts"].initial = [scope.district_id] if scope.district_id else []

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        districts = data.get("districts") or []
        return {
            "text": data["text"],
            "audience": data["audience"],
            "skill": data.get("skill", ""),
            "districts": [d.pk for d in districts],
        }
