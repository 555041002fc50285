"""Generated requests against the live OpenAPI schema (schemathesis), as three personas.

Django's live server (a real HTTP server in a thread of the test process) serves the portal;
schemathesis reads ``/api/schema/`` from it and, for every operation, generates
``SEVA_SCHEMATHESIS_EXAMPLES`` requests (5) from the schema with a fixed seed
(Hypothesis' ``derandomize``), sent with the API token of state staff, Patna's district
coordinator or Patna's helpline operator. Where a path names a record, as many again name a
real one the user may see (the first of its list), so the answers are records, not only 404s.
Every answer is checked: no 5xx, its status code documented for the operation, its content
type and body as the schema says. The counts are shown at the end of the run ("summaries")
and written in docs/reliability.md.

It runs in ``make test`` (CI, both databases). ``SEVA_SKIP_SCHEMATHESIS=1`` skips it locally.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from seva.accounts.services import token_issue
from seva.notify.api import SECRET_HEADER
from tests.factories import BoothFactory, MandalFactory, WorkerFactory, seat_in
from tests.factories_helplines import facility, open_request
from tests.factories_tasks import report

pytestmark = pytest.mark.skipif(
    os.environ.get("SEVA_SKIP_SCHEMATHESIS", "") not in {"", "0"},
    reason="SEVA_SKIP_SCHEMATHESIS is set (CI always runs it)",
)

EXAMPLES = int(os.environ.get("SEVA_SCHEMATHESIS_EXAMPLES", "5"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
SMS_SECRET = "schemathesis-gateway-secret"
# Generous limits: this test is about answers, not about being slowed down (the throttle has
# tests of its own, tests/test_api_limits.py); a 429 would still be checked against the schema.
RATES = {"user": "100000/min", "anon": "100000/min", "sms_inbound": "100000/min"}


@pytest.fixture
def records(geography, dc_patna, operator, patna_line):
    """One row of each kind a path can name, in Patna, so real paths answer 200 (after the
    geography: a live server needs real transactions, and they empty every table)."""
    seat = seat_in("patna")
    booth = BoothFactory(assembly_seat=seat)
    MandalFactory(assembly_seat=seat)
    WorkerFactory()
    report(dc_patna, booth=booth)
    open_request(operator, patna_line)
    facility()


@pytest.fixture
def live_portal(settings, live_server, records):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **RATES},
    }
    settings.SMS_INBOUND_SECRET = SMS_SECRET
    return live_server.url


def _real_path_parameters(session: requests.Session, base_url: str, path: str) -> dict[str, Any] | None:
    """The path parameter of ``path`` set to the first record its list shows the user."""
    if "{" not in path:
        return None
    head, rest = path.split("{", 1)
    name = rest.split("}", 1)[0]
    listing = session.get(base_url + head, timeout=30)
    body = listing.json() if listing.status_code == 200 else []
    results = body.get("results", []) if isinstance(body, dict) else body
    if not results or name not in results[0]:
        return None
    return {name: results[0][name]}


def _run_operation(
    operation: Any, base_url: str, headers: dict[str, str], **fixed: Any
) -> tuple[Counter, list]:
    """Send ``EXAMPLES`` generated requests for ``operation``; the status codes and failures."""
    statuses: Counter = Counter()
    failures: list[str] = []
    session = requests.Session()

    @given(case=operation.as_strategy(**fixed))
    @hypothesis_settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: failures are collected
        suppress_health_check=list(HealthCheck),
    )
    def send(case: Any) -> None:
        response = case.call(base_url=base_url, headers=headers, session=session, timeout=60)
        statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Failure, FailureGroup) as failure:  # every failure is reported at the end
            failures.append(f"{operation.label} -> {response.status_code}\n{failure}")

    send()
    return statuses, failures


@pytest.mark.parametrize("persona", ["state_staff", "dc_patna", "operator"])
def test_generated_requests_get_documented_answers_and_no_server_error(
    request, record_property, live_portal, persona
):
    user = request.getfixturevalue(persona)
    _, token = token_issue(user=user, device="schemathesis")
    headers = {"Authorization": f"Token {token}"}
    schema = schemathesis.openapi.from_url(f"{live_portal}/api/schema/", headers=headers)
    lookup = requests.Session()
    lookup.headers.update(headers)

    started = time.monotonic()
    totals: Counter = Counter()
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        # Each operation starts with a live token: one before may have revoked it
        # (DELETE /api/v1/auth/token/ signs the device out).
        _, token = token_issue(user=user, device="schemathesis")
        headers = {"Authorization": f"Token {token}"}
        lookup.headers.update(headers)
        if operation.path == "/api/v1/sms/inbound/":
            headers = {**headers, SECRET_HEADER: SMS_SECRET}
        runs = [{}]
        real = _real_path_parameters(lookup, live_portal, operation.path)
        if real:
            runs.append({"path_parameters": real})
        for fixed in runs:
            statuses, found = _run_operation(operation, live_portal, headers, **fixed)
            totals += statuses
            failures += found

    seconds = time.monotonic() - started
    by_class = Counter()
    for code, n in totals.items():
        by_class[f"{code // 100}xx"] += n
    summary = (
        f"schemathesis as {persona}: {operations} operations, {sum(totals.values())} generated requests "
        f"in {seconds:.0f} s; answers {dict(sorted(by_class.items()))}; "
        f"by code {dict(sorted(totals.items()))}; {len(failures)} failures"
    )
    print("\n" + summary)
    record_property("summary", summary)  # shown at the end of the run (tests/conftest.py)
    assert operations >= 70  # every operation of the schema was walked
    assert sum(totals.values()) >= operations * EXAMPLES // 2
    assert failures == [], "\n\n".join(failures[:20])
