"""Issue 14: how fast activity reports import (seva/reports/bulk_activities.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seva_h1 .venv/bin/python bench/activities_import.py [N]

Builds a CSV of N reports (2,000 by default) over the real districts and seats, two tasks
(``masks-sanitiser``, ``meals``) and the last 30 days, and times, as a state admin: the check
(one pass, look-ups loaded once), the write (each row through ``activity_submit``, with its
values, history and rollups, in one transaction), and the same file checked again (every row
"already as in the file"). Everything runs inside a transaction rolled back at the end, so the
database is left as it was. The figures are in docs/imports.md ("Activity reports").
"""

from __future__ import annotations

import datetime
import io
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seva.settings")


class _RolledBack(Exception):
    pass


def main(n: int) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from seva.geo.models import AssemblySeat
    from seva.people.choices import PortalRole
    from seva.people.services import user_create
    from seva.reports.bulk_activities import ActivityImport
    from tasks17.models import Campaign

    today = timezone.localdate()
    seats = list(AssemblySeat.objects.order_by("number").values_list("number", "district__code"))
    lines = ["district,assembly_seat,task,date,masks,sanitiser,meals,families"]
    for index in range(n):
        number, code = seats[index % len(seats)]
        day = today - datetime.timedelta(days=(index // len(seats)) % 30)
        if (index // (len(seats) * 30)) % 2 == 0:
            lines.append(f"{code},{number},masks-sanitiser,{day},{100 + index % 50},{index % 9},,")
        else:
            lines.append(f"{code},{number},meals,{day},,,{200 + index % 70},{index % 40 + 1}")
    content = ("\n".join(lines) + "\n").encode()
    try:
        with transaction.atomic():
            Campaign.objects.update(is_active=False)
            Campaign.objects.create(
                name="bench",
                start_date=today - datetime.timedelta(days=60),
                end_date=today + datetime.timedelta(days=30),
                is_active=True,
            )
            user = get_user_model().objects.filter(username="bench_activity_admin").first() or user_create(
                username="bench_activity_admin", password=None, role=PortalRole.STATE_ADMIN, district=None
            )
            importer = ActivityImport(user)
            started = time.perf_counter()
            result = importer.check(importer.rows(io.BytesIO(content), "csv"))
            checked = time.perf_counter() - started
            if not result.ok:
                raise SystemExit(f"bad rows: {result.errors[:5]}")
            started = time.perf_counter()
            importer.write(result)
            written = time.perf_counter() - started
            again_importer = ActivityImport(user)
            started = time.perf_counter()
            again = again_importer.check(again_importer.rows(io.BytesIO(content), "csv"))
            rechecked = time.perf_counter() - started
            if not again.ok or again.unchanged != n:
                raise SystemExit(f"re-import: {again.error_count} bad, {again.unchanged} unchanged")
            raise _RolledBack
    except _RolledBack:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows {n}: check {checked:.2f} s ({n / checked:,.0f} rows/s)")
    print(f"        write {written:.2f} s ({n / written:,.0f} rows/s), through activity_submit")
    print(f"        same file again: check {rechecked:.2f} s, nothing to write")
    print(f"        peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
