"""Fan-out of one reminder to 50,000 workers, through a real Celery worker and Redis:
`python bench/fanout.py` (PostgreSQL and Redis; figures in bench/README.md).

Builds (once) ``BENCH_FANOUT`` booths, each with a booth president who agreed to be contacted,
in the database of DATABASE_URL (default ``seva_fanout`` on the local PostgreSQL), turns on the
evening reminder's booth presidents, starts a Celery worker (prefork, one process per core)
with the file SMS backend, and times, in one run:

- the baseline: the same number of outbox rows written with one bare ``bulk_create`` (no
  rule, no checks, no delivery): what the database alone costs;
- the fan-out: ``rules.run("evening_report_reminder")`` from its start to the last message
  appended by the worker to the SMS file (the test backend), with the rule's own part
  (select, plan, insert, hand over) and the drain;
- a second run of the rule: it must write nothing (dedup keys), and its time.

Then checks that every president got exactly one message. Quiet hours are switched off for
the run (it may be night), the daily cap does not bite (one message each).
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SMS_FILE = Path(tempfile.gettempdir()) / "seva-fanout-sms.jsonl"
ENV = {
    "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/seva_fanout"),
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/10"),
    "DJANGO_DEBUG": "on",
    "DJANGO_SETTINGS_MODULE": "seva.settings",
    "SMS_BACKEND": "seva.notify.sms.backends.FileBackend",
    "SMS_FILE_PATH": str(SMS_FILE),
    "SEVA_QUIET_HOURS_START": "0",
    "SEVA_QUIET_HOURS_END": "0",
    "CELERY_TASK_ALWAYS_EAGER": "off",
}
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from seva.geo.models import AssemblySeat, Booth  # noqa: E402
from seva.notify import rules  # noqa: E402
from seva.notify.models import Notification, RuleState  # noqa: E402
from seva.people.choices import WorkerRole  # noqa: E402
from seva.people.models import Worker  # noqa: E402

COUNT = int(os.environ.get("BENCH_FANOUT", "50000"))
CODE = "evening_report_reminder"


def _database() -> None:
    name = connection.settings_dict["NAME"]
    try:
        connection.ensure_connection()
    except Exception:  # noqa: BLE001 - create it on first use
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)  # noqa: S603, S607
    call_command("migrate", verbosity=0)
    call_command("load_geography", verbosity=0)


def prepare() -> None:
    _database()
    have = Worker.objects.filter(role=WorkerRole.BOOTH_PRESIDENT, name__startswith="Fan-out ").count()
    if have >= COUNT:
        return
    seats = list(AssemblySeat.objects.order_by("number").values_list("pk", "district_id"))
    per_seat = -(-COUNT // len(seats))
    booths = [
        Booth(assembly_seat_id=seat, number=90000 + n, name=f"Fan-out booth {n}")
        for seat, _ in seats
        for n in range(per_seat)
    ][:COUNT]
    Booth.objects.bulk_create(booths, batch_size=5000, ignore_conflicts=True)
    district_of = dict(seats)
    rows = (
        Booth.objects.filter(number__gte=90000).order_by("pk").values_list("pk", "assembly_seat_id")[:COUNT]
    )
    Worker.objects.bulk_create(
        [
            Worker(
                name=f"Fan-out president {i}",
                phone=f"+9170{i:08d}",
                role=WorkerRole.BOOTH_PRESIDENT,
                district_id=district_of[seat],
                assembly_seat_id=seat,
                booth_id=booth,
                consent_to_contact=True,
                consent_date="2021-05-01",
            )
            for i, (booth, seat) in enumerate(rows)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def reset() -> None:
    Notification.objects.all().delete()
    Booth.objects.filter(number__gte=90000).update(last_reported_on=None)
    RuleState.objects.update_or_create(code=CODE, defaults={"options": {"booth_presidents": True}})
    SMS_FILE.write_text("")


def baseline() -> float:
    """Bare bulk_create of as many outbox rows: the database's own cost."""
    rows = [
        Notification(
            channel="sms",
            address=f"+9170{i:08d}",
            language="hi",
            kind="baseline",
            body="x" * 60,
            dedup_key=f"baseline:{i}",
        )
        for i in range(COUNT)
    ]
    start = time.perf_counter()
    Notification.objects.bulk_create(rows, batch_size=2000)
    seconds = time.perf_counter() - start
    Notification.objects.filter(kind="baseline").delete()
    return seconds


def lines() -> int:
    with SMS_FILE.open("rb") as handle:
        return sum(1 for _ in handle)


def start_worker() -> subprocess.Popen:
    worker = subprocess.Popen(  # noqa: S603 - our own fixed command
        [
            str(ROOT / ".venv" / "bin" / "celery"),
            "-A",
            "seva",
            "worker",
            "--loglevel",
            "WARNING",
            "--concurrency",
            str(os.cpu_count() or 2),
            "--pool",
            "prefork",
        ],
        cwd=ROOT,
        env={**os.environ, **ENV},
    )
    time.sleep(6)  # the worker connects and forks
    return worker


def main() -> None:
    prepare()
    reset()
    base = baseline()
    worker = start_worker()
    try:
        reset()
        start = time.perf_counter()
        result = rules.run(CODE)
        ruled = time.perf_counter() - start
        deadline = time.monotonic() + 300
        while lines() < result.written and time.monotonic() < deadline:
            time.sleep(0.05)
        total = time.perf_counter() - start
        again_start = time.perf_counter()
        again = rules.run(CODE)
        again_seconds = time.perf_counter() - again_start
        time.sleep(2)
    finally:
        worker.terminate()
        worker.wait(30)
    references = [json.loads(line)["reference"] for line in SMS_FILE.read_text().splitlines()]
    sent = Notification.objects.filter(kind=CODE, status="sent").count()
    figures = {
        "recipients": result.written,
        "baseline_bulk_create_s": round(base, 2),
        "rule_and_hand_over_s": round(ruled, 2),
        "fan_out_total_s": round(total, 2),
        "ratio_to_baseline": round(total / base, 1),
        "handed_to_backend": len(references),
        "duplicates": len(references) - len(set(references)),
        "rows_sent": sent,
        "second_run_written": again.written,
        "second_run_s": round(again_seconds, 2),
    }
    print(json.dumps(figures, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "fanout.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
