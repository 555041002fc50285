"""``{% consent_list kind id %}``: the small "Consent" list on a person's page (a worker's, a
donor's, a help request's for its caller). The page has already checked that its user may see
the person."""

from __future__ import annotations

from typing import Any

from django import template

from ..models import ConsentRecord

register = template.Library()


@register.inclusion_tag("privacy/_consent_list.html")
def consent_list(kind: str, subject_id: Any) -> dict[str, Any]:
    records = []
    if subject_id:
        records = list(
            ConsentRecord.objects.of(kind, subject_id).select_related("notice", "recorded_by")[:20]
        )
    return {"records": records}
