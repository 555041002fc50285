"""The read replica: with one configured, exports and the reads inside ``replica_reads()`` go
to it and everything else (writes included) to the primary; without one, all to the primary.
The test settings point "replica" at the default database (TEST MIRROR)."""

import pytest
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from seva.base.dbrouters import reading_database, replica_reads
from seva.geo.models import District
from seva.reports.models import ExportLog
from tests.factories_tasks import report

# Real transactions: the replica's connection sees only what is committed. Django empties the
# tables after each test; ``geography`` loads the districts and tasks again.
pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
    pytest.mark.usefixtures("geography"),
]


@pytest.fixture(autouse=True)
def _close_the_replica():
    """The replica's own connection is closed after each test, so the test database can be
    dropped at the end of the run."""
    yield
    connections["replica"].close()


def captured():
    return CaptureQueriesContext(connections["default"]), CaptureQueriesContext(connections["replica"])


@override_settings(SEVA_REPLICA_READS=True)
def test_reads_in_the_block_go_to_the_replica_and_writes_to_the_primary(state_admin):
    primary, replica = captured()
    with primary, replica, replica_reads():
        assert District.objects.filter(code="patna").exists()
        ExportLog.objects.create(user=state_admin, what="test", file_format="csv")
    assert any("geo_district" in query["sql"] for query in replica.captured_queries)
    assert not any("geo_district" in query["sql"] for query in primary.captured_queries)
    assert any(
        "INSERT" in query["sql"] and "reports_exportlog" in query["sql"] for query in primary.captured_queries
    )
    assert not any("INSERT" in query["sql"] for query in replica.captured_queries)


@override_settings(SEVA_REPLICA_READS=True)
def test_reads_outside_the_block_stay_on_the_primary():
    primary, replica = captured()
    with primary, replica:
        District.objects.filter(code="patna").exists()
    assert primary.captured_queries
    assert not replica.captured_queries


def test_without_a_replica_everything_goes_to_the_primary():
    assert reading_database() == "default"
    primary, replica = captured()
    with primary, replica, replica_reads():
        District.objects.filter(code="patna").exists()
    assert primary.captured_queries
    assert not replica.captured_queries


@override_settings(SEVA_REPLICA_READS=True)
def test_the_register_streams_from_the_replica_and_logs_on_the_primary(client_as, state_admin, dc_patna):
    report(dc_patna)
    client = client_as(state_admin)
    primary, replica = captured()
    with primary, replica:
        response = client.get("/reports/activities.csv")
        body = b"".join(response.streaming_content).decode()
    assert body.count("\n") == 2
    assert any("tasks17_activity" in query["sql"] for query in replica.captured_queries)
    assert any("tasks17_activityvalue" in query["sql"] for query in replica.captured_queries)
    assert not any(
        'tasks17_activity"' in query["sql"] and "SELECT" in query["sql"] for query in primary.captured_queries
    )
    assert any("reports_exportlog" in query["sql"] for query in primary.captured_queries)
    assert ExportLog.objects.get().rows == 1
