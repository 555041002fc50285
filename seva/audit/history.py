"""The change history shown on a record's page: one helper for every page.

``changes(obj, masked=...)`` reads the record's django-simple-history rows, newest first, and
compares each with the one before it (``diff_against``): who, when, what kind of change, and
for each changed field its label, the old value and the new one, as text in the user's
language. The page includes ``partials/history.html`` with the result as ``history``.

Personal fields the page masks for the user are passed as ``masked``: their changes are listed
(the field changed) but both values are shown as ``•••``, so the history shows no more than
the page does.

``ChangedFieldsHistory`` is the records class for models saved often for bookkeeping (the
user model on every sign-in writes ``last_login``): a save that only touches excluded fields
writes no history row.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords, ModelChange

MASK = "•••"
# Bookkeeping columns every model has: they change on every save and say nothing.
_NEVER_SHOWN = {"id", "created_at", "updated_at"}
EMPTY = "–"


class ChangedFieldsHistory(HistoricalRecords):
    """``HistoricalRecords`` that skips a save whose ``update_fields`` are all excluded."""

    def post_save(self, instance: Any, created: bool, using: Any = None, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def m2m_changed(
        self, instance: Any, action: str, attr: str, pk_set: Any, reverse: bool, **kwargs: Any
    ) -> None:
        """simple_history records a change made from the model's own side only; a role given
        from the other side (``group.user_set.add(user)``, a migration) is a change of each
        user too. A ``clear()`` from the other side: the users are read before it."""
        if not reverse:
            super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
            return
        if action == "pre_clear":
            members = self.cls._default_manager.filter(**{attr: instance})
            instance._history_cleared = set(members.values_list("pk", flat=True))
            return
        if action == "post_clear":
            pk_set = getattr(instance, "_history_cleared", set())
        elif action not in ("post_add", "post_remove"):
            return
        for row in self.cls._default_manager.filter(pk__in=pk_set or ()):
            super().m2m_changed(row, action, attr, pk_set, False, **kwargs)


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: datetime.datetime
    who: str
    kind: str  # "+" created, "~" changed, "-" deleted
    reason: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return {"+": _("created"), "~": _("changed"), "-": _("deleted")}.get(self.kind, self.kind)


def _shown_fields(model: type[models.Model], extra: Iterable[str]) -> list[models.Field]:
    extra = set(extra)
    return [
        f
        for f in model._meta.concrete_fields
        if (f.editable or f.name in extra) and f.name not in _NEVER_SHOWN and not f.primary_key
    ]


def _text(value: Any, model_field: models.Field, related: dict[Any, str]) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if model_field.many_to_many:
        return ", ".join(sorted(related.get(pk, f"#{pk}") for pk in value)) or EMPTY
    if model_field.is_relation:
        return related.get(value, f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)  # 12,34,567: Indian grouping
    if isinstance(value, dict):
        return "; ".join(f"{key}: {item}" for key, item in value.items()) or EMPTY
    return str(value)


def _who(record: Any) -> str:
    user = record.history_user
    if user is None:
        return EMPTY
    return user.get_full_name() or user.get_username()


def changes(
    obj: models.Model,
    *,
    limit: int = 20,
    masked: Iterable[str] = (),
    extra_fields: Iterable[str] = (),
    formatters: dict[str, Callable[[Any], str]] | None = None,
) -> list[HistoryEntry]:
    """The last ``limit`` changes of ``obj``, newest first (see the module's docstring).

    ``extra_fields``: fields not editable in forms but worth showing (an activity's copy of
    its numbers); ``formatters``: a field's own way to show a value. Queries: one for the
    history rows, one per related model named in a change.
    """
    masked = set(masked)
    formatters = formatters or {}
    model = type(obj)
    untracked = set(getattr(obj.history.model, "_history_excluded_fields", ()))
    shown = [f for f in _shown_fields(model, extra_fields) if f.name not in untracked]
    # Many-to-many fields the history keeps (a user's groups: his role; a conference's
    # participants): compared by diff_against, two queries per change shown.
    kept_m2m = {f.name for f in getattr(obj.history.model, "_history_m2m_fields", ())}
    many = [f for f in model._meta.many_to_many if f.name in kept_m2m]
    names = [f.name for f in shown] + [f.name for f in many]
    by_name = {f.name: f for f in [*shown, *many]}
    # One more than shown: the oldest shown row is compared with the one before it.
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    deltas = []
    wanted: dict[type[models.Model], set[Any]] = {}
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        if previous is None or record.history_type != "~":
            deltas.append((record, []))
            continue
        included = [f.name for f in shown if f.editable] + [f.name for f in many]
        found = []
        for change in record.diff_against(previous, included_fields=included).changes:
            if by_name[change.field].many_to_many:
                target = by_name[change.field].m2m_reverse_field_name()
                change = ModelChange(
                    change.field,
                    sorted(row[target] for row in change.old),
                    sorted(row[target] for row in change.new),
                )
            found.append(change)
        # diff_against reads fields through model_to_dict, which leaves out non-editable ones.
        for name in (f.name for f in shown if not f.editable):
            old, new = getattr(previous, by_name[name].attname), getattr(record, by_name[name].attname)
            if old != new:
                found.append(ModelChange(name, old, new))
        deltas.append((record, found))
        for change in found:
            model_field = by_name[change.field]
            if model_field.is_relation and change.field not in masked:
                ids = [*change.old, *change.new] if model_field.many_to_many else [change.old, change.new]
                wanted.setdefault(model_field.related_model, set()).update(v for v in ids if v is not None)
    names_of: dict[type[models.Model], dict[Any, str]] = {
        related: {pk: str(row) for pk, row in related._default_manager.in_bulk(ids).items()}
        for related, ids in wanted.items()
    }
    entries = []
    for record, field_changes in deltas:
        entry = HistoryEntry(
            at=record.history_date,
            who=_who(record),
            kind=record.history_type,
            reason=record.history_change_reason or "",
        )
        for change in sorted(field_changes, key=lambda c: names.index(c.field)):
            model_field = by_name[change.field]
            if change.field in masked:
                old, new = MASK, MASK
            elif change.field in formatters:
                old, new = formatters[change.field](change.old), formatters[change.field](change.new)
            else:
                related = names_of.get(model_field.related_model, {}) if model_field.is_relation else {}
                old, new = _text(change.old, model_field, related), _text(change.new, model_field, related)
            entry.changes.append(FieldChange(change.field, str(model_field.verbose_name), old, new))
        entries.append(entry)
    return entries
