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

from locust import HttpUser, constant, constant_throughput, task

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
