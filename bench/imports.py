"""Issue 14: the bulk import of 1,00,000 booths and 1,00,000 workers, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seva_h1 .venv/bin/python bench/imports.py
    (or BENCH_ONLY=imports bench/run.py)

In one run, each path in its own process (so its peak RSS is its own): a plain ``COPY`` of
the same rows into the table (the physical limit), the bulk path (seva/reports/bulk.py, what
``import_booths``/``import_workers`` and the background job run), the same file again (all
rows unchanged), and django-import-export's stock resource path on a sample (it takes a
query or more a row; timed on ``BENCH_STOCK_SAMPLE`` rows and extrapolated to 1,00,000, said
so in the output). Booths: the real 243 seats, numbers 1..N in each. Workers: real district
codes, the seat and a booth of the generated ones. The tables geo_booth and people_worker
are emptied (TRUNCATE … CASCADE) between runs: use a bench database, never a real one.
"""

import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seva.settings")

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
STOCK_SAMPLE = int(os.environ.get("BENCH_STOCK_SAMPLE", "2000"))


def _setup() -> None:
    import django

    django.setup()


def _truncate(*tables: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def write_files(folder: Path) -> tuple[Path, Path]:
    from seva.geo.models import AssemblySeat

    seats = list(AssemblySeat.objects.order_by("number").values_list("number", "district__code"))
    per_seat = -(-ROWS // len(seats))
    booths, workers = folder / "booths.csv", folder / "workers.csv"
    with booths.open("w", newline="") as b, workers.open("w", newline="") as w:
        bw, ww = csv.writer(b), csv.writer(w)
        bw.writerow(["assembly_seat", "number", "name", "locality"])
        ww.writerow(["name", "phone", "district", "assembly_seat", "booth", "role"])
        n = 0
        for number in range(1, per_seat + 1):
            for seat, code in seats:
                if n == ROWS:
                    break
                n += 1
                bw.writerow([seat, number, f"Primary School booth {number}", f"Ward {number % 40}"])
                ww.writerow([f"Bench worker {n}", f"9{n:09d}", code, seat, number, "volunteer"])
    return booths, workers


def one(kind: str, path: str) -> dict:
    """Run one path in this process; its seconds and peak RSS."""
    _setup()
    from django.db import connection

    started = time.perf_counter()
    note = ""
    if kind == "copy-booths":
        from seva.geo.models import AssemblySeat

        seat_ids = dict(AssemblySeat.objects.values_list("number", "id"))
        # COPY takes ids: the file's seat numbers are mapped as a COPY user would beforehand.
        with open(path) as src, tempfile.TemporaryFile("w+") as mapped:
            rows = csv.reader(src)
            next(rows)
            out = csv.writer(mapped)
            for seat, number, name, locality in rows:
                out.writerow([seat_ids[int(seat)], number, name, "", locality])
            mapped.seek(0)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(
                    "COPY geo_booth (assembly_seat_id, number, name, name_hi, locality) FROM STDIN"
                    " WITH (FORMAT csv, FORCE_NOT_NULL (name_hi, locality))",
                    mapped,
                )
    elif kind == "copy-workers":
        from seva.geo.models import AssemblySeat, Booth, District

        districts = dict(District.objects.values_list("code", "id"))
        seats = dict(AssemblySeat.objects.values_list("number", "id"))
        booths = {(s, n): i for i, s, n in Booth.objects.values_list("id", "assembly_seat_id", "number")}
        with open(path) as src, tempfile.TemporaryFile("w+") as mapped:
            rows = csv.reader(src)
            next(rows)
            out = csv.writer(mapped)
            for name, phone, code, seat, booth, role in rows:
                seat_id = seats[int(seat)]
                out.writerow(
                    [
                        name,
                        "+91" + phone,
                        "",
                        role,
                        districts[code],
                        seat_id,
                        booths[(seat_id, int(booth))],
                        "",
                        "",
                        "t",
                        "f",
                        "now",
                        "now",
                    ]
                )
            mapped.seek(0)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(
                    "COPY people_worker (name, phone, email, role, district_id, assembly_seat_id, booth_id,"
                    " blood_group, skills, is_active, consent_to_contact, created_at, updated_at)"
                    " FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (email, blood_group, skills))",
                    mapped,
                )
    elif kind in ("bulk-booths", "bulk-workers"):
        from seva.reports import bulk

        result = (bulk.import_booths if kind == "bulk-booths" else bulk.import_workers)(path)
        if not result.ok:
            raise SystemExit(str(result.errors[:5]))
        note = f"{result.created} added, {result.changed} changed, {result.unchanged} unchanged"
    elif kind in ("stock-booths", "stock-workers"):
        import tablib

        from seva.geo.resources import BoothResource
        from seva.people.resources import WorkerResource

        with open(path) as src:
            rows = list(csv.reader(src))
        data = tablib.Dataset(*rows[1 : STOCK_SAMPLE + 1], headers=rows[0])
        started = time.perf_counter()
        resource_ = BoothResource() if kind == "stock-booths" else WorkerResource()
        from django.contrib.auth import get_user_model

        user, _ = get_user_model().objects.get_or_create(
            username="bench_importer", defaults={"is_superuser": True, "is_staff": True}
        )
        result = resource_.import_data(data, dry_run=False, use_transactions=True, user=user)
        if result.has_errors() or result.has_validation_errors():
            raise SystemExit(f"{kind}: {[r.error_dict for r in result.invalid_rows[:2]]}")
        note = f"{STOCK_SAMPLE} rows timed, extrapolated ×{ROWS / STOCK_SAMPLE:g}"
    seconds = time.perf_counter() - started
    if kind.startswith("stock"):
        seconds *= ROWS / STOCK_SAMPLE
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"path": kind, "seconds": round(seconds, 2), "peak_rss_mb": round(rss), "note": note}


def _run(kind: str, path: Path) -> dict:
    done = subprocess.run(  # noqa: S603 - this script, by its own path
        [sys.executable, __file__, "--one", kind, str(path)], check=False, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    out = done.stdout
    result = json.loads(out.strip().splitlines()[-1])
    print(
        f"{result['path']:<22} {result['seconds']:>8.1f} s  {result['peak_rss_mb']:>5} MB  {result['note']}"
    )
    return result


def main() -> None:
    _setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("bench/imports.py measures PostgreSQL (set DATABASE_URL)")
    call_command("migrate", verbosity=0)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        booths, workers = write_files(Path(folder))
        print(f"{ROWS} rows each, on {connection.vendor}")
        _truncate("people_worker", "geo_booth")
        results.append(_run("copy-booths", booths))
        _truncate("people_worker", "geo_booth")
        results.append(_run("bulk-booths", booths))
        results.append({**_run("bulk-booths", booths), "path": "bulk-booths (again)"})
        results.append(_run("copy-workers", workers))
        _truncate("people_worker")
        results.append(_run("bulk-workers", workers))
        results.append({**_run("bulk-workers", workers), "path": "bulk-workers (again)"})
        _truncate("people_worker")
        results.append(_run("stock-workers", workers))
        _truncate("people_worker", "geo_booth")
        results.append(_run("stock-booths", booths))
        _truncate("people_worker", "geo_booth")
    copy = {
        r["path"].split("-")[1].split(" ")[0]: r["seconds"] for r in results if r["path"].startswith("copy")
    }
    for r in results:
        base = copy[r["path"].split("-")[1].split(" ")[0]]
        r["ratio_to_copy"] = round(r["seconds"] / base, 1) if base else 0
        print(f"{r['path']:<22} {r['ratio_to_copy'] or '-':>6}× COPY")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "imports.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(one(sys.argv[2], sys.argv[3])))
    else:
        main()
