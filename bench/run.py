"""Benchmarks at the state's real size: `make bench`.

Builds (once) a database with `seed_scale` — SQLite at bench/bench.sqlite3 unless
DATABASE_URL points elsewhere — then times the requests a crisis evening leans on, through
Django's test client (no network), as the demo personas. Prints median and 95th percentile in
milliseconds with the number of SQL queries, and writes bench/results/latest.json. Figures
go into bench/README.md by hand, with the machine they were taken on.
"""

import json
import os
import statistics
import sys
import time
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

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))


def prepare() -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("seed_scale", verbosity=1)


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
    times.sort()
    return {
        "url": url,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "queries": len(queries),
    }


def main() -> None:
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
    results = []
    for username, urls in cases.items():
        client = Client()
        client.force_login(users.get(username=username), backend="django.contrib.auth.backends.ModelBackend")
        for url in urls:
            result = {"user": username, **measure(client, url)}
            results.append(result)
            print(
                f"{username:12} {result['median_ms']:8.1f} ms median {result['p95_ms']:8.1f} ms p95 "
                f"{result['queries']:3} queries  {url}"
            )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    meta = {"database": connection.vendor, "rounds": ROUNDS, "cpu_count": os.cpu_count()}
    (out / "latest.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2))


if __name__ == "__main__":
    main()
