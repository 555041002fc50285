"""SMS in under load (issue 13): 100 inbound SMS reports a second against gunicorn.

    DATABASE_URL=postgres://…/seva_h3 REDIS_URL=redis://127.0.0.1:6379/12 python bench/sms_inbound.py

Makes ``BENCH_SMS_WORKERS`` (1,000) registered, consenting workers spread over every district
(each with his seat), starts gunicorn with the production settings (DEBUG off, PostgreSQL,
Redis for the cache, the throttles and Celery's broker; ``BENCH_GUNICORN_ARGS``, by default
gthread with 2 workers × 4 threads) and ``SMS_INBOUND_SECRET`` set, then, with locust's
constant-throughput users (``BENCH_RATE`` users × 1 a second for ``BENCH_SECONDS`` 30 s):

1. the baseline: ``GET /healthz`` at the same rate;
2. ``POST /api/v1/sms/inbound/``: each a new gateway message id from one of the workers,
   ``SEVA MASKS <n> SANITISER <m> <his seat>``: parsed, one ``activity_submit`` (rollups
   included), the message row and the reply written into the outbox and handed to Celery.

Reports p95 and median of each, the SMS p95 as a ratio to the baseline's, and the SMS answers
that were not ``recorded``. The webhook accepts each SMS with one insert and a Celery worker
(one process, started here) reads it: the report, the reply into the outbox (no worker sends
the replies; they wait in the broker). The run waits for the worker to have read every SMS and
says how long after the phase that took. Results go to
``bench/results/sms_inbound.json``; the figures are copied into ``bench/README.md`` by hand.
Everything the run wrote (reports, messages, replies, the workers) is removed at the end and
the rollups of the day rebuilt. ``python bench/run.py`` runs this too when ``BENCH_SMS=1``.

This file is also the locustfile (``locust -f bench/sms_inbound.py``): imported by locust it
defines the two users only and touches no database.
"""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8131"))
RATE = int(os.environ.get("BENCH_RATE", "100"))
# More rates for the SMS phase (e.g. "100,50"): what the machine serves below its saturation.
RATES = [int(r) for r in os.environ.get("BENCH_RATES", str(RATE)).split(",") if r.strip()]
SECONDS = int(os.environ.get("BENCH_SECONDS", "30"))
WORKERS = int(os.environ.get("BENCH_SMS_WORKERS", "1000"))
LOCUST = os.environ.get("BENCH_LOCUST", str(Path(sys.executable).with_name("locust")))
GUNICORN_ARGS = os.environ.get(
    "BENCH_GUNICORN_ARGS", "--worker-class gthread --workers 2 --threads 4 --timeout 60"
)
SECRET = os.environ.get("BENCH_SMS_SECRET", "bench-sms-secret-" + uuid.uuid4().hex)
NAME = "SMS bench worker"
# Phones 9 5xx xxx xxxx: far from the demo's and the scale data's.
FIRST_PHONE = 9_500_000_000

if __name__ != "__main__":
    # Imported by locust: the users, nothing else.
    from locust import HttpUser, constant_throughput, task

    SENDERS = json.loads(os.environ.get("BENCH_SMS_SENDERS", "[]"))

    class HealthzAtRate(HttpUser):
        """The baseline: the cheapest request the server answers, one a second per user."""

        wait_time = constant_throughput(1)

        @task
        def healthz(self) -> None:
            self.client.get("/healthz", name="healthz")

    class SmsAtRate(HttpUser):
        """A gateway posting workers' SMS reports, one a second per user."""

        wait_time = constant_throughput(1)

        @task
        def sms(self) -> None:
            phone, seat = random.choice(SENDERS)
            body = {
                "message_id": f"bench-{uuid.uuid4().hex}",
                "from": phone,
                "text": f"SEVA MASKS {random.randint(1, 500)} SANITISER {random.randint(1, 50)} {seat}",
            }
            headers = {"X-Seva-Sms-Secret": os.environ["BENCH_SMS_SECRET"]}
            with self.client.post(
                "/api/v1/sms/inbound/", json=body, headers=headers, name="sms", catch_response=True
            ) as response:
                if response.status_code != 200:
                    response.failure(f"{response.status_code}: {response.text[:200]}")
                elif response.json().get("status") not in {"accepted", "recorded"}:
                    response.failure(f"refused: {response.json().get('reply')}")


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    for key, value in {
        "DJANGO_SETTINGS_MODULE": "seva.settings",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-" + uuid.uuid4().hex),
        "DJANGO_SECURE_SSL_REDIRECT": "off",
        "DJANGO_SECURE_COOKIES": "off",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SMS_INBOUND_SECRET": SECRET,
        "BENCH_SMS_SECRET": SECRET,
    }.items():
        os.environ.setdefault(key, value)
    # The production settings, whatever started this (bench/run.py runs with DEBUG on).
    os.environ["DJANGO_DEBUG"] = "off"
    import django

    django.setup()


def _make_workers() -> list[list[str]]:
    """``WORKERS`` consenting workers, round-robin over the seats (so over every district):
    [phone, seat number] each."""
    from django.core.management import call_command
    from django.utils import timezone

    from seva.geo.models import AssemblySeat
    from seva.people.models import Worker

    call_command("migrate", verbosity=0)
    seats = list(AssemblySeat.objects.order_by("number"))
    if not seats:
        raise SystemExit("No assembly seats: the geography migration did not load.")
    Worker.objects.filter(name__startswith=NAME).delete()
    today = timezone.localdate()
    rows = [
        Worker(
            name=f"{NAME} {n}",
            phone=f"+91{FIRST_PHONE + n}",
            district_id=seats[n % len(seats)].district_id,
            assembly_seat=seats[n % len(seats)],
            consent_to_contact=True,
            consent_date=today,
            language="hi" if n % 3 else "en",
        )
        for n in range(WORKERS)
    ]
    Worker.objects.bulk_create(rows, batch_size=1000)
    return [[str(row.phone), str(row.assembly_seat.number)] for row in rows]


def _clean_up() -> None:
    from django.utils import timezone

    from seva.notify.models import InboundSms, Notification
    from seva.people.models import Worker
    from tasks17.models import Activity
    from tasks17.rollups import rebuild

    workers = Worker.objects.filter(name__startswith=NAME)
    InboundSms.objects.filter(message_id__startswith="bench-").delete()
    Notification.objects.filter(kind="sms_reply", dedup_key__contains=":bench-").delete()
    Activity.objects.filter(reporter_worker__in=workers).delete()
    workers.delete()
    rebuild(start=timezone.localdate(), end=timezone.localdate())
    # The replies handed to Celery (no worker ran): out of this run's broker database.
    from seva.celery import app

    app.control.purge()


def _locust(user_class: str, senders: list[list[str]], rate: int = RATE) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        prefix = str(Path(folder) / "stats")
        command = [
            LOCUST,
            "-f",
            str(Path(__file__).resolve()),
            "--headless",
            "--host",
            f"http://127.0.0.1:{PORT}",
            "-u",
            str(rate),
            "-r",
            str(rate),
            "-t",
            f"{SECONDS}s",
            "--csv",
            prefix,
            "--only-summary",
            "--loglevel",
            "WARNING",
            user_class,
        ]
        done = subprocess.run(  # noqa: S603 - our own command line
            command,
            env={**os.environ, "BENCH_SMS_SENDERS": json.dumps(senders)},
            check=False,
            capture_output=True,
            text=True,
        )
        try:
            with open(f"{prefix}_stats.csv", newline="") as stats:
                row = next(r for r in csv.DictReader(stats) if r["Name"] == "Aggregated")
        except (OSError, StopIteration):
            raise SystemExit(f"locust failed: {done.stderr[-2000:]}") from None
        failures = ""
        if os.path.exists(f"{prefix}_failures.csv"):
            with open(f"{prefix}_failures.csv", newline="") as rows:
                failures = "; ".join(f"{r['Occurrences']}× {r['Error'][:120]}" for r in csv.DictReader(rows))
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "failure_reasons": failures,
        "rps": round(float(row["Requests/s"]), 1),
        "median_ms": float(row["Median Response Time"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
    }


def main() -> dict:
    _setup_django()
    from django.db import connection

    from bench import common
    from seva.notify.models import InboundOutcome, InboundSms

    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        raise SystemExit("Run on PostgreSQL and Redis: set DATABASE_URL and REDIS_URL.")
    senders = _make_workers()
    results: dict = {
        "meta": {
            "gunicorn": GUNICORN_ARGS,
            "cpu_count": os.cpu_count(),
            "rate": RATE,
            "sms_rates": RATES,
            "load_average_before": os.getloadavg(),
            "seconds": SECONDS,
            "workers": WORKERS,
        }
    }
    server = common.start_gunicorn(PORT, GUNICORN_ARGS)
    # The webhook keeps each SMS and a Celery worker reads it (SMS_INBOUND_ASYNC, on in
    # production): one worker process beside the server, as compose runs it.
    worker = subprocess.Popen(  # noqa: S603 - our own command line
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "seva",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        common.wait_for_server(PORT)
        results["baseline_healthz"] = _locust("HealthzAtRate", senders)
        base = max(results["baseline_healthz"]["p95_ms"], 1)
        for rate in RATES:
            sms = results[f"sms_inbound_{rate}_per_s"] = _locust("SmsAtRate", senders, rate)
            sms["p95_ratio_to_baseline"] = round(sms["p95_ms"] / base, 1)
            # Every message accepted is read by the worker: how long after the phase it ends.
            start = time.monotonic()
            unread = InboundSms.objects.filter(
                message_id__startswith="bench-", outcome=InboundOutcome.RECEIVED
            )
            while unread.exists() and time.monotonic() - start < 300:
                time.sleep(0.5)
            sms["worker_done_after_phase_s"] = round(time.monotonic() - start, 1)
        stored = InboundSms.objects.filter(message_id__startswith="bench-")
        results["stored"] = {
            "messages": stored.count(),
            "recorded": stored.filter(outcome=InboundOutcome.RECORDED).count(),
        }
        results["meta"]["load_average_after"] = os.getloadavg()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
        _clean_up()
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "sms_inbound.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
