"""Enumerations of the tasks app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityStatus(models.TextChoices):
    """Where a report stands: as sent, checked and accepted, sent back, or withdrawn by the
    record that wrote it (a corona-free declaration taken back). Only the first two count."""

    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The statuses whose numbers count in every figure ("reported"); "verified" is the subset.
COUNTED_STATUSES = (ActivityStatus.SUBMITTED, ActivityStatus.VERIFIED)


class ActivityOrigin(models.TextChoices):
    """What wrote a report: a person through the report form or API, or one of the special
    records (which then own it: it is corrected through that record, not directly)."""

    REPORT = "report", _("Report")
    CAMP = "camp", _("Donation camp")
    CONFERENCE = "conference", _("Video conference")
    BOOTH_DECLARATION = "booth_declaration", _("Corona-free declaration")
    HELPLINE = "helpline", _("Helpline request")
    SMS = "sms", _("SMS from a worker")


# What a person sends (through a form, the API or an SMS from his phone): refused for a task
# fed by its records, rejected in review rather than withdrawn.
TYPED_ORIGINS = (ActivityOrigin.REPORT, ActivityOrigin.SMS)


class CampKind(models.TextChoices):
    BLOOD = "blood", _("Blood")
    PLASMA = "plasma", _("Plasma")


class CampStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


# The task each kind of camp feeds (codes of the shipped catalogue, TASKS.md).
CAMP_TASK_CODES = {CampKind.BLOOD: "blood-camp", CampKind.PLASMA: "plasma-camp"}
CONFERENCE_TASK_CODE = "representative-meetings"
CORONA_FREE_TASK_CODE = "corona-free-booth"
