"""Video conferences of representatives with worker groups, each one report."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from seva.base.services import Errors, full_clean_into, locked_in_scope, merge_errors, model_update, raise_if
from seva.geo.models import District
from seva.people.choices import WorkerRole
from seva.people.models import Worker

from ... import services as activity_services
from ...choices import CONFERENCE_TASK_CODE, ActivityOrigin, ActivityStatus
from ...models import VideoConference
from ._shared import (
    CLIENT_REFERENCE_IN_USE,
    active_task,
    check_place_in_scope,
    not_in_future,
    submit_or_get,
    whole_number,
)

# Who may lead a video conference with a worker group.
REPRESENTATIVE_ROLES = (WorkerRole.MP, WorkerRole.MLA, WorkerRole.STATE_OFFICE_BEARER)

_CONFERENCE_FIELDS = ("representative", "worker_group", "date", "participant_count", "topics", "follow_ups")


def conference_can_change(conference: VideoConference, *, by: Any = None) -> bool:
    """Whether ``conference`` may still be corrected (its report awaits review) and, when ``by``
    is given, whether he may correct it (the model permission; his scope is the queryset's the
    conference came from). The services, the conference's page and the API all ask this."""
    activity = conference.activity
    if activity is not None and activity.status != ActivityStatus.SUBMITTED:
        return False
    return by is None or by.has_perm("tasks17.change_videoconference")


def _check_conference(
    by: Any, conference: VideoConference, participants: list[Worker], errors: Errors
) -> dict[str, int]:
    """The rules of a conference; returns its activity's numbers."""
    check_place_in_scope(by, conference.district_id, "district", errors)
    rep = conference.representative if conference.representative_id else None
    if rep is not None:
        if rep.role not in REPRESENTATIVE_ROLES:
            errors["representative"] = _(
                "The representative must be an MP, an MLA or a state office-bearer; %(name)s is a %(role)s."
            ) % {"name": rep.name, "role": rep.get_role_display()}
        elif not rep.is_active:
            errors["representative"] = _("%(name)s is no longer an active worker.") % {"name": rep.name}
        elif not Worker.objects.visible_to(by).filter(pk=rep.pk).exists():
            errors["representative"] = _("This worker is not in your scope.")
    visible = set(
        Worker.objects.visible_to(by).filter(pk__in=[w.pk for w in participants]).values_list("pk", flat=True)
    )
    if any(w.pk not in visible for w in participants):
        errors["participants"] = _("Some of the workers are not in your scope.")
    elif any(w.district_id != conference.district_id or not w.is_active for w in participants):
        errors["participants"] = _(
            "The workers taking part must be active workers of the conference's district."
        )
    not_in_future(conference.date, "date", errors)
    count = whole_number(conference.participant_count)
    if count is None or count < 1:
        errors["participant_count"] = _("Say how many workers took part (at least one).")
    elif count < len(participants):
        errors["participant_count"] = _(
            "%(count)s is fewer than the %(registered)s registered workers named as taking part."
        ) % {"count": count, "registered": len(participants)}
    full_clean_into(
        conference, errors, exclude=["activity", "created_by", "representative", "district", *errors]
    )
    return {"meetings": 1, "participants": count or 0}


@transaction.atomic
def conference_record_or_get(
    *,
    by: Any,
    representative: Worker,
    district: District,
    worker_group: str,
    date: datetime.date,
    participant_count: int,
    topics: str,
    participants: Iterable[Worker] = (),
    follow_ups: str = "",
    client_uuid: uuid.UUID | None = None,
) -> tuple[VideoConference, bool]:
    """Record a representative's video conference with a group of workers, and say whether it
    is new (``False`` when the same ``client_uuid`` was already recorded: nothing is added).

    The representative is a worker in ``by``'s scope with role MP, MLA or state office-bearer
    (else an error on ``representative``); the district is in scope; the date is not in the
    future; ``participants`` are registered workers in scope, and ``participant_count`` (all who
    took part) is at least 1 and at least their number. Writes the activity of task
    ``CONFERENCE_TASK_CODE``, ``{meetings: 1, participants: participant_count}``, with origin
    ``conference`` and ``client_uuid`` (from the sender, else a new one).

    A resend is recognised by the report service (``activity_submit_or_get``: sent twice, or
    twice at once, stored once; someone else's reference refused unrevealed): its conference is
    the one answered. A reference naming a report no conference wrote is refused.
    """
    participants = list(participants)
    conference = VideoConference(
        representative=representative,
        district=district,
        worker_group=worker_group,
        date=date,
        participant_count=participant_count,
        topics=topics,
        follow_ups=follow_ups or "",
        created_by=by,
    )
    errors: Errors = {}
    values = _check_conference(by, conference, participants, errors)
    task = active_task(CONFERENCE_TASK_CODE, "task", errors)
    raise_if(errors)
    activity, created = submit_or_get(
        rename={"values": "participant_count"},
        by=by,
        task=task,
        district=district,
        date=date,
        values=values,
        client_uuid=client_uuid or uuid.uuid4(),
        notes=worker_group,
        origin=ActivityOrigin.CONFERENCE,
    )
    if not created:
        stored = VideoConference.objects.filter(activity=activity).first()
        if stored is None:
            raise ValidationError({"client_uuid": CLIENT_REFERENCE_IN_USE})
        return stored, False
    conference.activity = activity
    conference.save()
    conference.participants.set(participants)
    return conference, True


def conference_record(**kwargs: Any) -> VideoConference:
    """:func:`conference_record_or_get`, returning only the conference."""
    return conference_record_or_get(**kwargs)[0]


@transaction.atomic
def conference_update(
    *,
    by: Any,
    conference: VideoConference,
    data: dict[str, Any],
    participants: Iterable[Worker] | None = None,
) -> VideoConference:
    """Correct a conference while its activity awaits review (same rules as recording it);
    the activity's numbers follow through ``services.activity_update``. The district stays.
    A conference outside ``by``'s scope is a 404."""
    conference = locked_in_scope(VideoConference, by=by, pk=conference.pk)
    if data.get("district") is not None and data["district"].pk != conference.district_id:
        raise ValidationError({"district": _("The district of a conference cannot change.")})
    if not conference_can_change(conference):
        raise ValidationError(
            {"status": _("Its report has been reviewed: the conference can no longer be changed.")}
        )
    blanks = {"follow_ups": ""} if "follow_ups" in data and data["follow_ups"] is None else {}
    model_update(conference, {**data, **blanks}, _CONFERENCE_FIELDS)
    chosen = list(participants) if participants is not None else list(conference.participants.all())
    errors: Errors = {}
    values = _check_conference(by, conference, chosen, errors)
    raise_if(errors)
    conference.save()
    conference.participants.set(chosen)
    activity = conference.activity
    if activity is not None:
        try:
            activity_services.activity_update(
                by=by,
                activity=activity,
                task=activity.task,
                date=conference.date,
                values=values,
                assembly_seat=activity.assembly_seat,
                notes=conference.worker_group,
                _from_record=True,
            )
        except ValidationError as error:
            errors = {}
            merge_errors(errors, error, {"values": "participant_count"})
            raise ValidationError(errors) from None
    return conference
