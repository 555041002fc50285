"""A broadcast to 50,000 workers: how long choosing them, the preview and writing the outbox
rows take, each against a baseline measured in the same run: reading the same workers'
``values()`` rows through the model field, as a plain ``values()`` does (each phone parsed and
validated again by phonenumbers), which the broadcast avoids by reading the stored text.

    DATABASE_URL=postgres://... .venv/bin/python bench/broadcast.py [N]

Makes N workers (50,000 by default) in Muzaffarpur once, with consent, in the database named by
DATABASE_URL (not the test one); hands nothing to Celery (``outbox.enqueue`` is replaced by a
counter), so it times the writing, not the delivery (the lead's fan-out bench times that)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seva.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402

from seva.geo.models import District  # noqa: E402
from seva.notify import broadcasts, outbox, recipients  # noqa: E402
from seva.notify.choices import Audience  # noqa: E402
from seva.notify.models import Broadcast, Notification  # noqa: E402
from seva.people.models import Worker  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
CODE = "muzaffarpur"


def timed(label: str, fn, results: dict) -> object:
    start = time.perf_counter()
    value = fn()
    results[label] = time.perf_counter() - start
    return value


def main() -> None:
    settings.SEVA_QUIET_HOURS = (0, 0)
    settings.SEVA_BROADCAST_INLINE_MAX = 10**9  # write in this process, to time it
    district = District.objects.get(code=CODE)
    have = Worker.objects.filter(district=district, name__startswith="Bench worker").count()
    if have < N:
        Worker.objects.bulk_create(
            [
                Worker(
                    name=f"Bench worker {i}",
                    phone=f"+9160{i:08d}",
                    district=district,
                    consent_to_contact=True,
                    consent_date="2021-05-01",
                )
                for i in range(have, N)
            ],
            batch_size=5000,
        )
    staff = get_user_model().objects.filter(
        is_superuser=True
    ).first() or get_user_model().objects.create_superuser("bench_broadcast", "bench@example.org", None)
    handed = []
    outbox.enqueue = lambda ids, **_options: handed.extend(ids) or 0
    Notification.objects.filter(kind=broadcasts.KIND).delete()
    Broadcast.objects.all().delete()

    results: dict[str, float] = {}
    workers = Worker.objects.filter(district=district, is_active=True)
    timed(
        "baseline: values() via the model field",
        lambda: list(workers.values(*recipients.WORKER_VALUES)),
        results,
    )
    people = timed(
        "audience_recipients",
        lambda: broadcasts.audience_recipients(Audience.WORKERS, [district.pk]),
        results,
    )
    kwargs = {"text": "कल सुबह 9 बजे बूथ पर मास्क बाँटें।", "audience": Audience.WORKERS, "districts": [district.pk]}
    preview = timed(
        "broadcast_preview (dry run)", lambda: broadcasts.broadcast_preview(by=staff, **kwargs), results
    )
    broadcast = timed(
        "broadcast_send (writes the rows)", lambda: broadcasts.broadcast_send(by=staff, **kwargs), results
    )
    again = timed(
        "broadcast_write again (nothing new)",
        lambda: broadcasts.broadcast_write(broadcast_id=broadcast.pk),
        results,
    )
    rows = Notification.objects.filter(broadcast=broadcast).count()
    base = results["baseline: values() via the model field"]
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"{engine}, {len(people):,} recipients, preview to_send={preview.to_send:,}, rows={rows:,}, "
        f"handed to Celery={len(handed):,}, second write={again}"
    )
    for label, seconds in results.items():
        print(f"  {label:40s} {seconds:7.2f} s   ×{seconds / base:5.1f} baseline")


if __name__ == "__main__":
    main()
