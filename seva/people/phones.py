"""One mobile-number field for models, forms and the API (django-phonenumber-field), limited to
Indian mobiles. Numbers are parsed in the default region (``PHONENUMBER_DEFAULT_REGION``,
India), stored in E.164 (``+919876543210``, so one number written two ways is one number) and
answered by the API as that string."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from phonenumber_field import formfields, modelfields, serializerfields
from rest_framework import serializers

from .validators import INVALID_MOBILE, validate_indian_mobile

# A number as large as E.164 allows ("+" and 15 digits): the column keeps its old width.
MOBILE_MAX_LENGTH = 16


class MobileFormField(formfields.PhoneNumberField):
    """A form's mobile number: parsed, then checked to be an Indian mobile."""

    default_validators = [validate_indian_mobile]
    default_error_messages = {"invalid": INVALID_MOBILE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)  # room for "+91 98765-43210" as people type it
        super().__init__(*args, **kwargs)


class MobileNumberField(modelfields.PhoneNumberField):
    """A model's mobile number (an Indian mobile, stored in E.164)."""

    default_validators = [validate_indian_mobile]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MOBILE_MAX_LENGTH)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": MobileFormField, **kwargs})


class MobileSerializerField(serializerfields.PhoneNumberField):
    """An API mobile number: read and written as an E.164 string."""

    default_error_messages = {"invalid": INVALID_MOBILE}

    def to_internal_value(self, data: Any) -> Any:
        number = super().to_internal_value(data)
        try:
            validate_indian_mobile(number)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return number

    def to_representation(self, value: Any) -> str:
        return str(value) if value else ""


# What a duplicate number outside the user's scope gets: it does not say the number exists.
NOT_REGISTRABLE_HERE = _(
    "This mobile number cannot be registered here; if it is right, ask the state office."
)
