"""The dashboards' JSON: what ``api.py`` answers, described for the OpenAPI schema."""

from rest_framework import serializers


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="The first day counted (?from=).")
    end = serializers.DateField(help_text="The last day counted (?to=).")


class MetricFiguresSerializer(serializers.Serializer):
    code = serializers.CharField()
    label_en = serializers.CharField()
    label_hi = serializers.CharField()
    reported = serializers.IntegerField(help_text="Submitted and verified reports.")
    verified = serializers.IntegerField()
    target = serializers.IntegerField(allow_null=True, help_text="The sum of the targets for the period.")
    achieved = serializers.FloatField(
        allow_null=True, help_text="Share of the target reported (0..1, may pass 1)."
    )
    behind = serializers.BooleanField(help_text="Achievement below the share of the target's period gone.")


class TaskFiguresSerializer(serializers.Serializer):
    code = serializers.CharField()
    number = serializers.IntegerField(allow_null=True)
    title_en = serializers.CharField()
    title_hi = serializers.CharField()
    metrics = MetricFiguresSerializer(many=True)


class RatesSerializer(serializers.Serializer):
    seats_1 = serializers.FloatField(
        allow_null=True, help_text="Share (0..1) of the seats with a report in the last day."
    )
    seats_3 = serializers.FloatField(allow_null=True)
    seats_7 = serializers.FloatField(allow_null=True)
    booths_1 = serializers.FloatField(
        allow_null=True, help_text="Share (0..1) of the booths with a report in the last day."
    )
    booths_3 = serializers.FloatField(allow_null=True)
    booths_7 = serializers.FloatField(allow_null=True)


class CoordinatorSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()


class AchievementSerializer(serializers.Serializer):
    task = serializers.CharField(help_text="The task's code.")
    achieved = serializers.FloatField(allow_null=True, help_text="Null when the district has no target.")
    behind = serializers.BooleanField()


class DistrictRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_hi = serializers.CharField()
    achievement = AchievementSerializer(many=True)
    reporting_rates = RatesSerializer()
    silent = serializers.BooleanField(help_text="No report in the last 48 hours.")
    coordinator = CoordinatorSerializer(allow_null=True)


class DailyMetricSerializer(serializers.Serializer):
    code = serializers.CharField()
    reported = serializers.ListField(child=serializers.IntegerField())
    verified = serializers.ListField(child=serializers.IntegerField())


class DailyTaskSerializer(serializers.Serializer):
    code = serializers.CharField()
    metrics = DailyMetricSerializer(many=True)


class DailySerializer(serializers.Serializer):
    days = serializers.ListField(child=serializers.DateField())
    tasks = DailyTaskSerializer(many=True)


class HelplineFiguresSerializer(serializers.Serializer):
    """Help requests that came in during the period (``helplines.selectors.helpline_figures``)."""

    open = serializers.IntegerField()
    resolved = serializers.IntegerField()
    closed = serializers.IntegerField(help_text="Resolved or closed as not met.")
    median_minutes_to_first_action = serializers.FloatField(allow_null=True)
    median_minutes_to_resolution = serializers.FloatField(allow_null=True)
    past_sla = serializers.IntegerField()
    open_past_sla = serializers.IntegerField()


class DistrictHelplineFiguresSerializer(HelplineFiguresSerializer):
    district = serializers.CharField(help_text="The caller's district (code).")


class StateDashboardSerializer(serializers.Serializer):
    period = PeriodSerializer()
    tasks = TaskFiguresSerializer(many=True)
    districts = DistrictRowSerializer(many=True)
    silent = serializers.ListField(child=serializers.CharField(), help_text="Codes of the silent districts.")
    lowest = serializers.ListField(
        child=serializers.CharField(), help_text="Codes, lowest achievement first."
    )
    daily = DailySerializer()
    helplines = HelplineFiguresSerializer()
    helpline_districts = DistrictHelplineFiguresSerializer(many=True)


class SeatFiguresSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name_en = serializers.CharField()
    name_hi = serializers.CharField()
    reported = serializers.DictField(
        child=serializers.IntegerField(), help_text="Per task code, the sum of the task's first metric."
    )


class CampsSerializer(serializers.Serializer):
    planned = serializers.IntegerField()
    held = serializers.IntegerField()
    cancelled = serializers.IntegerField()


class DistrictDashboardSerializer(serializers.Serializer):
    period = PeriodSerializer()
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_hi = serializers.CharField()
    tasks = TaskFiguresSerializer(many=True)
    reporting_rates = RatesSerializer()
    booths = serializers.IntegerField()
    mandals = serializers.IntegerField()
    mandals_reporting = serializers.IntegerField(help_text="Mandals with a report in the last 7 days.")
    active_workers = serializers.IntegerField()
    camps = CampsSerializer(help_text="Donation camps dated in the period, by status.")
    corona_free_booths = serializers.IntegerField()
    coordinator = CoordinatorSerializer(allow_null=True)
    seats = SeatFiguresSerializer(many=True)
    daily = DailySerializer()
    helplines = HelplineFiguresSerializer()
