"""The daily rollups: kept by every write that changes what counts, equal to the facts."""

import datetime
import threading
import uuid
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from seva.people.choices import WorkerRole
from tasks17 import rollups
from tasks17.choices import CampKind
from tasks17.models import Activity, ChecklistItem, DailyRollup, DistrictReportClock
from tasks17.records import services as records
from tasks17.rollups import figures_version, rebuild
from tasks17.services import (
    activities_verify_bulk,
    activity_reject,
    activity_submit,
    activity_update,
    activity_verify,
)
from tasks17.tasks import rebuild_rollups
from tests.factories import BoothFactory, MandalFactory, WorkerFactory, district, seat_in
from tests.factories_tasks import report, task

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def assert_rollups_equal_the_facts():
    drift = rebuild(check_only=True)
    assert drift.total == 0, f"{drift}: {drift.examples}"


def row(day=None, code="patna", metric="masks", seat=None):
    rows = DailyRollup.objects.filter(date=day or TODAY(), district=district(code), metric__code=metric)
    rows = rows.filter(assembly_seat=seat) if seat is not None else rows.filter(assembly_seat__isnull=True)
    found = rows.values_list("reported", "verified", "reports").first()
    return found or (0, 0, 0)


def test_a_report_adds_to_its_row_and_a_second_to_the_same_row(dc_patna):
    report(dc_patna, values={"masks": 100, "sanitiser": 10})
    report(dc_patna, values={"masks": 5})
    assert row() == (105, 0, 2)
    assert row(metric="sanitiser") == (10, 0, 1)
    assert DailyRollup.objects.filter(assembly_seat__isnull=True).count() == 2
    assert_rollups_equal_the_facts()


def test_the_key_allows_one_no_seat_row_a_day(dc_patna, patna):
    report(dc_patna, values={"masks": 1})
    existing = DailyRollup.objects.get(assembly_seat__isnull=True, metric__code="masks")
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyRollup.objects.create(
            date=existing.date, district=patna, task=existing.task, metric=existing.metric, reported=1
        )


def test_rollups_equal_the_facts_after_every_kind_of_write(dc_patna, state_staff, patna):
    seat = seat_in("patna")
    booth = BoothFactory(assembly_seat=seat)
    # submit: without a place, with a seat, with a booth, days back
    plain = report(dc_patna, values={"masks": 100, "sanitiser": 10})
    at_seat = report(dc_patna, assembly_seat=seat, values={"masks": 40})
    at_booth = report(dc_patna, booth=booth, values={"masks": 7, "sanitiser": 3}, days_ago=2)
    to_reject = report(dc_patna, values={"masks": 9})
    bulk = [report(dc_patna, values={"masks": n}, days_ago=1) for n in (1, 2, 3)]
    assert_rollups_equal_the_facts()
    assert row(seat=seat) == (40, 0, 1)
    # correction: new numbers, a new date and a new place
    activity_update(
        by=dc_patna,
        activity=at_seat,
        task=at_seat.task,
        date=TODAY() - datetime.timedelta(days=1),
        values={"masks": 45, "sanitiser": 2},
    )
    assert row(seat=seat) == (0, 0, 0)
    assert row(day=TODAY() - datetime.timedelta(days=1)) == (45 + 6, 0, 4)
    assert_rollups_equal_the_facts()
    # review: verify, reject, bulk verify
    activity_verify(by=state_staff, activity=plain)
    assert row() == (100 + 9, 100, 2)
    activity_reject(by=state_staff, activity=to_reject, reason="Numbers do not match")
    assert row() == (100, 100, 1)
    activities_verify_bulk(by=state_staff, ids=[a.pk for a in bulk] + [at_booth.pk])
    assert row(day=TODAY() - datetime.timedelta(days=1)) == (51, 6, 4)
    assert_rollups_equal_the_facts()
    # records: a camp held, a conference recorded and corrected, a declaration withdrawn
    camp = records.camp_create(
        by=dc_patna,
        kind=CampKind.BLOOD,
        district=patna,
        venue="Gandhi Maidan",
        date=TODAY(),
        organiser="Yuva",
    )
    records.camp_hold(by=dc_patna, camp=camp, donors=40, units=38)
    conference = records.conference_record(
        by=dc_patna,
        representative=WorkerFactory(role=WorkerRole.MLA, district=patna),
        district=patna,
        worker_group="Booth presidents",
        date=TODAY(),
        participant_count=30,
        topics="Oxygen",
    )
    records.conference_update(by=state_staff, conference=conference, data={"participant_count": 44})
    assert row(metric="participants") == (44, 0, 1)
    items = [ChecklistItem.objects.create(text_en="Masks for all", position=1)]
    declaration = records.booth_declare(
        by=dc_patna, booth=booth, declared_on=TODAY(), ticked_item_ids=[i.pk for i in items]
    )
    assert row(seat=seat, metric="booths_declared") == (1, 0, 1)
    assert_rollups_equal_the_facts()
    records.booth_withdraw(by=dc_patna, declaration=declaration, reason="A new case")
    assert row(seat=seat, metric="booths_declared") == (0, 0, 0)
    assert_rollups_equal_the_facts()


def test_a_report_keeps_its_booths_and_districts_latest_report(dc_patna):
    booth = BoothFactory(assembly_seat=seat_in("patna"))
    report(dc_patna, booth=booth, days_ago=3)
    report(dc_patna, booth=booth, days_ago=1)
    report(dc_patna, booth=booth, days_ago=2)
    booth.refresh_from_db()
    assert booth.last_reported_on == TODAY() - datetime.timedelta(days=1)
    clock = DistrictReportClock.objects.get(district=district("patna"))
    assert timezone.now() - clock.last_report_at < datetime.timedelta(minutes=1)
    assert_rollups_equal_the_facts()


def test_a_review_does_not_count_as_a_district_sending_a_report(dc_patna, state_staff):
    activity = report(dc_patna)
    DistrictReportClock.objects.update(last_report_at=timezone.now() - datetime.timedelta(days=3))
    activity_verify(by=state_staff, activity=activity)
    clock = DistrictReportClock.objects.get(district=district("patna"))
    assert timezone.now() - clock.last_report_at > datetime.timedelta(days=2)


def test_a_resend_adds_nothing(dc_patna):
    reference = uuid.uuid4()
    report(dc_patna, client_uuid=reference)
    report(dc_patna, client_uuid=reference)
    assert row() == (100, 0, 1)


def test_a_write_moves_the_figures_version_on_commit(dc_patna, django_capture_on_commit_callbacks):
    patna_id = district("patna").pk
    gaya_id = district("gaya").pk
    before = (figures_version(), figures_version(patna_id), figures_version(gaya_id))
    with django_capture_on_commit_callbacks(execute=True):
        report(dc_patna)
    after = (figures_version(), figures_version(patna_id), figures_version(gaya_id))
    assert after[0] > before[0]
    assert after[1] > before[1]
    assert after[2] == before[2]


def test_the_figures_version_does_not_fail_without_a_cache(dc_patna, django_capture_on_commit_callbacks):
    broken = mock.Mock(side_effect=ConnectionError("cache down"))
    with mock.patch.object(rollups.cache, "get", broken), mock.patch.object(rollups.cache, "incr", broken):
        assert figures_version() == 0
        with django_capture_on_commit_callbacks(execute=True):
            report(dc_patna)
    assert Activity.objects.count() == 1


def test_rebuild_reports_and_repairs_drift(dc_patna):
    report(dc_patna, values={"masks": 100})
    report(dc_patna, values={"masks": 3}, days_ago=5)
    DailyRollup.objects.filter(date=TODAY()).update(reported=1)
    DailyRollup.objects.filter(date=TODAY() - datetime.timedelta(days=5)).delete()
    out = StringIO()
    call_command("rebuild_rollups", "--check", stdout=out)
    assert "1 missing, 0 extra, 1 differing" in out.getvalue()
    assert row() == (1, 0, 1)  # --check writes nothing
    out = StringIO()
    call_command("rebuild_rollups", "--from", str(TODAY()), "--to", str(TODAY()), stdout=out)
    assert "0 missing, 0 extra, 1 differing" in out.getvalue()
    assert row() == (100, 0, 1)
    call_command("rebuild_rollups", stdout=StringIO())
    assert_rollups_equal_the_facts()


def test_a_report_keeps_its_seats_and_mandals_latest_report_and_a_rebuild_repairs_it(dc_patna):
    seat = seat_in("patna")
    mandal = MandalFactory(assembly_seat=seat)
    report(dc_patna, assembly_seat=seat, mandal=mandal, days_ago=4)
    report(dc_patna, assembly_seat=seat, mandal=mandal, days_ago=2)
    report(dc_patna, assembly_seat=seat, mandal=mandal, days_ago=3)
    mandal.refresh_from_db()
    seat.refresh_from_db()
    assert mandal.last_reported_on == seat.last_reported_on == TODAY() - datetime.timedelta(days=2)
    assert_rollups_equal_the_facts()
    type(mandal).objects.filter(pk=mandal.pk).update(last_reported_on=None)
    type(seat).objects.filter(pk=seat.pk).update(last_reported_on=TODAY() - datetime.timedelta(days=9))
    out = StringIO()
    call_command("rebuild_rollups", "--check", stdout=out)
    assert "last report date: 1 seats', 1 mandals', 0 booths'" in out.getvalue()
    call_command("rebuild_rollups", stdout=StringIO())
    mandal.refresh_from_db()
    assert mandal.last_reported_on == TODAY() - datetime.timedelta(days=2)


def test_rebuild_refuses_bad_dates():
    with pytest.raises(CommandError, match="not a date"):
        call_command("rebuild_rollups", "--from", "26-11-2026")
    with pytest.raises(CommandError, match="before"):
        call_command("rebuild_rollups", "--from", "2026-11-02", "--to", "2026-11-01")


def test_the_nightly_job_rebuilds_and_is_scheduled(dc_patna):
    report(dc_patna)
    DailyRollup.objects.all().delete()
    assert rebuild_rollups.delay().get() == {
        "rows": 2,
        "missing": 2,
        "extra": 0,
        "differing": 0,
        "booths": 0,
        "seats": 0,
        "mandals": 0,
        "districts": 2,  # the district rows outlived their seat rows
    }
    assert_rollups_equal_the_facts()
    # Scheduled nightly by the beat schedule the notify migration made (the admin's from then on).
    import importlib

    schedule = importlib.import_module("seva.notify.migrations.0002_beat_schedule").SCHEDULE
    entry = next(row for row in schedule if row[0] == "rebuild-rollups")
    assert entry[1] == "tasks17.tasks.rebuild_rollups"
    assert entry[3] == ("30", "2", "*")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_to_the_same_row_keep_every_number(geography, dc_patna, state_staff):
    """Eight threads report (and verify) at once into the same rollup rows: no lost update.
    (``geography`` loads the places and tasks again if an earlier real-transaction test
    emptied the tables.)"""
    writers, per_writer = 8, 5
    masks = task("masks-sanitiser")
    patna = district("patna")
    start = threading.Barrier(writers)
    errors = []

    def write(n):
        try:
            start.wait()
            for i in range(per_writer):
                activity = activity_submit(
                    by=dc_patna,
                    task=masks,
                    district=patna,
                    date=TODAY(),
                    values={"masks": 10 + n, "sanitiser": 1},
                    client_uuid=uuid.uuid4(),
                )
                if i % 2 == 0:
                    activity_verify(by=state_staff, activity=activity)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    expected = sum((10 + n) * per_writer for n in range(writers))
    expected_verified = sum((10 + n) * 3 for n in range(writers))
    assert row() == (expected, expected_verified, writers * per_writer)
    assert_rollups_equal_the_facts()


def test_a_report_through_the_api_takes_fewer_queries_than_the_sixteen_of_before(
    api, dc_patna, django_assert_max_num_queries
):
    """The token and the user's permissions (4), task, district, metrics, the report, its
    history, its numbers, its rollups (seat and district rows: one statement on PostgreSQL,
    two on SQLite) and the district's clock: 12 statements (13 on SQLite), and here the
    savepoint pair around them (outside a test the transaction's own BEGIN/COMMIT). The
    answer is written from memory, not read back."""
    from seva.accounts.services import token_issue

    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=dc_patna, device='phone')[1]}")

    def post():
        body = {
            "client_uuid": str(uuid.uuid4()),
            "task": "masks-sanitiser",
            "district": "patna",
            "date": str(TODAY()),
            "values": {"sanitiser": 1, "masks": 3},
        }
        return api.post("/api/v1/activities/", body, format="json")

    post()
    with django_assert_max_num_queries(14 if connection.vendor == "postgresql" else 15):
        response = post()
    assert response.status_code == 201
    assert response.json()["values"] == {"masks": 3, "sanitiser": 1}
    assert response.json()["reported_by"] == "dc_patna"
    assert_rollups_equal_the_facts()


def test_cached_figures_follow_the_version_and_lag_at_most_the_stale_seconds(settings):
    settings.SEVA_FIGURES_STALE_SECONDS = 5
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert rollups.fresh_cached("k", compute) == 1
    assert rollups.fresh_cached("k", compute) == 1  # same version: cached
    rollups.bump_versions([district("patna").pk])
    assert rollups.fresh_cached("k", compute) == 1  # changed, but within 5 s
    with mock.patch.object(rollups.time, "time", return_value=rollups.time.time() + 6):
        assert rollups.fresh_cached("k", compute) == 2
    settings.SEVA_FIGURES_STALE_SECONDS = 0
    assert rollups.fresh_cached("other", compute) == 3
    rollups.bump_versions([district("patna").pk])
    assert rollups.fresh_cached("other", compute) == 4
    with mock.patch.object(rollups.cache, "get", mock.Mock(side_effect=ConnectionError("down"))):
        assert rollups.fresh_cached("other", compute) == 5  # no cache: computed
