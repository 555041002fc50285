"""Corona-free booth declarations: made once per booth, standing until withdrawn."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from seva.base.services import Errors, full_clean_into, locked_in_scope, raise_if
from seva.geo.models import Booth
from seva.people.choices import WorkerRole
from seva.people.models import Worker

from ... import services as activity_services
from ...choices import CORONA_FREE_TASK_CODE, ActivityOrigin
from ...models import BoothDeclaration, ChecklistItem
from ._shared import active_task, check_place_in_scope, not_in_future, submit


def declaration_can_withdraw(declaration: BoothDeclaration, *, by: Any = None) -> bool:
    """Whether ``declaration`` may still be withdrawn (it stands) and, when ``by`` is given,
    whether he may withdraw it (the model permission; his scope is the queryset's the
    declaration came from). The services, the declaration's page and the API all ask this."""
    if not declaration.is_standing:
        return False
    return by is None or by.has_perm("tasks17.change_boothdeclaration")


@transaction.atomic
def booth_declare(
    *,
    by: Any,
    booth: Booth,
    declared_on: datetime.date,
    ticked_item_ids: Iterable[int],
    booth_president: Worker | None = None,
    notes: str = "",
) -> BoothDeclaration:
    """Declare a booth corona-free from ``declared_on``.

    The booth is in ``by``'s scope; the date is not in the future (nor, for district users,
    more than ``SEVA_BACKDATE_DAYS`` back); every active checklist item is ticked (else an
    error on ``checklist`` naming the missing ones); the booth has no standing declaration;
    the booth president, when named, is a worker of the booth's district. Stores the points
    as they read now (``[{id, text_en, text_hi}]``), sets ``booth.corona_free_since`` and writes
    the activity of task ``CORONA_FREE_TASK_CODE``, ``{booths_declared: 1}``, origin
    ``booth_declaration``: all or nothing.
    """
    booth = Booth.objects.select_for_update().select_related("assembly_seat").get(pk=booth.pk)
    district_id = booth.assembly_seat.district_id
    errors: Errors = {}
    check_place_in_scope(by, district_id, "booth", errors)
    not_in_future(declared_on, "declared_on", errors)
    items = list(ChecklistItem.objects.active())
    ticked = {int(pk) for pk in ticked_item_ids}
    missing = [item for item in items if item.pk not in ticked]
    if not items:
        errors["checklist"] = _("The state office has not set the corona-free checklist yet.")
    elif missing:
        errors["checklist"] = _("Every point must be met. Not ticked: %(points)s") % {
            "points": "; ".join(item.text for item in missing)
        }
    standing = BoothDeclaration.objects.filter(booth=booth, withdrawn_at__isnull=True).first()
    if standing is not None:
        errors.setdefault(
            "booth",
            _(
                "This booth already stands declared corona-free since %(date)s; "
                "withdraw that declaration first."
            )
            % {"date": date_format(standing.declared_on)},
        )
    if booth_president is not None:
        if booth_president.district_id != district_id:
            errors["booth_president"] = _("The booth president must be a worker of the booth's district.")
        elif booth_president.role != WorkerRole.BOOTH_PRESIDENT or not booth_president.is_active:
            errors["booth_president"] = _("%(name)s is not an active booth president.") % {
                "name": booth_president.name
            }
    task = active_task(CORONA_FREE_TASK_CODE, "task", errors)
    raise_if(errors)
    declaration = BoothDeclaration(
        booth=booth,
        declared_on=declared_on,
        booth_president=booth_president,
        checklist=[{"id": item.pk, "text_en": item.text_en, "text_hi": item.text_hi} for item in items],
        notes=notes or "",
        declared_by=by,
    )
    full_clean_into(
        declaration, errors, exclude=["booth", "booth_president", "declared_by", "activity", "withdrawn_by"]
    )
    raise_if(errors)
    try:
        with transaction.atomic():
            declaration.save()
    except IntegrityError:
        raise ValidationError(
            {"booth": _("This booth has just been declared corona-free by someone else.")}
        ) from None
    booth.corona_free_since = declared_on
    booth.save(update_fields=["corona_free_since"])
    declaration.activity = submit(
        rename={"date": "declared_on", "district": "booth", "assembly_seat": "booth", "values": "checklist"},
        by=by,
        task=task,
        district=booth.assembly_seat.district,
        assembly_seat=booth.assembly_seat,
        booth=booth,
        date=declared_on,
        values={"booths_declared": 1},
        client_uuid=uuid.uuid4(),
        notes=notes or "",
        origin=ActivityOrigin.BOOTH_DECLARATION,
    )
    declaration.save(update_fields=["activity"])
    return declaration


@transaction.atomic
def booth_withdraw(*, by: Any, declaration: BoothDeclaration, reason: str) -> BoothDeclaration:
    """Take back a standing declaration, with a reason (required). The booth is no longer
    corona-free (``corona_free_since`` cleared) and the declaration's activity is marked
    ``withdrawn``, so it stops counting in every figure; both stay in the history. A
    declaration outside ``by``'s scope is a 404."""
    declaration = locked_in_scope(BoothDeclaration, by=by, pk=declaration.pk)
    # The booth too, as booth_declare locks it: one change of its corona-free date at a time.
    booth = Booth.objects.select_for_update().get(pk=declaration.booth_id)
    if not declaration_can_withdraw(declaration):
        raise ValidationError({"status": _("This declaration has already been withdrawn.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the declaration is withdrawn.")})
    declaration.withdrawn_at = timezone.now()
    declaration.withdrawn_by = by
    declaration.withdrawal_reason = reason[:1000]
    declaration.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    booth.corona_free_since = None
    booth.save(update_fields=["corona_free_since"])
    if declaration.activity_id:
        activity_services.activity_withdraw(by=by, activity=declaration.activity)
    return declaration
