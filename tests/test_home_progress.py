"""The coordinator's own progress on his landing page (issue 11): his district's achievement
against each current target with the share of the period gone and "behind" (from
``tasks17.selectors.progress``), his seats silent for 48 hours (from the rollups), and
"report another" after a report, which opens the form with the same task and place."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from seva.geo.models import AssemblySeat
from tasks17.models import Activity
from tasks17.selectors import progress, seats_silent
from tasks17.services import target_create
from tests.factories import BoothFactory, MandalFactory, district
from tests.factories_tasks import report, task

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _target(by, metric_code, value, *, code="patna", task_code="masks-sanitiser", start=-10, end=4):
    """A target of 15 days by default, 11 of them gone today (73 %)."""
    return target_create(
        by=by,
        task=task(task_code),
        metric=task(task_code).metrics.get(code=metric_code),
        district=district(code),
        period_start=TODAY() + datetime.timedelta(days=start),
        period_end=TODAY() + datetime.timedelta(days=end),
        value=value,
    )


def _row(page, testid):
    match = re.search(rf'data-testid="{testid}">(.*?)</li>', page, re.S)
    assert match, f"no {testid} on the page"
    return " ".join(match.group(1).split())


def test_the_coordinator_sees_each_current_target_with_the_period_gone_and_behind(
    client_as, dc_patna, state_staff
):
    _target(state_staff, "masks", 1000)
    _target(state_staff, "sanitiser", 100)
    _target(state_staff, "meals", 500, task_code="meals", start=-20, end=-12)  # over: not current
    _target(state_staff, "masks", 50, code="gaya")  # another district
    report(dc_patna, values={"masks": 210, "sanitiser": 80})

    page = client_as(dc_patna).get(reverse("home")).content.decode()

    masks = _row(page, "progress-masks-sanitiser-masks")
    assert "210 of 1,000: <strong>21 %</strong> achieved, 73 % of the period gone" in masks
    assert 'data-testid="behind"' in masks
    sanitiser = _row(page, "progress-masks-sanitiser-sanitiser")
    assert "80 of 100: <strong>80 %</strong> achieved, 73 % of the period gone" in sanitiser
    assert 'data-testid="behind"' not in sanitiser and "on track" in sanitiser
    assert "progress-meals-meals" not in page
    assert page.count('class="progress-row') == 2  # Gaya's target is not his


def test_the_page_shows_what_progress_says(client_as, dc_patna, state_staff):
    """One meaning of progress: the page's figures are those of ``selectors.progress``."""
    _target(state_staff, "masks", 3000, start=-3, end=11)
    report(dc_patna, values={"masks": 500})
    (row,) = progress(start=TODAY(), end=TODAY(), district=district("patna"))
    page = client_as(dc_patna).get(reverse("home")).content.decode()
    text = _row(page, "progress-masks-sanitiser-masks")
    assert f"<strong>{round(row.achieved * 100)} %</strong> achieved" in text
    assert f"{round(row.share_gone * 100)} % of the period gone" in text
    assert ('data-testid="behind"' in text) == row.behind


def test_without_targets_it_says_so(client_as, dc_patna):
    page = client_as(dc_patna).get(reverse("home")).content.decode()
    assert "No target is set for your district today." in page


def test_seats_with_no_report_in_48_hours_are_named(client_as, dc_patna, dc_gaya):
    seats = list(AssemblySeat.objects.filter(district__code="patna").order_by("number"))
    today_seat, yesterday_seat, old_seat = seats[0], seats[1], seats[2]
    report(dc_patna, assembly_seat=today_seat)
    report(dc_patna, assembly_seat=yesterday_seat, days_ago=1)
    report(dc_patna, assembly_seat=old_seat, days_ago=3)
    report(dc_patna)  # no seat: counts for no seat
    report(dc_gaya, code="gaya", assembly_seat=AssemblySeat.objects.filter(district__code="gaya").first())

    silent = seats_silent(district=district("patna"))
    assert [seat.pk for seat in silent] == [seat.pk for seat in seats[2:]]
    assert silent[0].last_reported == TODAY() - datetime.timedelta(days=3)
    assert all(seat.last_reported is None for seat in silent[1:])

    page = client_as(dc_patna).get(reverse("home")).content.decode()
    assert f'data-testid="silent-seat-{today_seat.number}"' not in page
    assert f'data-testid="silent-seat-{yesterday_seat.number}"' not in page
    old = _row(page, f"silent-seat-{old_seat.number}")
    assert "last report" in old
    assert _row(page, f"silent-seat-{seats[3].number}").endswith("no report yet")
    assert page.count('data-testid="silent-seat-') == len(seats) - 2


def test_a_rejected_report_does_not_keep_a_seat_reporting(dc_patna, state_staff):
    from tasks17.services import activity_reject

    seat = AssemblySeat.objects.filter(district__code="patna").order_by("number").first()
    activity = report(dc_patna, assembly_seat=seat)
    assert seat.pk not in {s.pk for s in seats_silent(district=district("patna"))}
    activity_reject(by=state_staff, activity=activity, reason="wrong")
    assert seat.pk in {s.pk for s in seats_silent(district=district("patna"))}


def test_the_silent_seats_are_read_from_the_rollups_in_one_query(dc_patna, django_assert_num_queries):
    for days_ago in range(5):
        report(
            dc_patna,
            assembly_seat=AssemblySeat.objects.filter(district__code="patna").first(),
            days_ago=days_ago,
        )
    patna = district("patna")
    seats = AssemblySeat.objects.filter(district=patna).count()
    with django_assert_num_queries(1):
        silent = seats_silent(district=patna)
    assert len(silent) == seats - 1


def test_report_another_opens_the_form_with_the_same_task_and_place(client_as, dc_patna):
    booth = BoothFactory(mandal=None)
    mandal = MandalFactory(assembly_seat=booth.assembly_seat)
    booth.mandal = mandal
    booth.save()
    activity = report(
        dc_patna,
        task_code="meals",
        values={"meals": 40},
        assembly_seat=booth.assembly_seat,
        mandal=mandal,
        booth=booth,
    )
    client = client_as(dc_patna)
    detail = client.get(reverse("tasks17:activity-detail", args=[activity.pk])).content.decode()
    match = re.search(r'href="([^"]+)" data-testid="report-another"', detail)
    assert match
    url = match.group(1).replace("&amp;", "&")
    assert url.startswith(reverse("tasks17:activity-create") + "?task=meals&")

    form = client.get(url).context["form"]
    page = client.get(url).content.decode()
    assert '<option value="meals" selected>' in page
    assert f'<option value="{booth.assembly_seat_id}" selected>' in page
    assert f'<option value="{mandal.pk}" selected>' in page
    assert f'<option value="{booth.pk}" selected>' in page
    assert 'name="metric_meals"' in page  # the task's numbers are there, empty
    assert form["metric_meals"].value() is None
    assert form["client_uuid"].value() != activity.client_uuid  # a new report, not a resend
    assert Activity.objects.count() == 1


def test_report_another_is_offered_only_to_the_reporter(client_as, dc_patna, state_staff):
    activity = report(dc_patna)
    page = client_as(state_staff).get(reverse("tasks17:activity-detail", args=[activity.pk])).content.decode()
    assert "report-another" not in page


def test_a_place_outside_the_scope_in_the_query_is_not_selected(client_as, dc_gaya):
    seat = AssemblySeat.objects.filter(district__code="patna").first()
    url = (
        reverse("tasks17:activity-create")
        + f"?task=meals&district={district('patna').pk}&assembly_seat={seat.pk}"
    )
    page = client_as(dc_gaya).get(url).content.decode()
    assert f'value="{seat.pk}"' not in page
    assert "Patna" not in page


def test_the_progress_is_in_hindi_in_hindi_mode(client_as, dc_patna, state_staff):
    from django.utils.translation import override

    _target(state_staff, "masks", 1000)
    report(dc_patna, values={"masks": 210})
    client = client_as(dc_patna)
    with override("hi"):
        page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    text = _row(page, "progress-masks-sanitiser-masks")
    assert "1,000 में से 210: <strong>21 %</strong> पूरा, अवधि का 73 % बीत चुका" in text
    assert "मेरे ज़िले की प्रगति" in page and "achieved" not in text
