"""Validation of Indian mobile numbers, shared by forms, serializers and imports."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

INVALID_MOBILE = _("Enter an Indian mobile number: 10 digits starting with 6, 7, 8 or 9.")
_MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def normalize_indian_mobile(value: str) -> str:
    """Return ``value`` as an E.164 Indian mobile number (``+919876543210``).

    Accepts the ways people write them: ``98765 43210``, ``098765-43210``, ``+91 98765 43210``.
    Raises ``ValidationError`` (code ``invalid_mobile``) for anything else, landlines included.
    """
    text = (value or "").strip()
    try:
        number = phonenumbers.parse(text, "IN")
    except phonenumbers.NumberParseException:
        raise ValidationError(INVALID_MOBILE, code="invalid_mobile") from None
    if (
        number.country_code != 91
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in _MOBILE_TYPES
    ):
        raise ValidationError(INVALID_MOBILE, code="invalid_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_indian_mobile(value: str) -> None:
    """Model-field validator form of :func:`normalize_indian_mobile`."""
    normalize_indian_mobile(value)
