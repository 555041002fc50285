"""Place pickers for any form with district / assembly seat / mandal / booth fields.

One place decides what a form offers: only places in the user's scope, his only district
preselected, seats of the chosen district, mandals and booths of the chosen seat (so a page
never ships thousands of booths), and the htmx attributes that refill each select when the
one above it changes (``geo:seat-options``, ``geo:mandal-options``, ``geo:booth-options``).
"""

from typing import Any

from django import forms
from django.urls import reverse_lazy

from .models import AssemblySeat, Booth, District, Mandal

# The booth search box of tasks17/_booth_picker.html, which narrows the booth select.
BOOTH_SEARCH = "#id_booth_q"


def chosen_key(form: forms.BaseForm, name: str) -> int | None:
    """The id chosen for field ``name``: from the sent data, else the form's or the field's
    initial value; ``None`` when there is none or it is not a number."""
    raw = form.data.get(name) if form.is_bound else None
    if raw is None:
        initial = form.initial.get(name, form.fields[name].initial)
        raw = getattr(initial, "pk", initial)
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


def place_pickers(form: forms.BaseForm, user: Any, *, booth_search: bool = False) -> int | None:
    """Scope and link the form's place fields (``district`` and those of ``assembly_seat``,
    ``mandal``, ``booth`` it has); returns the chosen district's id.

    ``booth_search``: the page has the booth search box, and the booth select follows it too;
    with no seat chosen, the box searches the whole district (``geo:booth-options``).
    """
    fields = form.fields
    districts = District.objects.visible_to(user)
    fields["district"].queryset = districts
    if not form.initial.get("district") and len(only := list(districts[:2])) == 1:
        fields["district"].initial = only[0]
    district_id = chosen_key(form, "district")
    if "assembly_seat" not in fields:
        return district_id
    fields["district"].widget.attrs.update(
        {"hx-get": reverse_lazy("geo:seat-options"), "hx-target": "#id_assembly_seat", "hx-trigger": "change"}
    )
    seats = AssemblySeat.objects.visible_to(user)
    fields["assembly_seat"].queryset = seats.filter(district_id=district_id) if district_id else seats.none()
    seat_id = chosen_key(form, "assembly_seat") or 0
    if "mandal" in fields:
        fields["mandal"].queryset = Mandal.objects.visible_to(user).filter(assembly_seat_id=seat_id)
        fields["mandal"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("geo:mandal-options"),
                "hx-target": "#id_mandal",
                "hx-trigger": "change from:#id_assembly_seat",
                "hx-include": "#id_assembly_seat",
            }
        )
    if "booth" in fields:
        booths = Booth.objects.visible_to(user)
        trigger = "change from:#id_assembly_seat"
        include = "#id_assembly_seat"
        if booth_search:
            trigger += f", input changed delay:400ms from:{BOOTH_SEARCH}"
            include += f", #id_district, {BOOTH_SEARCH}"
        if booth_search and not seat_id and district_id:
            # The search box finds booths across the district before a seat is chosen: any
            # of them is valid, but the page lists only the one chosen (never thousands).
            fields["booth"].queryset = booths.in_district(district_id)
            chosen = chosen_key(form, "booth")
            fields["booth"].widget.choices = [
                ("", fields["booth"].empty_label),
                *(
                    (booth.pk, f"{booth.assembly_seat} · {booth}")
                    for booth in fields["booth"]
                    .queryset.filter(pk=chosen or 0)
                    .select_related("assembly_seat")
                ),
            ]
        else:
            fields["booth"].queryset = booths.filter(assembly_seat_id=seat_id)
        fields["booth"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("geo:booth-options"),
                "hx-target": "#id_booth",
                "hx-trigger": trigger,
                "hx-include": include,
            }
        )
    return district_id
