"""Benchmarks at the state's real size: `make bench`.

Builds (once) a database with `seed_scale` — SQLite at bench/bench.sqlite3 unless
DATABASE_URL points elsewhere — then times the requests a crisis evening leans on, through
Django's test client (no network), as the demo personas. Prints median and 95th percentile in
milliseconds with the number of SQL queries, and writes bench/results/latest.json. Figures
go into bench/README.md by hand, with the machine they were taken on.
"""

import datetime
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}")
os.environ["DJANGO_DEBUG"] = "on"
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seva.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))


def prepare() -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("seed_scale", verbosity=1)
    # Fresh statistics, as autovacuum keeps them in production: without them PostgreSQL
    # plans for empty tables right after the bulk load.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client: Client, url: str) -> dict:
    client.get(url)  # warm caches and connections
    times = []
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    for _ in range(ROUNDS):
        reset_queries()
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return _summary(url, times, len(queries))


def _summary(url: str, times: list[float], queries: int) -> dict:
    times.sort()
    return {
        "url": url,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "queries": queries,
    }


def measure_report_post(client: Client) -> dict:
    """POST a new activity report through the API: a fresh client_uuid each round."""
    url = "/api/v1/activities/"

    def post() -> object:
        payload = {
            "client_uuid": str(uuid.uuid4()),
            "task": "masks-sanitiser",
            "district": "patna",
            "date": timezone.localdate().isoformat(),
            "values": {"masks": 250, "sanitiser": 12},
            "notes": "Bench report",
        }
        return client.post(url, payload, content_type="application/json")

    post()  # warm caches and connections
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = post()
    if response.status_code != 201:
        raise SystemExit(f"POST {url} answered {response.status_code}: {response.content[:500]!r}")
    times = []
    for _ in range(ROUNDS):
        reset_queries()
        start = time.perf_counter()
        post()
        times.append((time.perf_counter() - start) * 1000)
    from tasks17.models import Activity
    from tasks17.rollups import rebuild

    # Leave the data as it was: the bench's reports go, and today's rollups follow the facts.
    Activity.objects.filter(notes="Bench report").delete()
    rebuild(start=timezone.localdate(), end=timezone.localdate())
    return _summary(f"POST {url}", times, len(queries))


def _print(result: dict) -> None:
    print(
        f"{result['user']:12} {result['median_ms']:8.1f} ms median {result['p95_ms']:8.1f} ms p95 "
        f"{result['queries']:3} queries  {result['url']}"
    )


def _tasks_cases() -> dict[str, list[str]]:
    """Reports, targets and totals (tasks17) at campaign size."""
    today = timezone.localdate()
    week = f"date_from={today - datetime.timedelta(days=7)}&date_to={today}"
    return {
        "dc_patna": [
            "/activities/",
            "/api/v1/activities/",
            f"/activities/?task=masks-sanitiser&{week}",
        ],
        "state_staff": [
            "/activities/",
            "/api/v1/activities/",
            f"/activities/?task=masks-sanitiser&{week}",
            f"/api/v1/activities/?task=masks-sanitiser&{week}",
            "/targets/",
            "/tasks/",
        ],
    }


def main() -> None:
    if os.environ.get("BENCH_ONLY") == "sms":
        _sms_inbound()
        return
    if os.environ.get("BENCH_ONLY") == "imports":  # issue 14: bulk imports, bench/imports.py
        from bench import imports

        imports.main()
        return
    prepare()
    users = get_user_model().objects
    cases = {
        "dc_patna": [
            "/api/v1/booths/?assembly_seat=182&search=1234",
            "/api/v1/workers/?search=Scale%20worker%2012345",
            "/api/v1/workers/",
            "/workers/",
            "/assembly-seats/182/?q=12",
            "/",
        ],
        "state_staff": [
            "/api/v1/workers/?district=patna",
            "/workers/",
            "/",
            "/api/v1/booths/?search=Ward%207",
        ],
    }
    for username, urls in _tasks_cases().items():
        cases[username] = cases[username] + urls
    only = os.environ.get("BENCH_ONLY", "")  # e.g. BENCH_ONLY=activities to time a subset
    results = []
    clients = {}
    for username, urls in cases.items():
        client = clients[username] = Client()
        client.force_login(users.get(username=username), backend="django.contrib.auth.backends.ModelBackend")
        for url in urls:
            if only and only not in url:
                continue
            result = {"user": username, **measure(client, url)}
            results.append(result)
            _print(result)
    if not only or only in "POST /api/v1/activities/":
        result = {"user": "dc_patna", **measure_report_post(clients["dc_patna"])}
        results.append(result)
        _print(result)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    meta = {"database": connection.vendor, "rounds": ROUNDS, "cpu_count": os.cpu_count()}
    (out / "latest.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    if os.environ.get("BENCH_REPORTS"):
        # Issue 14: the streamed register through gunicorn and the state pack, on the same
        # database (bench/reports.py; a 21-lakh-row stream takes a little over 2 minutes).
        subprocess.run([sys.executable, str(ROOT / "bench" / "reports.py")], check=True)  # noqa: S603
    if os.environ.get("BENCH_SMS"):
        _sms_inbound()


def _sms_inbound() -> None:
    """SMS in (issue 13): against gunicorn on PostgreSQL and Redis, in its own process
    (``BENCH_SMS=1 make bench``, or ``BENCH_ONLY=sms`` for it alone)."""
    subprocess.run([sys.executable, str(ROOT / "bench" / "sms_inbound.py")], check=False)  # noqa: S603


if __name__ == "__main__":
    main()
