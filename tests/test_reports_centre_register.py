"""The activity register streamed as CSV: rows and values, scope, masking, escaping, bad
filters, the export log."""

import csv
import datetime
import io

import pytest
from django.test import override_settings
from django.utils import timezone

from seva.accounts.services import token_issue
from seva.reports.models import ExportLog
from tests.factories_tasks import report

URL = "/reports/activities.csv"


def read(response):
    assert response.status_code == 200, getattr(response, "content", b"")[:500]
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.django_db
def test_it_streams_one_row_a_report_with_each_metric_in_its_column(client_as, state_admin, dc_patna):
    one = report(dc_patna, values={"masks": 120, "sanitiser": 7})
    report(dc_patna, values={"masks": 5, "sanitiser": 0}, days_ago=3)
    rows = read(client_as(state_admin).get(URL, {"task": "masks-sanitiser"}))
    assert len(rows) == 2
    newest = rows[-1]
    assert newest["report id"] == str(one.pk)
    assert newest["district code"] == "patna"
    assert newest["reported by"] == "dc_patna"
    assert newest["status"] == "submitted"
    masks = next(key for key in newest if "·" in key and "mask" in key.lower())
    assert newest[masks] == "120"
    assert rows[0][masks] == "5"


@pytest.mark.django_db
def test_it_reads_the_values_without_a_query_per_row(
    client_as, state_admin, dc_patna, django_assert_max_num_queries
):
    for days in range(12):
        report(dc_patna, days_ago=days)
    client = client_as(state_admin)
    with django_assert_max_num_queries(14):
        rows = read(client.get(URL))
    assert len(rows) == 12


@pytest.mark.django_db
def test_it_hides_other_districts(client_as, dc_gaya, dc_patna):
    report(dc_patna)
    report(dc_gaya, code="gaya")
    rows = read(client_as(dc_gaya).get(URL))
    assert {row["district code"] for row in rows} == {"gaya"}


@pytest.mark.django_db
def test_a_district_outside_the_scope_is_a_404(client_as, dc_gaya, dc_patna):
    report(dc_patna)
    assert client_as(dc_gaya).get(URL, {"district": "patna"}).status_code == 404
    assert client_as(dc_gaya).get(URL, {"district": "gaya"}).status_code == 200


@pytest.mark.django_db
def test_it_masks_personal_data_unless_the_user_may_see_it(client_as, state_admin, state_staff, dc_patna):
    report(dc_patna, notes="Call Ramesh on 9876543210 for masks")
    staff_row = read(client_as(state_staff).get(URL))[0]
    assert "9876543210" not in staff_row["notes"]
    assert staff_row["notes"].endswith("210 for masks")
    assert staff_row["reporter's name"] == "D•••• P••••"
    admin_row = read(client_as(state_admin).get(URL))[0]
    assert "9876543210" in admin_row["notes"]
    assert admin_row["reporter's name"] == "Dc Patna"
    assert list(ExportLog.objects.order_by("id").values_list("masked", flat=True)) == [True, False]


@pytest.mark.django_db
def test_it_escapes_formula_like_cells(client_as, state_admin, dc_patna):
    report(dc_patna, notes='=HYPERLINK("http://evil.example","x")')
    row = read(client_as(state_admin).get(URL))[0]
    assert row["notes"] == '\'=HYPERLINK("http://evil.example","x")'


@pytest.mark.django_db
def test_it_filters_by_date_and_status(client_as, state_admin, dc_patna):
    report(dc_patna, days_ago=10)
    recent = report(dc_patna, days_ago=1)
    today = timezone.localdate()
    rows = read(client_as(state_admin).get(URL, {"from": today - datetime.timedelta(days=2), "to": today}))
    assert [row["report id"] for row in rows] == [str(recent.pk)]
    assert read(client_as(state_admin).get(URL, {"status": "verified"})) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "yesterday"}, "from"),
        ({"to": "2021-13-01"}, "to"),
        ({"task": "no-such-task"}, "task"),
        ({"status": "lost"}, "status"),
        ({"from": "2021-05-10", "to": "2021-05-01"}, "from"),
    ],
)
def test_bad_filters_get_a_400_with_field_errors(client_as, state_admin, query, field):
    response = client_as(state_admin).get(URL, query)
    assert response.status_code == 400
    assert field in response.json()
    assert not ExportLog.objects.exists()


@pytest.mark.django_db
@override_settings(SEVA_EXPORT_MAX_DAYS=31)
def test_a_range_over_the_limit_is_a_400(client_as, state_admin):
    response = client_as(state_admin).get(URL, {"from": "2021-05-01", "to": "2021-06-01"})
    assert response.status_code == 400
    assert "31" in response.json()["to"][0]
    assert client_as(state_admin).get(URL, {"from": "2021-05-01", "to": "2021-05-31"}).status_code == 200


@pytest.mark.django_db
def test_bad_filters_are_answered_in_hindi(client_as, state_admin):
    response = client_as(state_admin).get(URL, {"status": "lost"}, HTTP_ACCEPT_LANGUAGE="hi")
    assert response.status_code == 400
    message = response.json()["status"][0]
    assert any("\u0900" <= char <= "\u097f" for char in message), message


@pytest.mark.django_db
def test_every_export_is_logged_with_its_rows_at_the_end(client_as, state_admin, dc_patna):
    report(dc_patna)
    report(dc_patna, days_ago=2)
    response = client_as(state_admin).get(URL, {"district": "patna"})
    log = ExportLog.objects.get()
    assert log.rows is None  # the stream has not been read yet
    assert len(read(response)) == 2
    log.refresh_from_db()
    assert (log.user, log.what, log.file_format, log.rows) == (state_admin, "activity register", "csv", 2)
    assert log.filters["district"] == "patna"


@pytest.mark.django_db
def test_a_token_works_and_no_sign_in_is_refused(client, api, dc_patna):
    report(dc_patna)
    assert client.get(URL).status_code in (401, 403)
    _token, key = token_issue(user=dc_patna, device="test")
    response = api.get(URL, HTTP_AUTHORIZATION=f"Token {key}")
    assert len(read(response)) == 1


@pytest.mark.django_db
def test_headings_follow_the_users_language(client_as, state_admin, dc_patna):
    report(dc_patna)
    response = client_as(state_admin).get(URL, HTTP_ACCEPT_LANGUAGE="hi")
    text = b"".join(response.streaming_content).decode("utf-8")
    header = text.splitlines()[0]
    assert any("\u0900" <= char <= "\u097f" for char in header), header


@pytest.mark.django_db
def test_a_client_asking_for_csv_gets_it_and_errors_come_as_json(client_as, state_admin, dc_patna):
    report(dc_patna)
    client = client_as(state_admin)
    assert len(read(client.get(URL, HTTP_ACCEPT="text/csv"))) == 1
    response = client.get(URL, {"status": "lost"}, HTTP_ACCEPT="text/csv")
    assert response.status_code == 400
    assert "status" in response.json()
