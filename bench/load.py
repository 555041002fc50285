"""Load benchmarks over HTTP (issue 10): gunicorn with PostgreSQL and Redis, driven by locust.

    DATABASE_URL=postgres://…/seva_bench REDIS_URL=redis://…/0 python bench/load.py

The database must hold the scale data (``manage.py seed_demo`` then ``manage.py seed_scale``,
or ``--scale 0.1``). This script starts gunicorn (``BENCH_GUNICORN_ARGS``, by default gthread
with 2 workers × 4 threads), makes API tokens for the demo state staff and the scale district
coordinators in-process (no password on the wire), then in one run measures:

1. one user, sequential: the baseline ``GET /api/v1/districts/patna/`` (token), ``/tasks/``
   and ``/targets/`` state-wide (state staff's session), ``BENCH_ROUNDS`` (50) times each;
2. saturation (locust, ``BENCH_USERS`` 16 users with no wait, ``BENCH_SECONDS`` 30 s): the
   baseline, then reports through ``POST /api/v1/activities/``;
3. a fixed 100 reports/s (locust's constant-throughput users, 100 users × 1/s), p95;
4. SQL queries per report (Django's test client, in-process).

Every figure is also given as a ratio to the baseline of the same run. Results go to
``bench/results/load.json``; the figures are copied into ``bench/README.md`` by hand.
Locust runs from ``BENCH_LOCUST`` (default ``locust`` on the path; it is pinned in
requirements-dev.txt). The reports it sends are removed at the end and the rollups of the
days they touched rebuilt, so the data is left as it was.
"""

import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seva.settings")
from bench import common  # noqa: E402

# Sixteen locust users share one token here: the API's throttle per user (600/min by default)
# would answer most of them 429. The throttle's own cost is still measured.
common.server_env(THROTTLE_USER="10000000/min", THROTTLE_ANON="10000000/min")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from seva.accounts.services import token_issue  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8765"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "50"))
USERS = int(os.environ.get("BENCH_USERS", "16"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "30"))
RATE = int(os.environ.get("BENCH_RATE", "100"))
LOCUST = os.environ.get("BENCH_LOCUST", "locust")
# Which parts to run: sequential, saturation, fixed (all by default).
PHASES = os.environ.get("BENCH_PHASES", "sequential,saturation,fixed").split(",")
GUNICORN_ARGS = os.environ.get(
    "BENCH_GUNICORN_ARGS", "--worker-class gthread --workers 2 --threads 4 --timeout 60"
)
NOTE = "Load report"


def _tokens() -> dict:
    users = get_user_model().objects
    staff = users.get(username="state_staff")
    reporters = []
    for user in users.filter(username__startswith="scale_dc_").select_related("profile__district"):
        reporters.append([token_issue(user=user, device="load bench")[1], user.profile.district.code])
    if not reporters:
        raise SystemExit("No scale coordinators: run manage.py seed_scale first.")
    return {"baseline": token_issue(user=staff, device="load bench")[1], "reporters": reporters}


def _session_cookie(username: str) -> str:
    client = Client()
    client.force_login(
        get_user_model().objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend"
    )
    return f"sessionid={client.cookies['sessionid'].value}"


def _sequential(path: str, headers: dict) -> dict:
    return common.sequential(PORT, path, headers, ROUNDS)


def _locust(user_class: str, users: int, tokens: dict) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        prefix = str(Path(folder) / "stats")
        command = [
            LOCUST,
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--host",
            f"http://127.0.0.1:{PORT}",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{SECONDS}s",
            "--csv",
            prefix,
            "--only-summary",
            "--loglevel",
            "WARNING",
            user_class,
        ]
        subprocess.run(  # noqa: S603 - our own command line
            command, env={**os.environ, "BENCH_TOKENS": json.dumps(tokens)}, check=False, capture_output=True
        )
        with open(f"{prefix}_stats.csv", newline="") as stats:
            row = next(r for r in csv.DictReader(stats) if r["Name"] == "Aggregated")
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": round(float(row["Requests/s"]), 1),
        "median_ms": float(row["Median Response Time"]),
        "p95_ms": float(row["95%"]),
    }


def _queries_per_report() -> int:
    client = Client()
    client.force_login(
        get_user_model().objects.get(username="dc_patna"), backend="django.contrib.auth.backends.ModelBackend"
    )

    def post() -> object:
        body = {
            "client_uuid": str(uuid.uuid4()),
            "task": "masks-sanitiser",
            "district": "patna",
            "date": timezone.localdate().isoformat(),
            "values": {"masks": 5, "sanitiser": 1},
            "notes": NOTE,
        }
        return client.post("/api/v1/activities/", body, content_type="application/json")

    post()
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = post()
    if response.status_code != 201:
        raise SystemExit(
            f"POST /api/v1/activities/ answered {response.status_code}: {response.content[:300]!r}"
        )
    return len(queries)


def _clean_up() -> None:
    from django.db.models import Q

    from tasks17.choices import ActivityOrigin
    from tasks17.models import Activity
    from tasks17.rollups import rebuild

    # The reports this run sent: locust's (no notes, by the scale coordinators) and our own;
    # typed reports only (a record's report, e.g. bench/drift_mix.py's declarations, stays).
    load = Activity.objects.filter(
        Q(notes=NOTE) | Q(notes="", reported_by__username__startswith="scale_dc_"),
        origin=ActivityOrigin.REPORT,
    )
    days = sorted(set(load.values_list("date", flat=True)))
    load.delete()
    for day in days:
        rebuild(start=day, end=day)


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("The load benchmarks run on PostgreSQL: set DATABASE_URL.")
    results: dict = {"meta": {"gunicorn": GUNICORN_ARGS, "cpu_count": os.cpu_count(), "rounds": ROUNDS}}
    results["queries_per_report"] = _queries_per_report()
    tokens = _tokens()
    staff_token = {"Authorization": f"Token {tokens['baseline']}"}
    staff_session = {"Cookie": _session_cookie("state_staff")}
    server = common.start_gunicorn(PORT, GUNICORN_ARGS)
    try:
        common.wait_for_server(PORT)
        sequential = {
            "baseline": _sequential("/api/v1/districts/patna/", staff_token),
            "tasks": _sequential("/tasks/", staff_session),
            "targets": _sequential("/targets/", staff_session),
        }
        results["sequential"] = sequential
        if "saturation" in PHASES:
            results["saturation"] = {
                "baseline": _locust("Baseline", USERS, tokens),
                "reports": _locust("Reports", USERS, tokens),
            }
            saturation = results["saturation"]
            saturation["reports"]["ratio_to_baseline"] = round(
                saturation["reports"]["rps"] / saturation["baseline"]["rps"], 2
            )
        if "fixed" in PHASES:
            results["fixed_rate"] = _locust("ReportsAtRate", RATE, tokens)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        _clean_up()
    base = results["sequential"]["baseline"]["median_ms"]
    for figures in sequential.values():
        figures["ratio_to_baseline"] = round(figures["median_ms"] / base, 2)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "load.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
