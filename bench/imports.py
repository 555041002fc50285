"""Issue 14: importing 1,00,000 booths and 1,00,000 workers, against the physical limit.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seva_h5 .venv/bin/python bench/imports.py [N]

For booths and for workers, in one run and on the same rows (N each, 1,00,000 by default):

- **COPY**: PostgreSQL's ``COPY ... FROM STDIN`` of the rows already in the table's columns
  (seat ids resolved beforehand, untimed): nothing checked, the physical limit, the baseline;
- **bulk**: ``seva.reports.bulk`` (``manage.py import_booths`` / ``import_workers`` and the
  /imports/ pages' job) reading the CSV file, checking every row, writing in one transaction;
  then the same file again (nothing to write);
- **stock**: django-import-export's resource (``BoothResource``, ``WorkerResource``, as the
  admin runs it) on a sample of ``STOCK_SAMPLE`` rows, extrapolated to N (it would take far
  more than 2 minutes on N rows).

Each case runs in its own process (``--case``), so its peak RSS (``ru_maxrss``, Django and all)
is its own. The rows use the real 243 seats and district codes, booths numbered 1..k in each
seat. Tables are emptied of the bench's rows between cases. Prints a table and writes
bench/results/imports.json; the figures are in bench/README.md ("Issue 14: imports").
"""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seva.settings")

N = 100_000
STOCK_SAMPLE = int(os.environ.get("BENCH_STOCK_SAMPLE", "1000"))
WORK = Path(os.environ.get("BENCH_IMPORTS_DIR", "/tmp/seva-bench-imports"))  # noqa: S108
PHONE_PREFIX = "+9170"  # the bench's workers: +9170xxxxxxxx


def _setup() -> None:
    import django

    django.setup()


def make_files(n: int) -> None:
    """The CSV files the imports read, and the same rows in table columns for COPY."""
    from django.utils import timezone

    from seva.geo.models import AssemblySeat

    WORK.mkdir(exist_ok=True)
    seats = list(AssemblySeat.objects.order_by("number").values_list("pk", "number", "district__code"))
    per_seat = -(-n // len(seats))
    now = timezone.now().isoformat()
    with (
        (WORK / "booths.csv").open("w", newline="") as booths,
        (WORK / "booths.copy").open("w", newline="") as booths_copy,
        (WORK / "workers.csv").open("w", newline="") as workers,
        (WORK / "workers.copy").open("w", newline="") as workers_copy,
    ):
        b, bc = csv.writer(booths), csv.writer(booths_copy, delimiter="\t", lineterminator="\n")
        w, wc = csv.writer(workers), csv.writer(workers_copy, delimiter="\t", lineterminator="\n")
        b.writerow(["assembly_seat", "number", "name", "locality"])
        w.writerow(["name", "phone", "district", "assembly_seat", "role", "is_active", "language"])
        i = 0
        for number in range(1, per_seat + 1):
            for seat_id, seat, district in seats:
                if i == n:
                    break
                b.writerow([seat, number, f"Bench booth {seat}-{number}", f"Ward {number % 40}"])
                bc.writerow([seat_id, number, f"Bench booth {seat}-{number}", "", f"Ward {number % 40}"])
                phone = f"{PHONE_PREFIX}{i:08d}"
                w.writerow([f"Bench worker {i}", phone, district, seat, "volunteer", "yes", "hi"])
                wc.writerow(
                    [f"Bench worker {i}", phone, "", "volunteer", "", "", "t", "f", "hi", now, now, district]
                )
                i += 1


def clear() -> None:
    from seva.geo.models import Booth
    from seva.people.models import Worker

    # Plain DELETEs: ``.delete()`` would write a history row per worker, one by one.
    Worker.history.filter(phone__startswith=PHONE_PREFIX)._raw_delete(Worker.history.db)
    workers = Worker.objects.filter(phone__startswith=PHONE_PREFIX)
    workers._raw_delete(workers.db)
    booths = Booth.objects.filter(name__startswith="Bench booth")
    booths._raw_delete(booths.db)


def _bench_user():
    from django.contrib.auth import get_user_model

    from seva.people.choices import PortalRole
    from seva.people.services import user_create

    user = get_user_model().objects.filter(username="bench_imports").first()
    return user or user_create(username="bench_imports", password=None, role=PortalRole.STATE_ADMIN)


def case(name: str) -> dict:
    """Run one case in this process; return its seconds and rows."""
    from django.db import connection

    clear()
    kind = name.split("_")[1]
    if name.startswith("copy"):
        if kind == "booths":
            table, columns = "geo_booth", "assembly_seat_id, number, name, name_hi, locality"
        else:
            # district_id filled from the code by a join would not be COPY: resolve it first.
            from seva.geo.models import District

            codes = dict(District.objects.values_list("code", "pk"))
            data = io.StringIO()
            for line in (WORK / "workers.copy").open():
                *rest, code = line.rstrip("\n").split("\t")
                data.write("\t".join([*rest, str(codes[code])]) + "\n")
            (WORK / "workers.copy2").write_text(data.getvalue())
            table = "people_worker"
            columns = (
                "name, phone, email, role, blood_group, skills, is_active, consent_to_contact, language,"
                " created_at, updated_at, district_id"
            )
        path = WORK / ("booths.copy" if kind == "booths" else "workers.copy2")
        start = time.perf_counter()
        with connection.cursor() as cursor, path.open() as source:
            cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", source)  # psycopg2
        seconds = time.perf_counter() - start
        return {"seconds": seconds, "rows": N}
    if name.startswith("bulk"):
        from seva.reports.bulk import BoothImport, WorkerImport

        importer = BoothImport if kind == "booths" else WorkerImport
        start = time.perf_counter()
        with (WORK / f"{kind}.csv").open("rb") as stream:
            result = importer().run(stream, "csv")
        seconds = time.perf_counter() - start
        if not result.ok:
            raise SystemExit(str(result.errors[:5]))
        start = time.perf_counter()
        with (WORK / f"{kind}.csv").open("rb") as stream:
            again = importer().run(stream, "csv")
        if not again.ok or again.added or again.changed:
            raise SystemExit("the same file again changed something")
        return {"seconds": seconds, "again_seconds": time.perf_counter() - start, "rows": result.total}
    # stock: import-export's resource on a sample, extrapolated.
    import tablib

    from seva.geo.resources import BoothResource
    from seva.people.resources import WorkerResource

    with (WORK / f"{kind}.csv").open() as source:
        reader = csv.reader(source)
        headers = next(reader)
        rows = [row for _, row in zip(range(STOCK_SAMPLE), reader, strict=False)]
    dataset = tablib.Dataset(*rows, headers=headers)
    resource_class = BoothResource if kind == "booths" else WorkerResource
    user = _bench_user()
    start = time.perf_counter()
    result = resource_class().import_data(dataset, dry_run=False, use_transactions=True, user=user)
    seconds = time.perf_counter() - start
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit(str((result.invalid_rows[:2], result.row_errors()[:2])))
    return {
        "seconds": seconds * N / len(rows),
        "sample_rows": len(rows),
        "sample_seconds": seconds,
        "rows": N,
    }


def run_case(name: str) -> dict:
    out = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--case", name, str(N)], capture_output=True, text=True, check=False
    )
    if out.returncode:
        raise SystemExit(f"{name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    _setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit(
            "bench/imports.py measures PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database."
        )
    make_files(N)
    results: dict[str, dict] = {}
    for kind in os.environ.get("BENCH_IMPORT_KINDS", "booths,workers").split(","):
        for how in ("copy", "bulk", "stock"):
            name = f"{how}_{kind}"
            results[name] = run_case(name)
            print(name, results[name], flush=True)
    clear()
    print(f"\n{N:,} rows each, PostgreSQL, {os.cpu_count()} CPUs")
    print(f"{'case':<16}{'seconds':>10}{'× COPY':>10}{'peak RSS MB':>14}")
    for name, figures in results.items():
        base = results["copy_" + name.split("_")[1]]["seconds"]
        extra = " (extrapolated)" if "sample_rows" in figures else ""
        if "again_seconds" in figures:
            extra = f" (same file again: {figures['again_seconds']:.1f} s)"
        ratio = figures["seconds"] / base
        print(f"{name:<16}{figures['seconds']:>10.1f}{ratio:>10.1f}{figures['rss_mb']:>14.0f}{extra}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "imports.json").write_text(json.dumps({"rows": N, "results": results}, indent=2))


if __name__ == "__main__":
    if "--case" in sys.argv:
        N = int(sys.argv[sys.argv.index("--case") + 2])
        _setup()
        figures = case(sys.argv[sys.argv.index("--case") + 1])
        figures["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(figures))
    else:
        if len(sys.argv) > 1:
            N = int(sys.argv[1])
        main()
