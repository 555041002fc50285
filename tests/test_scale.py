"""Scale data: ``seed_scale`` at a tiny scale makes reports from every booth and rollups equal
to the facts (the full size is for the benchmarks, bench/README.md)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Min

from seva.geo.models import Booth
from tasks17.models import Activity, Campaign, DailyRollup, Target
from tasks17.rollups import rebuild
from tasks17.scale import DAYS, REPORTS_PER_BOOTH, SILENT_DISTRICTS
from tasks17.selectors import campaign_period, districts_silent_since

pytestmark = pytest.mark.django_db


def test_seed_scale_at_a_tiny_scale_builds_rollups_equal_to_the_facts(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_scale", "--scale", "0.0025", stdout=out)
    booths = Booth.objects.count()
    assert booths >= 243
    assert Activity.objects.count() == booths * REPORTS_PER_BOOTH
    span = Activity.objects.aggregate(
        first=Min("date"), last=Max("date"), booths=Count("booth", distinct=True)
    )
    assert (span["last"] - span["first"]).days == DAYS - 1
    assert span["booths"] == booths
    # Typed reports only for typed tasks: one for a task fed by its records would count twice.
    assert not Activity.objects.filter(task__fed_by_records=True).exists()
    assert DailyRollup.objects.exists()
    assert rebuild(check_only=True).total == 0
    assert Campaign.objects.get(is_active=True).name == "Scale campaign"
    assert campaign_period().end == span["last"]
    assert len(districts_silent_since(hours=48)) == SILENT_DISTRICTS
    assert Target.objects.exists()
    assert "rollups built" in out.getvalue()
    call_command("seed_scale", "--scale", "0.0025", stdout=StringIO())  # a second run adds nothing
    assert Activity.objects.count() == booths * REPORTS_PER_BOOTH


def test_seed_scale_refuses_a_scale_out_of_range(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="share of the full size"):
        call_command("seed_scale", "--scale", "2")
