"""Template filters of the report pages."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def percent_or_dash(share: Any) -> str:
    """A share (0..1) as a whole percentage ("73%"), or "–" where there is none."""
    if share is None or share == "":
        return "–"
    return f"{round(float(share) * 100)}%"
