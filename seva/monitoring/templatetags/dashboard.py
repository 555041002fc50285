"""Filters of the dashboard templates."""

from django import template

register = template.Library()


@register.filter
def share(value: float | None) -> str:
    """A share (0..1) as a whole percentage: ``0.456`` -> ``46%``; nothing -> ``—``."""
    if value is None:
        return "—"
    return f"{round(value * 100)}%"


@register.filter
def tel(phone: object) -> str:
    """A phone number (text or a ``PhoneNumber``) for a ``tel:`` link: digits and a leading
    plus only."""
    return "".join(ch for ch in str(phone or "") if ch.isdigit() or ch == "+")
