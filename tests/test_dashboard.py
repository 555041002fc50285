"""The state and district dashboards, their drill-down and their API: figures equal to what
was logged, scope (a coordinator sees his district; another is a 404), Hindi, bad input, and
a query count that does not grow with the data."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from seva.monitoring import selectors
from seva.monitoring.cartogram import TILES
from seva.people.choices import WorkerRole
from tests.factories import BoothFactory, MandalFactory, WorkerFactory, district, seat_in
from tests.factories_tasks import report

pytestmark = pytest.mark.django_db

STATE = "/dashboard/"
STATE_API = "/api/v1/dashboard/state/"
# The shipped campaign ran in 2021; the tests' reports are dated today, so they ask for the
# last week instead of the default "campaign so far".
WEEK = "?days=7"


@pytest.fixture
def own_cache(monkeypatch):
    """The dashboards' boards in a cache of this test alone: with Redis, the test processes
    share one cache, and another test emptying it would make a warm request cold."""
    from django.core.cache.backends.locmem import LocMemCache

    monkeypatch.setattr(selectors, "cache", LocMemCache(f"dashboard-test-{uuid.uuid4()}", {}))


def _metric(data, task_code, metric_code):
    task = next(t for t in data["tasks"] if t["code"] == task_code)
    return next(m for m in task["metrics"] if m["code"] == metric_code)


def test_state_staff_see_the_figures_that_were_logged(client_as, state_staff, dc_patna):
    report(dc_patna, values={"masks": 120, "sanitiser": 15})
    report(dc_patna, values={"masks": 30, "sanitiser": 5}, days_ago=1)
    response = client_as(state_staff).get(STATE + WEEK)
    assert response.status_code == 200
    html = response.content.decode()
    row = html.split('data-testid="metric-masks-sanitiser-masks"', 1)[1].split("</tr>", 1)[0]
    assert ">150<" in row  # reported
    assert 'data-testid="district-table"' in html
    assert html.count('class="tile"') == 38  # one tile per district of the map
    assert 'id="trend-data"' in html and 'id="rates-data"' in html


def test_the_state_api_answers_the_same_figures(api, state_staff, dc_patna):
    report(dc_patna, values={"masks": 120, "sanitiser": 15})
    api.force_authenticate(state_staff)
    response = api.get(STATE_API + WEEK)
    assert response.status_code == 200
    data = response.json()
    assert _metric(data, "masks-sanitiser", "masks")["reported"] == 120
    assert _metric(data, "masks-sanitiser", "sanitiser")["verified"] == 0
    assert len(data["districts"]) == 38
    masks = data["daily"]["tasks"]
    assert (
        sum(next(m for t in masks if t["code"] == "masks-sanitiser" for m in t["metrics"])["reported"]) == 120
    )


def test_the_map_has_a_tile_for_every_district_of_bihar(db):
    from seva.geo.models import District

    assert set(TILES) == set(District.objects.values_list("code", flat=True))
    assert len(set(TILES.values())) == len(TILES)  # no two tiles on one square


def test_a_new_report_shows_once_the_figures_are_a_few_seconds_old(
    client_as, state_staff, dc_patna, django_capture_on_commit_callbacks, monkeypatch, own_cache
):
    client = client_as(state_staff)
    client.get(STATE + WEEK)  # fills the cache
    with django_capture_on_commit_callbacks(execute=True):  # the figures version moves on commit
        report(dc_patna, values={"masks": 777, "sanitiser": 1})
    # Within FRESH_SECONDS of the last build the same figures are served (so reports pouring
    # in do not make every request rebuild them); after it, the new report is there.
    assert ">777<" not in client.get(STATE + WEEK).content.decode()
    monkeypatch.setattr(selectors, "FRESH_SECONDS", 0)  # as if those seconds had passed
    assert ">777<" in client.get(STATE + WEEK).content.decode()
    assert '"reported":777' in client.get("/api/v1/dashboard/state/" + WEEK).content.decode()


def test_a_new_report_shows_at_once_when_the_figures_are_older(
    client_as, dc_patna, django_capture_on_commit_callbacks, monkeypatch, own_cache
):
    client = client_as(dc_patna)
    monkeypatch.setattr(selectors, "FRESH_SECONDS", 0)
    client.get("/dashboard/districts/patna/" + WEEK)
    with django_capture_on_commit_callbacks(execute=True):
        report(dc_patna, values={"masks": 555, "sanitiser": 1})
    assert ">555<" in client.get("/dashboard/districts/patna/" + WEEK).content.decode()


def test_a_coordinator_is_sent_to_his_district(client_as, dc_patna):
    response = client_as(dc_patna).get(STATE + "?days=7")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/districts/patna/?days=7"


def test_a_coordinator_sees_his_district_and_not_another(client_as, api, dc_patna):
    report(dc_patna, values={"masks": 42, "sanitiser": 3})
    client = client_as(dc_patna)
    page = client.get("/dashboard/districts/patna/" + WEEK)
    assert page.status_code == 200
    assert ">42<" in page.content.decode()
    assert client.get("/dashboard/districts/gaya/").status_code == 404
    assert client.get(f"/dashboard/districts/gaya/seats/{seat_in('gaya').number}/").status_code == 404
    api.force_authenticate(dc_patna)
    assert api.get(STATE_API).status_code == 403
    assert api.get("/api/v1/dashboard/districts/gaya/").status_code == 404
    data = api.get("/api/v1/dashboard/districts/patna/" + WEEK).json()
    assert _metric(data, "masks-sanitiser", "masks")["reported"] == 42


def test_a_helpline_operator_may_not_open_the_dashboards(client_as, api, helpline_patna):
    assert client_as(helpline_patna).get(STATE).status_code == 403
    assert client_as(helpline_patna).get("/dashboard/districts/patna/").status_code == 403
    api.force_authenticate(helpline_patna)
    assert api.get(STATE_API).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    assert client.get(STATE).status_code == 302
    assert client.get(STATE_API).status_code in (401, 403)


def test_the_district_page_drills_down_to_a_seat_and_a_booth(client_as, dc_patna):
    seat = seat_in("patna")
    booth = BoothFactory(assembly_seat=seat, number=17, name="Rajkiya Vidyalaya")
    report(dc_patna, values={"masks": 64, "sanitiser": 8}, assembly_seat=seat, booth=booth)
    WorkerFactory(district=district("patna"), role=WorkerRole.DISTRICT_COORDINATOR, name="Ramesh Kumar")
    client = client_as(dc_patna)
    html = client.get("/dashboard/districts/patna/").content.decode()
    assert f"/dashboard/districts/patna/seats/{seat.number}/" in html
    assert "Ramesh Kumar" in html and 'href="tel:+91' in html
    seat_html = client.get(f"/dashboard/districts/patna/seats/{seat.number}/{WEEK}").content.decode()
    row = seat_html.split('data-testid="booth-17"', 1)[1].split("</tr>", 1)[0]
    assert ">64<" in row
    booth_html = client.get(
        f"/dashboard/districts/patna/seats/{seat.number}/booths/17/{WEEK}"
    ).content.decode()
    assert "64" in booth_html and "Rajkiya Vidyalaya" in booth_html
    assert client.get(f"/dashboard/districts/patna/seats/{seat.number}/booths/999/").status_code == 404
    assert client.get("/dashboard/districts/patna/seats/9999/").status_code == 404
    assert client.get("/dashboard/districts/nowhere/").status_code == 404


def test_the_district_counts_mandals_that_reported_in_the_last_seven_days(api, dc_patna):
    seat = seat_in("patna")
    recent, older, _silent = (MandalFactory(assembly_seat=seat) for _ in range(3))
    report(dc_patna, assembly_seat=seat, mandal=recent, days_ago=6)
    report(dc_patna, assembly_seat=seat, mandal=older, days_ago=7)
    api.force_authenticate(dc_patna)
    data = api.get("/api/v1/dashboard/districts/patna/").json()
    assert (data["mandals_reporting"], data["mandals"]) == (1, 3)


def test_the_laggards_name_the_coordinator_with_a_phone_link(client_as, state_staff):
    WorkerFactory(district=district("gaya"), role=WorkerRole.DISTRICT_COORDINATOR, name="Sita Devi")
    html = client_as(state_staff).get(STATE).content.decode()
    silent = html.split('data-testid="silent"', 1)[1].split("</ul>", 1)[0]
    assert "Sita Devi" in silent and 'href="tel:+91' in silent


def test_the_dashboard_speaks_hindi(client_as, state_staff, dc_patna):
    report(dc_patna)
    html = client_as(state_staff).get(STATE, HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert 'lang="hi"' in html
    assert "राज्य डैशबोर्ड" in html
    assert "पटना" in html
    district_html = (
        client_as(dc_patna).get("/dashboard/districts/patna/", HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    )
    assert "सक्रिय कार्यकर्ता" in district_html


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("from=2021-13-01", "YYYY-MM-DD"),
        ("from=2021-05-10&to=2021-05-01", "before the start"),
        ("from=2020-01-01&to=2021-05-01", "at most a year"),
        ("days=5", "1, 7 or 30"),
        ("task=no-such-task", "no-such-task"),
    ],
)
def test_bad_input_on_the_page_gets_a_clear_message(client_as, state_staff, query, words):
    response = client_as(state_staff).get(f"{STATE}?{query}")
    assert response.status_code == 400
    assert words in response.content.decode()


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("from=yesterday", "from"),
        ("to=2021-02-30", "to"),
        ("from=2021-05-10&to=2021-05-01", "to"),
        ("from=2019-01-01&to=2021-05-01", "to"),
        ("days=0", "days"),
    ],
)
def test_bad_input_in_the_api_is_a_400_naming_the_parameter(api, state_staff, query, parameter):
    api.force_authenticate(state_staff)
    for url in (STATE_API, "/api/v1/dashboard/districts/patna/"):
        response = api.get(f"{url}?{query}")
        assert response.status_code == 400, url
        assert parameter in response.json()


def test_a_chosen_period_and_the_quick_picks_count_only_their_days(api, state_staff, dc_patna):
    report(dc_patna, values={"masks": 5, "sanitiser": 1})
    report(dc_patna, values={"masks": 50, "sanitiser": 1}, days_ago=3)
    api.force_authenticate(state_staff)
    today = timezone.localdate()
    assert _metric(api.get(f"{STATE_API}?days=1").json(), "masks-sanitiser", "masks")["reported"] == 5
    assert _metric(api.get(f"{STATE_API}?days=7").json(), "masks-sanitiser", "masks")["reported"] == 55
    three = (today - datetime.timedelta(days=3)).isoformat()
    data = api.get(f"{STATE_API}?from={three}&to={three}").json()
    assert data["period"] == {"start": three, "end": three}
    assert _metric(data, "masks-sanitiser", "masks")["reported"] == 50


def _queries(client, url, days_back):
    """SQL queries of a cold request (a period asked for the first time, so nothing of it is
    cached) and of the same request warm (the fewest of three)."""
    today = timezone.localdate()
    url = f"{url}?from={today - datetime.timedelta(days=days_back)}&to={today}"
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).status_code == 200
    warm = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as again:
            assert client.get(url).status_code == 200
        warm.append(len(again))
    return len(cold), min(warm)


@pytest.mark.parametrize(
    "url", [STATE, STATE_API, "/dashboard/districts/patna/", "/api/v1/dashboard/districts/patna/"]
)
def test_the_query_count_does_not_grow_with_the_reports(client_as, state_staff, dc_patna, url, own_cache):
    booth = BoothFactory(assembly_seat=seat_in("patna"))
    for _ in range(2):
        report(dc_patna, booth=booth, assembly_seat=booth.assembly_seat)
    client = client_as(state_staff)
    few = _queries(client, url, days_back=10)
    for n in range(18):
        report(dc_patna, days_ago=n % 5, code="patna")
    many = _queries(client, url, days_back=11)
    assert few == many
    cold, warm = many
    assert warm < cold
