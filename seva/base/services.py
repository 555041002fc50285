"""Helpers for writing services (STYLE.md rule 2): collect every error, then raise once;
fetch the row to change locked and in scope; set fields from validated data.

A service checks all of its rules, gathers the messages in one dict (field -> messages)
and raises one ``ValidationError``, so a page or the API shows every problem at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

Errors = dict[str, Any]

NOT_IN_SCOPE = _("This record is not in your scope.")


def raise_if(errors: Errors) -> None:
    """Raise the collected errors, if there are any."""
    if errors:
        raise ValidationError(errors)


def merge_errors(errors: Errors, error: ValidationError, rename: dict[str, str] | None = None) -> None:
    """Add a ``ValidationError``'s messages to ``errors`` (a field already there keeps its
    first messages), renaming fields where asked."""
    messages = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    for field, field_messages in messages.items():
        errors.setdefault((rename or {}).get(field, field), field_messages)


def full_clean_into(
    instance: models.Model, errors: Errors, exclude: Iterable[str] = (), *, validate_unique: bool = True
) -> None:
    """Run ``full_clean`` and add what it finds to ``errors`` instead of raising. A service
    that words a duplicate itself (``duplicate_error``) passes ``validate_unique=False``."""
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=validate_unique)
    except ValidationError as error:
        merge_errors(errors, error)


def locked_in_scope(model: type[models.Model], *, by: Any, pk: Any) -> Any:
    """The row ``pk`` of ``model``, locked for this transaction (``SELECT … FOR UPDATE``) and
    fetched through ``visible_to(by)``: a row outside the user's scope does not exist for him
    (``Http404``, which the pages and the API answer as 404). Call inside ``transaction.atomic``."""
    row = model.objects.visible_to(by).select_for_update().filter(pk=pk).first()
    if row is None:
        raise Http404(NOT_IN_SCOPE)
    return row


def model_update(instance: models.Model, data: dict[str, Any], fields: Iterable[str]) -> list[str]:
    """Set those of ``fields`` that ``data`` holds and that differ; return the names changed
    (HackSoft's ``model_update``, without the save: the service validates, then saves with
    ``update_fields``)."""
    changed = []
    for field in fields:
        if field in data and getattr(instance, field) != data[field]:
            setattr(instance, field, data[field])
            changed.append(field)
    return changed


def duplicate_error(instance: models.Model, field: str, *, by: Any, seen: Any, unseen: Any) -> Any | None:
    """The message for ``instance``'s ``field`` when another row already holds its value, or
    ``None`` when it is free. A duplicate inside ``by``'s scope is named (``seen``); one outside
    it gets ``unseen``, a message that does not say the value exists, so nobody can test values
    (a phone number, say) against other districts' records."""
    value = getattr(instance, field)
    if value in (None, ""):
        return None
    model = type(instance)
    others = model._default_manager.filter(**{field: value}).exclude(pk=instance.pk)
    if not others.exists():
        return None
    return seen if others.visible_to(by).exists() else unseen
