"""Validation of Indian mobile numbers, shared by every phone field (see ``phones.py``)."""

from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import to_python

INVALID_MOBILE = _("Enter an Indian mobile number: 10 digits starting with 6, 7, 8 or 9.")
_MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def validate_indian_mobile(value: Any) -> None:
    """Accept only an Indian mobile number, however it is written (``98765 43210``,
    ``098765-43210``, ``+91 98765 43210`` or a parsed ``PhoneNumber``); landlines, other
    countries and anything unparsable raise ``ValidationError`` (code ``invalid_mobile``).
    django-phonenumber-field parses and stores the number (E.164); this adds "Indian mobile"."""
    number = to_python(value, region="IN") if isinstance(value, str) else value
    if (
        not isinstance(number, phonenumbers.PhoneNumber)
        or number.country_code != 91
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in _MOBILE_TYPES
    ):
        raise ValidationError(INVALID_MOBILE, code="invalid_mobile")
