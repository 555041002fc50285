"""A mix of writes through the services on the scale data, then the drift check (issue 10).

    DATABASE_URL=postgres://…/seva_bench python bench/drift_mix.py [N]

Submits N reports (some at booths), corrects a third of them, verifies and rejects scale
reports awaiting review, bulk-verifies more, declares booths corona-free and withdraws half
the declarations, then runs ``rebuild_rollups --check``: zero drift expected.
"""

import os
import random
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seva.settings")
os.environ.setdefault("DJANGO_DEBUG", "on")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from seva.geo.models import Booth  # noqa: E402
from tasks17 import services  # noqa: E402
from tasks17.choices import ActivityStatus  # noqa: E402
from tasks17.models import Activity, ChecklistItem, Task  # noqa: E402
from tasks17.records import services as records  # noqa: E402


def main(n: int) -> None:
    rng = random.Random(10)
    users = get_user_model().objects
    staff, coordinator = users.get(username="state_staff"), users.get(username="scale_dc_patna")
    masks = Task.objects.get(code="masks-sanitiser")
    district = coordinator.profile.district
    booths = list(
        Booth.objects.filter(assembly_seat__district=district, corona_free_since__isnull=True)[: n // 2]
    )
    today = timezone.localdate()
    sent = []
    for i in range(n):
        booth = booths[i % len(booths)] if i % 2 else None
        sent.append(
            services.activity_submit(
                by=coordinator,
                task=masks,
                district=district,
                date=today - timezone.timedelta(days=i % 5),
                values={"masks": rng.randint(1, 99), "sanitiser": rng.randint(0, 9)},
                client_uuid=uuid.uuid4(),
                booth=booth,
            )
        )
    for activity in sent[::3]:
        services.activity_update(
            by=coordinator, activity=activity, task=masks, date=today, values={"masks": rng.randint(1, 99)}
        )
    waiting = list(Activity.objects.filter(status=ActivityStatus.SUBMITTED, notes="Scale report")[: n * 2])
    for activity in waiting[: n // 2]:
        services.activity_verify(by=staff, activity=activity)
    for activity in waiting[n // 2 : n]:
        services.activity_reject(by=staff, activity=activity, reason="Drift check")
    services.activities_verify_bulk(by=staff, ids=[a.pk for a in waiting[n:]])
    items = list(ChecklistItem.objects.active()) or [ChecklistItem.objects.create(text_en="Masks for all")]
    declarations = [
        records.booth_declare(
            by=coordinator, booth=booth, declared_on=today, ticked_item_ids=[i.pk for i in items]
        )
        for booth in booths[: n // 4]
    ]
    for declaration in declarations[::2]:
        records.booth_withdraw(by=coordinator, declaration=declaration, reason="Drift check")
    print(f"{n} submitted, {len(sent[::3])} corrected, {len(waiting)} reviewed, {len(declarations)} declared")
    call_command("rebuild_rollups", "--check")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
