"""Load for ``bench/load.py`` (locust). Each user class is one load; ``load.py`` picks it by name.

Tokens come in ``BENCH_TOKENS`` (JSON: ``{"baseline": token, "reporters": [[token, district
code], ...]}``), made by ``load.py`` so no password crosses the wire.
"""

import datetime
import json
import os
import random
import uuid
from zoneinfo import ZoneInfo

from locust import HttpUser, between, constant, constant_throughput, task

TOKENS = json.loads(os.environ.get("BENCH_TOKENS", "{}"))
# Reports are dated in the portal's zone, as a phone in Bihar dates them.
TODAY = datetime.datetime.now(tz=ZoneInfo("Asia/Kolkata")).date().isoformat()


class Baseline(HttpUser):
    """The smallest authenticated endpoint, as fast as it answers."""

    wait_time = constant(0)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Token {TOKENS['baseline']}"

    @task
    def district(self) -> None:
        self.client.get("/api/v1/districts/patna/", name="baseline")


class Reports(HttpUser):
    """District coordinators logging reports through the API, as fast as it answers."""

    wait_time = constant(0)

    def on_start(self) -> None:
        token, self.district = random.choice(TOKENS["reporters"])
        self.client.headers["Authorization"] = f"Token {token}"

    @task
    def report(self) -> None:
        body = {
            "client_uuid": str(uuid.uuid4()),
            "task": "masks-sanitiser",
            "district": self.district,
            "date": TODAY,
            "values": {"masks": random.randint(1, 500), "sanitiser": random.randint(1, 50)},
        }
        with self.client.post(
            "/api/v1/activities/", json=body, name="report", catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")


class ReportsAtRate(Reports):
    """The same reports, each user one a second: ``-u 100`` is a fixed 100 reports/s."""

    wait_time = constant_throughput(1)


class SoakCoordinator(HttpUser):
    """``bench/soak.py``: a district coordinator's evening, at a person's pace: logs a report,
    looks at his district's reports and its dashboard, now and then his workers."""

    weight = 4
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        token, self.district = random.choice(TOKENS["reporters"])
        self.client.headers["Authorization"] = f"Token {token}"

    @task(3)
    def report(self) -> None:
        body = {
            "client_uuid": str(uuid.uuid4()),
            "task": "masks-sanitiser",
            "district": self.district,
            "date": TODAY,
            "values": {"masks": random.randint(1, 500), "sanitiser": random.randint(1, 50)},
        }
        with self.client.post(
            "/api/v1/activities/", json=body, name="report", catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(2)
    def reports(self) -> None:
        self.client.get(f"/api/v1/activities/?district={self.district}", name="district's reports")

    @task(1)
    def dashboard(self) -> None:
        self.client.get(f"/api/v1/dashboard/districts/{self.district}/", name="district dashboard")

    @task(1)
    def workers(self) -> None:
        self.client.get("/api/v1/workers/", name="workers")


class SoakStateOffice(HttpUser):
    """``bench/soak.py``: state staff reading the state dashboard, the targets, the help
    requests (masked)."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Token {TOKENS['state']}"

    @task(2)
    def state(self) -> None:
        self.client.get("/api/v1/dashboard/state/", name="state dashboard")

    @task(1)
    def targets(self) -> None:
        self.client.get("/api/v1/targets/", name="targets")

    @task(1)
    def help_requests(self) -> None:
        self.client.get("/api/v1/help-requests/", name="help requests")


class SoakHelpline(HttpUser):
    """``bench/soak.py``: a helpline operator on shift: the open requests and the facilities."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Token {TOKENS['helpline']}"

    @task(2)
    def help_requests(self) -> None:
        self.client.get("/api/v1/help-requests/?status=open", name="help requests (operator)")

    @task(1)
    def facilities(self) -> None:
        self.client.get("/api/v1/facilities/", name="facilities")
