"""The soak (issue 15): 50 people logging and reading for five minutes against the portal as
deployed, and every process's memory watched.

    DATABASE_URL=postgres://…/seva_soak REDIS_URL=redis://127.0.0.1:6379/8 python bench/soak.py

The database needs the geography and the demo (``migrate``, ``load_geography``, ``seed_demo``:
the script runs them, they do nothing twice). The script makes a coordinator in each of the
first ``SOAK_DISTRICTS`` (40) districts, and API tokens for them, state staff and Patna's
helpline operator in-process (no password on the wire). Then it starts what production runs:
gunicorn (gthread, 2 workers × 4 threads, DEBUG off) and a Celery worker with beat (the
reminder rules fire every minute during the soak, on the reports it makes), and:

1. the baseline, one user, sequential: ``GET /api/v1/districts/patna/`` 50 times;
2. the soak, locust: ``SOAK_USERS`` (50) users for ``SOAK_SECONDS`` (300) — 4 in 6 coordinators
   logging reports and reading their district's reports, dashboard and workers, 1 in 6 state
   staff reading the state dashboard, targets and help requests, 1 in 6 helpline operators
   reading open requests and facilities, each at a person's pace (0.5–3 s between requests);
3. the baseline again, to see whether the soak left the portal slower.

Every 10 s it samples the resident memory (RSS, from /proc) of the gunicorn master and each
worker, and of the Celery processes. "Flat" is judged on the soak after its first minute (the
warm-up that fills caches and imports): growth from minute 1 to the end, per process. Results
go to ``bench/results/soak.json``; the figures are copied into ``bench/README.md`` by hand. The
reports it sent are removed at the end and the rollups of the days they touched rebuilt.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seva.settings")
from bench import common  # noqa: E402

common.server_env(
    SEVA_MFA_REQUIRED="off",
    # Reminder SMS to a file, not a gateway.
    SMS_BACKEND="seva.notify.sms.backends.FileBackend",
    SMS_FILE_PATH=os.environ.get("SMS_FILE_PATH", str(ROOT / "bench" / "results" / "soak-sms.jsonl")),
)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from seva.accounts.services import token_issue  # noqa: E402
from seva.geo.models import District  # noqa: E402
from seva.people.choices import PortalRole  # noqa: E402
from seva.people.services import user_create  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8765"))
USERS = int(os.environ.get("SOAK_USERS", "50"))
SECONDS = int(os.environ.get("SOAK_SECONDS", "300"))
DISTRICTS = int(os.environ.get("SOAK_DISTRICTS", "40"))
SAMPLE_EVERY = 10
LOCUST = os.environ.get("BENCH_LOCUST", "locust")
GUNICORN_ARGS = os.environ.get(
    "SOAK_GUNICORN_ARGS", "--worker-class gthread --workers 2 --threads 4 --timeout 60 --keep-alive 75"
)


def _tokens() -> dict:
    users = get_user_model().objects
    reporters = []
    for district in District.objects.order_by("code")[:DISTRICTS]:
        username = f"soak_dc_{district.code}"
        user = users.filter(username=username).first() or user_create(
            username=username,
            password=uuid.uuid4().hex,
            role=PortalRole.DISTRICT_COORDINATOR,
            district=district,
            first_name="Soak",
            email=f"{username}@example.org",
        )
        reporters.append([token_issue(user=user, device="soak")[1], district.code])
    return {
        # One token per device: a second "soak" token would revoke the first.
        "baseline": token_issue(user=users.get(username="state_staff"), device="soak baseline")[1],
        "state": token_issue(user=users.get(username="state_staff"), device="soak reader")[1],
        "helpline": token_issue(user=users.get(username="helpline_patna"), device="soak")[1],
        "reporters": reporters,
    }


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


class MemoryWatch(threading.Thread):
    """RSS of each process under the given parents, every ``SAMPLE_EVERY`` seconds."""

    def __init__(self, parents: dict[str, int]) -> None:
        super().__init__(daemon=True)
        self.parents = parents
        self.samples: list[tuple[float, dict[str, float]]] = []
        self.done = threading.Event()

    def sample(self) -> dict[str, float]:
        found: dict[str, float] = {}
        for name, pid in self.parents.items():
            for label, each in [(name, pid)] + [(f"{name} child {c}", c) for c in _children(pid)]:
                rss = _rss_mb(each)
                if rss is not None:
                    found[label] = rss
        return found

    def run(self) -> None:
        start = time.monotonic()
        while not self.done.is_set():
            self.samples.append((round(time.monotonic() - start, 1), self.sample()))
            self.done.wait(SAMPLE_EVERY)


def _locust(tokens: dict) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        prefix = str(Path(folder) / "stats")
        command = [LOCUST, "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
        command += ["--host", f"http://127.0.0.1:{PORT}", "-u", str(USERS), "-r", "5", "-t", f"{SECONDS}s"]
        command += ["--csv", prefix, "--only-summary", "--loglevel", "WARNING"]
        command += ["SoakCoordinator", "SoakStateOffice", "SoakHelpline"]
        subprocess.run(  # noqa: S603 - our own command line
            command, env={**os.environ, "BENCH_TOKENS": json.dumps(tokens)}, check=False, capture_output=True
        )
        with open(f"{prefix}_stats.csv", newline="") as stats:
            rows = list(csv.DictReader(stats))
        failures = []
        if Path(f"{prefix}_failures.csv").exists():
            with open(f"{prefix}_failures.csv", newline="") as listed:
                failures = list(csv.DictReader(listed))
    by_name = {
        row["Name"]: {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "median_ms": float(row["Median Response Time"]),
            "p95_ms": float(row["95%"]),
            "rps": round(float(row["Requests/s"]), 1),
        }
        for row in rows
    }
    return {"by_request": by_name, "failures_listed": failures[:20]}


def _growth(samples: list[tuple[float, dict[str, float]]], warm_up: float) -> dict[str, dict]:
    """Per process: RSS at the first sample after ``warm_up`` seconds, at the end, and the growth."""
    after = [(t, s) for t, s in samples if t >= warm_up]
    if len(after) < 2:
        return {}
    first, last = after[0][1], after[-1][1]
    return {
        name: {
            "after_warm_up_mb": first[name],
            "end_mb": last[name],
            "growth_mb": round(last[name] - first[name], 1),
        }
        for name in sorted(first)
        if name in last
    }


def _clean_up() -> None:
    from tasks17.models import Activity
    from tasks17.rollups import rebuild

    load = Activity.objects.filter(reported_by__username__startswith="soak_dc_")
    days = sorted(set(load.values_list("date", flat=True)))
    load.delete()
    for day in days:
        rebuild(start=day, end=day)


def main() -> None:
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        raise SystemExit("The soak runs as deployed: set DATABASE_URL (PostgreSQL) and REDIS_URL.")
    # The demo's users have a published password: seed_demo runs only with DEBUG on.
    for command in (
        ["migrate", "--noinput"],
        ["load_geography"],
        ["seed_demo"],
        ["collectstatic", "--noinput"],
    ):
        subprocess.run(  # noqa: S603 - our own command line
            [sys.executable, "manage.py", *command, "-v", "0"],
            cwd=ROOT,
            env={**os.environ, "DJANGO_DEBUG": "on"},
            check=True,
        )
    tokens = _tokens()
    staff = {"Authorization": f"Token {tokens['baseline']}"}
    results: dict = {"meta": {"users": USERS, "seconds": SECONDS, "gunicorn": GUNICORN_ARGS}}
    server = common.start_gunicorn(PORT, GUNICORN_ARGS)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "seva",
            "worker",
            "--beat",
            "--concurrency",
            "2",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    parents = {"gunicorn": server.pid, "celery": worker.pid}
    redis = subprocess.run(
        ["/usr/bin/pidof", "redis-server"], capture_output=True, text=True, check=False
    ).stdout.split()
    if redis:
        parents["redis"] = int(redis[0])
    watch = MemoryWatch(parents)
    try:
        common.wait_for_server(PORT)
        results["baseline_before"] = common.sequential(PORT, "/api/v1/districts/patna/", staff, 50)
        watch.start()
        results["soak"] = _locust(tokens)
        watch.done.set()
        watch.join()
        results["baseline_after"] = common.sequential(PORT, "/api/v1/districts/patna/", staff, 50)
    finally:
        watch.done.set()
        for process in (server, worker):
            process.send_signal(signal.SIGTERM)
        for process in (server, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        _clean_up()
    base = results["baseline_before"]["median_ms"]
    for figures in results["soak"]["by_request"].values():
        figures["median_ratio_to_baseline"] = round(figures["median_ms"] / base, 2)
        figures["p95_ratio_to_baseline"] = round(figures["p95_ms"] / base, 2)
    results["baseline_after"]["ratio_to_before"] = round(results["baseline_after"]["median_ms"] / base, 2)
    results["memory"] = _growth(watch.samples, warm_up=60)
    results["memory_samples"] = watch.samples
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "soak.json").write_text(json.dumps(results, indent=2))
    print(json.dumps({k: v for k, v in results.items() if k != "memory_samples"}, indent=2))


if __name__ == "__main__":
    main()
