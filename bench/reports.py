"""The streamed activity register through gunicorn, as deployed: `python bench/reports.py`.

Runs on the database of DATABASE_URL as it is (build it first: bench/README.md, `seed_scale`
at full size gives ~21 lakh reports), starts gunicorn with the Dockerfile's arguments
(gthread, 2 workers × 4 threads, ``--timeout 60``) and the web processes' statement timeout
(15 s), and measures in one run:

- the baseline: ``GET /api/v1/districts/patna/`` with a token, median of ``BENCH_ROUNDS``;
- ``GET /reports/activities.csv`` over every report (``from``/``to`` spanning the data) as
  the state admin with a token: time to the first byte, total time, rows, rows a second, and
  the resident memory (RSS) of the gunicorn worker serving it, sampled every 0.2 s, growth
  from before the request to its peak.

Prints the figures and writes bench/results/reports.json.
"""

import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from http.client import HTTPConnection, HTTPException
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}")
os.environ["DJANGO_DEBUG"] = "on"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + uuid.uuid4().hex)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seva.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Max, Min  # noqa: E402

from tasks17.models import Activity  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8121"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
# The Dockerfile's worker class and timeout; BENCH_WORKER_CLASS=sync BENCH_TIMEOUT=20 shows
# what a sync worker does to a stream longer than its timeout.
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "gthread")
TIMEOUT = os.environ.get("BENCH_TIMEOUT", "60")
# gunicorn turns "sync" with more than one thread into gthread: a sync run needs BENCH_THREADS=1.
THREADS = os.environ.get("BENCH_THREADS", "4")
PASSWORD = "seva-demo-2021"  # noqa: S105 - the demo users' published password (DEBUG only)


def serve() -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "seva.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--worker-class",
            WORKER_CLASS,
            "--workers",
            "2",
            "--threads",
            THREADS,
            "--timeout",
            TIMEOUT,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_DEBUG": "off",
            "DJANGO_SECURE_SSL_REDIRECT": "off",
            "DJANGO_SECURE_COOKIES": "off",
            "DATABASE_STATEMENT_TIMEOUT_MS": os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "15000"),
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


def token(username: str) -> dict[str, str]:
    conn = HTTPConnection("127.0.0.1", PORT, timeout=10)
    conn.request(
        "POST",
        "/api/v1/auth/token/",
        body=json.dumps({"username": username, "password": PASSWORD}),
        headers={"Content-Type": "application/json"},
    )
    return {"Authorization": f"Token {json.loads(conn.getresponse().read())['token']}"}


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def workers(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def baseline(headers: dict) -> dict:
    conn = HTTPConnection("127.0.0.1", PORT, timeout=30)
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        conn.request("GET", "/api/v1/districts/patna/", headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"baseline: status {response.status}")
        times.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "n": len(times)}


def stream(server: subprocess.Popen, headers: dict, query: str) -> dict:
    pids = workers(server)
    before = {pid: rss_kb(pid) for pid in pids}
    peak = dict(before)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in pids:
                peak[pid] = max(peak[pid], rss_kb(pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    conn = HTTPConnection("127.0.0.1", PORT, timeout=120)
    start = time.perf_counter()
    conn.request("GET", f"/reports/activities.csv?{query}", headers=headers)
    response = conn.getresponse()
    if response.status != 200:
        raise SystemExit(f"register: status {response.status}: {response.read()[:500]!r}")
    first = response.read(1)
    first_byte = time.perf_counter() - start
    lines = first.count(b"\n")
    size = 1
    cut = ""
    try:
        while chunk := response.read1(1 << 16):
            lines += chunk.count(b"\n")
            size += len(chunk)
    except (OSError, HTTPException) as error:  # the server went away mid-stream (a worker killed)
        cut = repr(error)
    total = time.perf_counter() - start
    done.set()
    sampler.join()
    growth = max(peak[pid] - before[pid] for pid in pids)
    rows = lines - 1  # the header line (no note holds a line break in the scale data)
    expected = rows_expected(query)
    return {
        "first_byte_s": round(first_byte, 3),
        "total_s": round(total, 1),
        "rows": rows,
        "rows_per_s": round(rows / total),
        "megabytes": round(size / 1e6, 1),
        "worker_rss_before_mb": round(max(before.values()) / 1024, 1),
        "worker_rss_growth_mb": round(growth / 1024, 1),
        "rows_expected": expected,
        "cut_short": cut or rows != expected,
    }


def rows_expected(query: str) -> int:
    params = dict(part.split("=") for part in query.split("&"))
    return Activity.objects.filter(date__range=(params["from"], params["to"])).count()


def state_pack() -> dict:
    """The state pack built as the Celery worker builds it (figures, then the XLSX), in this
    process, over the campaign so far; the cache emptied first, so nothing is reused."""
    import tempfile

    from django.core.cache import cache
    from django.utils import timezone

    from seva.reports import builders
    from tasks17.selectors import Period

    cache.clear()
    today = timezone.localdate()
    span = Activity.objects.aggregate(start=Min("date"))
    period = Period(span["start"], today)
    start = time.perf_counter()
    pack = builders.state_pack_figures(period=period, today=today)
    figures_s = time.perf_counter() - start
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as out:
        builders.state_pack_xlsx(pack, out.name)
        total = time.perf_counter() - start
        size = Path(out.name).stat().st_size
    return {
        "period_days": period.days,
        "figures_s": round(figures_s, 2),
        "total_s": round(total, 2),
        "sheets": 1 + len(pack.tasks),
        "kilobytes": round(size / 1024),
    }


def main() -> None:
    span = Activity.objects.aggregate(start=Min("date"), end=Max("date"))
    if span["start"] is None:
        raise SystemExit("no reports: build the bench database first (bench/README.md)")
    if os.environ.get("BENCH_ONLY") == "pack":
        print("state pack:", state_pack())
        return
    server = serve()
    try:
        headers = token("state_admin")
        results = {"baseline_districts_patna": baseline(headers)}
        print("baseline GET /api/v1/districts/patna/:", results["baseline_districts_patna"])
        query = f"from={span['start']}&to={span['end']}"
        results["register_all"] = stream(server, headers, query)
        print("register, every report:", results["register_all"])
        ratio = (
            results["register_all"]["first_byte_s"] * 1000 / results["baseline_districts_patna"]["median_ms"]
        )
        results["first_byte_to_baseline"] = round(ratio, 1)
        print("first byte / baseline median:", results["first_byte_to_baseline"])
    finally:
        server.terminate()
        server.wait()
    results["state_pack"] = state_pack()
    print("state pack:", results["state_pack"])
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"reports-{WORKER_CLASS}-{THREADS}.json").write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
