"""Template filters for Indian number formatting."""

from django import template

register = template.Library()


def format_indian(value: int | float | str | None) -> str:
    """Group digits the Indian way: 1234567 -> '12,34,567'. Non-numbers pass through."""
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "" if value is None else str(value)
    sign, digits = ("-", str(-number)) if number < 0 else ("", str(number))
    if len(digits) <= 3:
        return sign + digits
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return sign + ",".join(groups) + "," + tail


register.filter("indian", format_indian)
