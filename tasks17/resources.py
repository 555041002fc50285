"""Spreadsheet import and export of targets (django-import-export).

A target row names its task, metric and district by stable codes. The admin checks the whole
file first (a dry run) and writes nothing while any row is bad; every bad row is listed.
"""

from typing import Any

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from seva.people.resources import DistrictWidget

from .models import Metric, Target, Task


class TaskWidget(ForeignKeyWidget):
    """A task by its code."""

    def __init__(self) -> None:
        super().__init__(Task, field="code")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Task | None:
        try:
            return super().clean(value, row, **kwargs)
        except Task.DoesNotExist:
            raise ValueError(f"No task with code “{value}”.") from None


class MetricInTaskWidget(ForeignKeyWidget):
    """A metric by its code within the row's task."""

    def __init__(self) -> None:
        super().__init__(Metric, field="code")

    def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any):
        return Metric.objects.filter(task__code=row.get("task"))

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Metric | None:
        try:
            return super().clean(value, row, **kwargs)
        except Metric.DoesNotExist:
            raise ValueError(f"Task “{row.get('task')}” has no metric “{value}”.") from None


class TargetResource(resources.ModelResource):
    task = fields.Field(attribute="task", column_name="task", widget=TaskWidget())
    metric = fields.Field(attribute="metric", column_name="metric", widget=MetricInTaskWidget())
    district = fields.Field(attribute="district", column_name="district", widget=DistrictWidget())

    class Meta:
        model = Target
        fields = ("task", "metric", "district", "period_start", "period_end", "value")
        import_id_fields = ("metric", "district", "period_start", "period_end")
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True
