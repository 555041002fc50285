"""One meaning of progress: the selectors over the rollups, the pages and the API on them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tasks17 import selectors
from tasks17.models import Campaign, DistrictReportClock, Target
from tasks17.selectors import (
    campaign_period,
    daily_series,
    district_task_progress,
    districts_silent_since,
    figures,
    last_report_at,
    progress,
    reporting_rates,
)
from tasks17.services import target_create
from tests.factories import BoothFactory, district, seat_in
from tests.factories_tasks import campaign_around_today, report, task

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days(n):
    return datetime.timedelta(days=n)


def masks_target(by, *, code="patna", value=1000, start=None, length=10, metric="masks"):
    masks = task("masks-sanitiser")
    start = start or TODAY() - days(4)
    return target_create(
        by=by,
        task=masks,
        metric=masks.metrics.get(code=metric),
        district=district(code),
        period_start=start,
        period_end=start + days(length - 1),
        value=value,
    )


def test_the_campaign_so_far_ends_today_or_at_the_campaigns_end():
    shipped = Campaign.objects.get(is_active=True)
    assert shipped.start_date == datetime.date(2021, 4, 20)
    assert campaign_period(datetime.date(2021, 5, 1)) == selectors.Period(
        datetime.date(2021, 4, 20), datetime.date(2021, 5, 1)
    )
    assert campaign_period(datetime.date(2026, 1, 1)).end == shipped.end_date
    Campaign.objects.update(is_active=False)
    assert campaign_period(TODAY()) == selectors.Period(TODAY() - days(59), TODAY())


def test_figures_group_by_any_dimension(dc_patna, dc_gaya):
    seat = seat_in("patna")
    report(dc_patna, values={"masks": 10, "sanitiser": 1})
    report(dc_patna, assembly_seat=seat, values={"masks": 5}, days_ago=1)
    report(dc_gaya, code="gaya", values={"masks": 7})
    start, end = TODAY() - days(6), TODAY()
    patna, gaya = district("patna").pk, district("gaya").pk
    by_district = {
        row["district_id"]: row["reported"] for row in figures(start=start, end=end, by=("district",))
    }
    assert by_district == {patna: 16, gaya: 7}
    masks = task("masks-sanitiser").metrics.get(code="masks").pk
    rows = figures(start=start, end=end, district=patna, by=("assembly_seat", "metric"))
    assert {(r["assembly_seat_id"], r["metric_id"], r["reported"]) for r in rows} >= {
        (seat.pk, masks, 5),
        (None, masks, 10),
    }
    assert figures(start=start, end=end, seat=seat, by=()) == [{"reported": 5, "verified": 0, "reports": 1}]
    assert figures(start=TODAY(), end=TODAY(), by=("date",))[0]["reported"] == 10 + 1 + 7
    with pytest.raises(ValueError, match="booth"):
        figures(start=start, end=end, by=("booth",))


def test_the_daily_series_has_every_day(dc_patna, state_staff):
    from tasks17.services import activity_verify

    activity_verify(by=state_staff, activity=report(dc_patna, values={"masks": 10}, days_ago=2))
    report(dc_patna, values={"masks": 4})
    series = daily_series(start=TODAY() - days(3), end=TODAY(), task=task("masks-sanitiser"))
    assert series == [
        (TODAY() - days(3), 0, 0),
        (TODAY() - days(2), 10, 10),
        (TODAY() - days(1), 0, 0),
        (TODAY(), 4, 0),
    ]


def test_behind_means_below_the_share_of_the_period_gone_less_the_tolerance(dc_patna, state_staff, settings):
    settings.SEVA_BEHIND_TOLERANCE = 0.10
    target = masks_target(state_staff, value=1000)  # day 5 of 10 today: half the period gone
    report(dc_patna, values={"masks": 390})
    (row,) = progress(start=TODAY(), end=TODAY(), district=district("patna"))
    assert row.target == target
    assert (row.reported, row.achieved, row.share_gone) == (390, 0.39, 0.5)
    assert row.behind
    report(dc_patna, values={"masks": 20})  # 41 %: within the tolerance
    (row,) = progress(start=TODAY(), end=TODAY())
    assert row.achieved == pytest.approx(0.41) and not row.behind
    # Figures for an earlier day count up to that day and measure the share gone then.
    (row,) = progress(start=TODAY() - days(4), end=TODAY() - days(4))
    assert (row.reported, row.share_gone) == (0, 0.1)
    assert progress(start=TODAY() + days(30), end=TODAY() + days(31)) == []


def test_a_tasks_achievement_is_the_mean_of_its_metrics(dc_patna, state_staff):
    masks = masks_target(state_staff, value=1000)
    masks_target(state_staff, value=100, metric="sanitiser")
    report(dc_patna, values={"masks": 800, "sanitiser": 20})
    cells = district_task_progress(start=TODAY(), end=TODAY())
    cell = cells[(district("patna").pk, masks.task_id)]
    assert cell.achieved == pytest.approx((0.8 + 0.2) / 2)
    assert cell.share_gone == 0.5 and not cell.behind and cell.targets == 2
    assert (district("gaya").pk, masks.task_id) not in cells


def test_reporting_rates_count_seats_and_booths(dc_patna):
    seats = list(district("patna").assembly_seats.order_by("number"))
    booth = BoothFactory(assembly_seat=seats[0])
    BoothFactory(assembly_seat=seats[1])
    report(dc_patna, booth=booth)
    report(dc_patna, assembly_seat=seats[1], days_ago=2)
    report(dc_patna, assembly_seat=seats[2], days_ago=9)
    rates = reporting_rates()[district("patna").pk]
    assert rates.seats == len(seats)
    assert rates.seats_reporting == {1: 1, 3: 2, 7: 2}
    assert rates.seat_share(3) == 2 / len(seats)
    assert (rates.booths, rates.booths_reporting) == (2, {1: 1, 3: 1, 7: 1})
    assert reporting_rates()[district("gaya").pk].seats_reporting == {1: 0, 3: 0, 7: 0}


def test_silent_districts_are_those_without_a_report_in_48_hours(dc_patna, dc_gaya):
    report(dc_patna)
    report(dc_gaya, code="gaya")
    DistrictReportClock.objects.filter(district=district("gaya")).update(
        last_report_at=timezone.now() - datetime.timedelta(hours=49)
    )
    silent = districts_silent_since(hours=48)
    codes = {d.code for d in silent}
    assert "gaya" in codes and "patna" not in codes
    assert len(silent) == 37
    assert last_report_at(district("patna").pk) is not None


def _queries(call):
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


SELECTORS = {
    "figures": lambda: figures(start=TODAY() - days(30), end=TODAY(), by=("district", "task", "metric")),
    "daily_series": lambda: daily_series(start=TODAY() - days(30), end=TODAY()),
    "progress": lambda: progress(start=TODAY() - days(30), end=TODAY()),
    "district_task_progress": lambda: district_task_progress(start=TODAY() - days(30), end=TODAY()),
    "reporting_rates": lambda: reporting_rates(),
    "districts_silent_since": lambda: districts_silent_since(),
    "campaign_period": lambda: campaign_period(),
}


def test_each_selector_takes_the_same_queries_at_2_and_at_20_reports(dc_patna, dc_gaya, state_staff):
    masks_target(state_staff)
    masks_target(state_staff, code="gaya")
    seats = list(district("patna").assembly_seats.all())
    counts = {}
    for size in (2, 20):
        for n in range(size if size == 2 else 18):
            user, code = (dc_patna, "patna") if n % 2 else (dc_gaya, "gaya")
            seat = seats[n % len(seats)] if code == "patna" else None
            report(user, code=code, values={"masks": n + 1}, days_ago=n % 5, assembly_seat=seat)
        counts[size] = {name: _queries(call) for name, call in SELECTORS.items()}
    assert counts[2] == counts[20]
    assert counts[2] == {
        "figures": 1,
        "daily_series": 1,
        "progress": 2,
        "district_task_progress": 2,
        "reporting_rates": 4,
        "districts_silent_since": 1,
        "campaign_period": 1,
    }


def test_nothing_that_draws_a_figure_reads_the_fact_table(dc_patna, state_staff):
    masks_target(state_staff)
    report(dc_patna)
    for name, call in SELECTORS.items():
        with CaptureQueriesContext(connection) as context:
            call()
        for query in context.captured_queries:
            assert "tasks17_activity" not in query["sql"], name


# --- The pages ---------------------------------------------------------------------------------


def test_the_tasks_page_defaults_to_the_campaign_so_far(client_as, dc_patna):
    campaign_around_today(days_before=10)
    report(dc_patna, values={"masks": 3}, days_ago=9)
    report(dc_patna, values={"masks": 5}, days_ago=11)  # before the campaign
    page = client_as(dc_patna).get(reverse("tasks17:task-list")).content.decode()
    assert '<td class="num">3</td>' in page
    page = (
        client_as(dc_patna)
        .get(reverse("tasks17:task-list"), {"start": str(TODAY() - days(20))})
        .content.decode()
    )
    assert '<td class="num">8</td>' in page


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "26/11/2026"}, "start", "Enter a valid date."),
        (
            {"start": "2026-11-20", "end": "2026-11-01"},
            "end",
            "The end of the range cannot be before its start.",
        ),
        ({"start": "2024-01-01", "end": "2026-01-01"}, "start", "A range can be at most 366 days long."),
    ],
)
def test_the_tasks_page_says_what_is_wrong_with_a_range(client_as, state_staff, query, field, message):
    response = client_as(state_staff).get(reverse("tasks17:task-list"), query)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()


def test_the_tasks_page_takes_the_same_queries_at_2_and_at_20_reports(client_as, dc_patna):
    client = client_as(dc_patna)
    for _ in range(2):
        report(dc_patna)
    few = _queries(lambda: client.get(reverse("tasks17:task-list")))
    for n in range(18):
        report(dc_patna, days_ago=n % 7)
    assert _queries(lambda: client.get(reverse("tasks17:task-list"))) == few


def test_state_staff_correct_a_target_on_its_page_and_the_history_keeps_the_old_number(
    client_as, state_staff, dc_patna
):
    target = masks_target(state_staff, value=1000)
    client = client_as(state_staff)
    url = reverse("tasks17:target-update", args=[target.pk])
    assert client.post(url, {"value": "0"}).status_code == 200
    response = client.post(url, {"value": "1500"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.value == 1500
    assert [h.value for h in target.history.order_by("history_date")] == [1000, 1500]
    assert target.history.latest().history_user == state_staff
    page = client.get(url).content.decode()
    assert "1,000" in page and "1,500" in page  # the history, in Indian grouping
    assert client_as(dc_patna).get(url).status_code == 403
    assert "target-update" not in client_as(dc_patna).get(reverse("tasks17:target-list")).content.decode()


def test_state_staff_correct_a_target_by_patch(api, state_staff, dc_patna):
    target = masks_target(state_staff, value=1000)
    report(dc_patna, values={"masks": 300})
    url = f"/api/v1/targets/{target.pk}/"
    api.force_authenticate(dc_patna)
    assert api.patch(url, {"value": 10}, format="json").status_code == 403
    api.force_authenticate(state_staff)
    response = api.patch(url, {"value": 1200}, format="json")
    assert response.status_code == 200
    assert (response.json()["value"], response.json()["reported"]) == (1200, 300)
    assert Target.objects.get(pk=target.pk).history.count() == 2
    response = api.patch(url, {"value": 0}, format="json")
    assert response.status_code == 400 and "value" in response.json()
    response = api.patch(url, {"value": 5, "period_end": "2030-01-01"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["period_end"]
    assert api.patch("/api/v1/targets/999999/", {"value": 5}, format="json").status_code == 404


def test_the_landing_page_names_silent_districts_and_tasks_behind(client_as, state_staff, dc_patna):
    campaign_around_today()
    masks_target(state_staff, value=1000)
    report(dc_patna, values={"masks": 10})
    page = client_as(state_staff).get(reverse("home")).content.decode()
    assert "37</strong> districts sent no report in 48 hours" in page
    page = client_as(dc_patna).get(reverse("home")).content.decode()
    assert "1</strong> tasks behind target" in page


def test_the_target_lists_cached_rows_follow_a_correction_a_report_and_the_language(
    client_as, state_staff, dc_patna, settings
):
    """The list's rows are drawn once per key of what they show (TargetListView.rows_key)."""
    settings.SEVA_FIGURES_STALE_SECONDS = 0
    target = masks_target(state_staff, value=1000)
    client = client_as(state_staff)
    url = reverse("tasks17:target-list")

    def row():
        page = client.get(url).content.decode()
        return page.split(f'href="{reverse("tasks17:target-update", args=[target.pk])}"')[0].rsplit(
            "<tr>", 1
        )[1]

    assert "1,000" in row() and ">0<" in row()
    client.post(reverse("tasks17:target-update", args=[target.pk]), {"value": "2500"})
    assert "2,500" in row()
    report(dc_patna, values={"masks": 40, "sanitiser": 1})
    assert ">40<" in row()
    client.post(reverse("set_language"), {"language": "hi", "next": url})
    assert "लक्ष्य" in client.get(url).content.decode() and "2,500" in row()
