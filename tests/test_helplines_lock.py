"""Two operators at once (PostgreSQL: SQLite serialises whole transactions): only one takes a
request, and references taken together are all different."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from helplines import services
from helplines.choices import EventKind, RequestStatus
from helplines.models import HelpRequest
from seva.people.choices import PortalRole
from tests.factories import WorkerFactory, district
from tests.factories_helplines import helpline, member, open_request, persona

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _run_together(calls):
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(n):
        try:
            start.wait()
            results[n] = calls[n]()
        except Exception as error:  # noqa: BLE001 - compared below
            results[n] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_operators_cannot_both_take_a_request(geography, monkeypatch):
    line = helpline("Patna Seva Helpline", "patna", serves=["gaya"])
    first = member(persona("op_one", PortalRole.HELPLINE_OPERATOR, "patna"), line)
    second = member(persona("op_two", PortalRole.HELPLINE_OPERATOR, "patna"), line)
    request = open_request(first, line)
    workers = [WorkerFactory(district=district("patna")) for _ in range(2)]
    checked = services._require_open

    def slow_check(row):
        # Both would pass this check together if nothing held the row: wait inside it.
        checked(row)
        time.sleep(0.4)

    monkeypatch.setattr(services, "_require_open", slow_check)
    results = _run_together(
        [
            lambda: services.request_assign(by=first, request=request, worker=workers[0]),
            lambda: services.request_assign(by=second, request=request, worker=workers[1]),
        ]
    )
    taken = [r for r in results if isinstance(r, HelpRequest)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(taken) == 1 and len(refused) == 1, results
    assert "already taken" in refused[0].message_dict["worker"][0]
    request.refresh_from_db()
    assert request.status == RequestStatus.ASSIGNED and request.assigned_to == taken[0].assigned_to
    assert request.events.filter(kind=EventKind.ASSIGNED).count() == 1


def test_references_taken_at_once_are_all_different(geography):
    line = helpline("Patna Seva Helpline", "patna")
    operators = [member(persona(f"op_{n}", PortalRole.HELPLINE_OPERATOR, "patna"), line) for n in range(6)]
    results = _run_together(
        [
            lambda op=op, n=n: open_request(op, line, caller_phone=f"+9198123456{n:02d}")
            for n, op in enumerate(operators)
        ]
    )
    assert all(isinstance(r, HelpRequest) for r in results), results
    assert sorted(r.reference for r in results) == [f"PAT-{n:04d}" for n in range(1, 7)]
