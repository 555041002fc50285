"""The dashboards over HTTP, against gunicorn: `python bench/dashboard.py`.

Builds (once) the scale data in the database of DATABASE_URL (``BENCH_BOOTHS`` booths,
default the state's 1,06,515; the reports follow the booths), rebuilds the rollups from the
facts, starts gunicorn (gthread) on it, and measures, in one run:

- the baseline, ``GET /api/v1/districts/patna/`` with a token (the smallest authenticated
  endpoint): median, p95 and requests a second with ``BENCH_THREADS`` clients;
- the state dashboard page (``/dashboard/``) and API (``/api/v1/dashboard/state/``) for the
  last 30 days: warm median and p95 idle, warm requests a second; cold (each request another
  period, so nothing is cached); and warm while reports arrive at ``BENCH_RATE`` a second
  (``POST /api/v1/activities/``, each of which moves the figures version on);
- the same figures as a plain SQL ``GROUP BY`` over the fact table (``ActivityValue`` joined
  to ``Activity``: per task and metric, and per district and metric), in this process.

Prints a table and writes bench/results/dashboard.json. Needs ``DJANGO_DEBUG=on`` for the
demo users (set here) and, for figures worth writing down, PostgreSQL and Redis.
"""

import datetime
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}")
os.environ["DJANGO_DEBUG"] = "on"
# One key for this process (which signs the benchmark's sessions) and the server.
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + uuid.uuid4().hex)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# Hundreds of rounds as one user: above the API's throttle per user (600/min by default).
os.environ.setdefault("THROTTLE_USER", "10000000/min")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seva.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q, Sum  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8768"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "60"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
RATE = float(os.environ.get("BENCH_RATE", "50"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
BOOTHS = int(os.environ.get("BENCH_BOOTHS", "106515"))
PASSWORD = "seva-demo-2021"  # noqa: S105 - the demo users' published password (DEBUG only)


def prepare() -> None:
    from tasks17 import rollups

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("seed_scale", booths=BOOTHS, workers=max(1000, BOOTHS), verbosity=1)
    from tasks17.models import DailyRollup

    if not DailyRollup.objects.exists():  # seed_scale writes the facts alone
        drift = rollups.rebuild()
        print(f"rollups rebuilt from the facts: {drift.rows} rows")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def serve() -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "seva.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--worker-class",
            "gthread",
            "--workers",
            os.environ.get("BENCH_GUNICORN_WORKERS", "2"),
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        # The server runs the production settings (gunicorn refuses DEBUG) over plain HTTP on
        # the loopback; this process keeps DEBUG on only to seed the synthetic data.
        env={
            **os.environ,
            "DJANGO_DEBUG": "off",
            "DJANGO_SECURE_SSL_REDIRECT": "off",
            "DJANGO_SECURE_COOKIES": "off",
        },
    )
    for _ in range(100):
        try:
            conn = HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


class Agent:
    """One HTTP client with its own kept-alive connection."""

    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers
        self.conn = HTTPConnection("127.0.0.1", PORT, timeout=30)

    def request(self, method: str, url: str, body: dict | None = None) -> tuple[int, float]:
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        start = time.perf_counter()
        self.conn.request(method, url, body=data, headers=headers)
        response = self.conn.getresponse()
        response.read()
        return response.status, (time.perf_counter() - start) * 1000


def token(username: str) -> dict[str, str]:
    conn = HTTPConnection("127.0.0.1", PORT, timeout=10)
    conn.request(
        "POST",
        "/api/v1/auth/token/",
        body=json.dumps({"username": username, "password": PASSWORD}),
        headers={"Content-Type": "application/json"},
    )
    answer = json.loads(conn.getresponse().read())
    return {"Authorization": f"Token {answer['token']}"}


def session(username: str) -> dict[str, str]:
    client = Client()
    client.force_login(
        get_user_model().objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend"
    )
    return {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}


def summary(times: list[float]) -> dict:
    times = sorted(times)
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "n": len(times),
    }


def latencies(headers: dict, urls: list[str]) -> dict:
    agent = Agent(headers)
    times = []
    for url in urls:
        status, ms = agent.request("GET", url)
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
        times.append(ms)
    return summary(times)


def throughput(headers: dict, url: str, seconds: float = 5.0) -> float:
    done = [0] * THREADS
    stop = time.perf_counter() + seconds

    def run(n: int) -> None:
        agent = Agent(headers)
        while time.perf_counter() < stop:
            agent.request("GET", url)
            done[n] += 1

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return round(sum(done) / seconds, 1)


def while_reports_arrive(reader: dict, url: str, writer: dict) -> dict:
    """``url`` read in a loop while ``writer`` posts reports at ``RATE`` a second."""
    stop = time.perf_counter() + SECONDS
    posted = {"ok": 0, "failed": 0}
    today = timezone.localdate().isoformat()

    def write(rate: float) -> None:
        agent = Agent(writer)
        tick = time.perf_counter()
        while tick < stop:
            status, _ = agent.request(
                "POST",
                "/api/v1/activities/",
                {
                    "client_uuid": str(uuid.uuid4()),
                    "task": "masks-sanitiser",
                    "district": "patna",
                    "date": today,
                    "values": {"masks": 25, "sanitiser": 2},
                    "notes": "Bench dashboard report",
                },
            )
            posted["ok" if status == 201 else "failed"] += 1
            tick += 1 / rate
            time.sleep(max(0.0, tick - time.perf_counter()))

    # Two writers, so one slow answer does not hold the arrival rate back.
    writers = [threading.Thread(target=write, args=(RATE / 2,)) for _ in range(2)]
    for thread in writers:
        thread.start()
    agent = Agent(reader)
    times = []
    while time.perf_counter() < stop:
        status, ms = agent.request("GET", url)
        if status == 200:
            times.append(ms)
    for thread in writers:
        thread.join()
    return {**summary(times), "reports_posted": posted["ok"], "reports_failed": posted["failed"]}


def plain_group_by(start: datetime.date, end: datetime.date) -> dict:
    """The dashboard's sums straight from the fact table, as before the rollups."""
    from tasks17.choices import COUNTED_STATUSES, ActivityStatus
    from tasks17.models import ActivityValue

    def run() -> None:
        rows = ActivityValue.objects.filter(
            activity__date__gte=start, activity__date__lte=end, activity__status__in=COUNTED_STATUSES
        ).order_by()
        verified = Sum("value", filter=Q(activity__status=ActivityStatus.VERIFIED))
        list(rows.values("activity__task", "metric").annotate(reported=Sum("value"), verified=verified))
        list(rows.values("activity__district", "metric").annotate(reported=Sum("value"), verified=verified))
        list(rows.values("activity__date", "metric").annotate(reported=Sum("value"), verified=verified))

    run()
    times = []
    for _ in range(10):
        begin = time.perf_counter()
        run()
        times.append((time.perf_counter() - begin) * 1000)
    return summary(times)


def main() -> None:
    prepare()
    today = timezone.localdate()
    server = serve()
    try:
        api, page = token("state_staff"), session("state_staff")
        writer = token("dc_patna")
        baseline_url = "/api/v1/districts/patna/"
        month = "?days=30"
        results: dict = {
            "baseline": {
                **latencies(api, [baseline_url] * ROUNDS),
                "rps": throughput(api, baseline_url),
            }
        }
        for name, headers, path in [
            ("page", page, "/dashboard/"),
            ("api", api, "/api/v1/dashboard/state/"),
        ]:
            latencies(headers, [path + month])  # warm the cache
            cold_urls = [
                f"{path}?from={today - datetime.timedelta(days=30 + n)}&to={today}" for n in range(1, 31)
            ]
            results[name] = {
                "warm": latencies(headers, [path + month] * ROUNDS),
                "warm_rps": throughput(headers, path + month),
                "cold": latencies(headers, cold_urls),
                "while_reports_arrive": while_reports_arrive(headers, path + month, writer),
            }
        results["plain_group_by"] = plain_group_by(today - datetime.timedelta(days=29), today)
    finally:
        server.terminate()
        server.wait()
        from tasks17.models import Activity

        Activity.objects.filter(notes="Bench dashboard report").delete()
        from tasks17 import rollups

        rollups.rebuild(start=today, end=today)  # the bench's reports, all of today, are gone
    from tasks17.models import Activity, ActivityValue

    meta = {
        "database": connection.vendor,
        "cache": "redis" if os.environ.get("REDIS_URL") else "local memory",
        "activities": Activity.objects.count(),
        "activity_values": ActivityValue.objects.count(),
        "threads": THREADS,
        "rate": RATE,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "dashboard.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2, default=str))
    print(json.dumps({"meta": meta, "results": results}, indent=2, default=str))


if __name__ == "__main__":
    main()
