"""The summary of a refused form's errors, shown at its top (issue 11)."""

from typing import Any

from django import forms, template

register = template.Library()


@register.inclusion_tag("partials/error_summary.html")
def error_summary(form: forms.BaseForm | None) -> dict[str, Any]:
    """Every error of ``form`` in one box: those about the whole form (and its hidden
    inputs, which have nowhere else to show) first, then one line per field, linked to its
    input (``#id_…``). ``fields`` counts the fields to correct. Empty for a form not sent or
    sent without errors."""
    if form is None or not form.is_bound or not form.errors:
        return {"items": [], "fields": 0}
    items: list[dict[str, Any]] = [{"message": message} for message in form.non_field_errors()]
    fields = 0
    for field in form:
        if not field.errors:
            continue
        if field.is_hidden:
            items.extend({"message": message} for message in field.errors)
            continue
        fields += 1
        anchor = field.id_for_label or field.auto_id
        for message in field.errors:
            items.append({"href": f"#{anchor}" if anchor else "", "label": field.label, "message": message})
    return {"items": items, "fields": fields}
