"""Spreadsheet import and export of targets (django-import-export).

A target row names its task, metric and district by stable codes: the task by its ``code``,
the metric by its ``code`` within that task, the district by its ``code``. The admin checks
the whole file first (a dry run) and writes nothing while any row is bad; every bad row is
listed with its reason. A row for a metric, district and period already set updates that
target instead of adding a second one. Each row is written by ``target_create`` /
``target_update``, so the importing user's scope holds as on the page and the API.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from seva.base.imports import FieldErrorsNotLookupErrors, KeyWidget, RowsThroughService
from seva.people.resources import district_widget

from . import services
from .models import Metric, Target, Task


def task_widget() -> KeyWidget:
    """A task by its code."""
    return KeyWidget(Task, "code", lambda value, row: _("No task with code “%(code)s”.") % {"code": value})


def metric_in_task_widget() -> KeyWidget:
    """A metric by its code within the row's task (codes repeat across tasks: ``people``)."""
    return KeyWidget(
        Metric,
        "code",
        lambda value, row: (
            _("Task “%(task)s” has no metric “%(metric)s”.") % {"task": row.get("task"), "metric": value}
        ),
        within=("task__code", "task"),
    )


class TargetValueWidget(widgets.IntegerWidget):
    """A whole number above zero: ``12``, ``"12"``, ``"1,200"`` or ``12.0`` (how spreadsheets
    store it), never ``12.5`` (import-export's own integer widget truncates it to ``12``
    without a word), ``0`` or ``-5``.
    """

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        if self.is_empty(value):
            return None
        if isinstance(value, bool):
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value}) from None
        if not number.is_finite() or number != number.to_integral_value() or abs(number) > 2**31:
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
        if number < 1:
            raise ValueError(_("A target must be above zero, not %(value)s.") % {"value": value})
        return int(number)


class TargetResource(FieldErrorsNotLookupErrors, RowsThroughService, resources.ModelResource):
    task = fields.Field(attribute="task", column_name="task", widget=task_widget())
    metric = fields.Field(attribute="metric", column_name="metric", widget=metric_in_task_widget())
    district = fields.Field(attribute="district", column_name="district", widget=district_widget())
    value = fields.Field(attribute="value", column_name="value", widget=TargetValueWidget())

    class Meta:
        model = Target
        fields = ("task", "metric", "district", "period_start", "period_end", "value")
        export_order = ("task", "metric", "district", "period_start", "period_end", "value")
        import_id_fields = ("metric", "district", "period_start", "period_end")
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True

    def write(self, instance: Target, *, new: bool, by: Any) -> Target:
        if not new:
            return services.target_update(by=by, target=instance, value=instance.value)
        return services.target_create(
            by=by,
            task=instance.task,
            metric=instance.metric,
            district=instance.district,
            period_start=instance.period_start,
            period_end=instance.period_end,
            value=instance.value,
        )

    def filter_export(self, queryset: QuerySet, **kwargs: Any) -> QuerySet:
        # Each row names three related objects by code: fetch them with the targets.
        return queryset.select_related("task", "metric", "district")
