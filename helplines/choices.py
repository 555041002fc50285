"""Enumerations of the helplines app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What the caller needs."""

    HOSPITAL_BED = "hospital_bed", _("Hospital bed")
    OXYGEN_BED = "oxygen_bed", _("Oxygen bed")
    ICU = "icu", _("ICU bed")
    VENTILATOR = "ventilator", _("Ventilator")
    OXYGEN_CYLINDER = "oxygen_cylinder", _("Oxygen cylinder")
    MEDICINE = "medicine", _("Medicine")
    AMBULANCE = "ambulance", _("Ambulance")
    BLOOD = "blood", _("Blood")
    PLASMA = "plasma", _("Plasma")
    MEALS = "meals", _("Meals")
    DOCTOR_ADVICE = "doctor_advice", _("Doctor's advice")
    OTHER = "other", _("Other")


# The categories whose request may be met by a donor (blood or plasma matching).
DONOR_CATEGORIES = {Category.BLOOD: "blood", Category.PLASMA: "plasma"}


class Urgency(models.TextChoices):
    """How soon the caller must be helped; each has its SLA in minutes (settings)."""

    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")


# Most urgent first in the queue.
URGENCY_RANK = {Urgency.CRITICAL: 0, Urgency.HIGH: 1, Urgency.NORMAL: 2}


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ASSIGNED = "assigned", _("Assigned")
    RESOLVED = "resolved", _("Resolved")
    UNRESOLVED = "unresolved", _("Unresolved")
    DUPLICATE = "duplicate", _("Duplicate")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses of a request still being worked on (in the queue).
OPEN_STATUSES = (RequestStatus.OPEN, RequestStatus.ASSIGNED)
# Closed statuses that write the helpline task's report (a duplicate or cancelled one does not).
COUNTED_CLOSINGS = (RequestStatus.RESOLVED, RequestStatus.UNRESOLVED)


class Outcome(models.TextChoices):
    """How a resolved request was met. A bed counts as a bed arranged and a medicine as a
    medicine need met in the helpline task's report."""

    BED_ARRANGED = "bed_arranged", _("Bed arranged")
    OXYGEN_SUPPLIED = "oxygen_supplied", _("Oxygen supplied")
    MEDICINE_PROVIDED = "medicine_provided", _("Medicine provided")
    AMBULANCE_SENT = "ambulance_sent", _("Ambulance sent")
    DONOR_FOUND = "donor_found", _("Donor found")
    MEALS_DELIVERED = "meals_delivered", _("Meals delivered")
    ADVICE_GIVEN = "advice_given", _("Advice given")
    OTHER_HELP = "other_help", _("Other help")


class EventKind(models.TextChoices):
    """What happened to a request; every service writes one."""

    CREATED = "created", _("Created")
    ASSIGNED = "assigned", _("Assigned")
    CALLED_BACK = "called_back", _("Called back")
    NOTE = "note", _("Note")
    ESCALATED = "escalated", _("Escalated")
    RESOLVED = "resolved", _("Resolved")
    UNRESOLVED = "unresolved", _("Unresolved")
    DUPLICATE = "duplicate", _("Duplicate")
    CANCELLED = "cancelled", _("Cancelled")
    DONOR_CONTACTED = "donor_contacted", _("Donor contacted")
    PERSONAL_OPENED = "personal_opened", _("Personal details opened")


# Events that count as the first action on a request (its creation and a look do not).
FIRST_ACTION_KINDS = {
    EventKind.ASSIGNED,
    EventKind.CALLED_BACK,
    EventKind.NOTE,
    EventKind.ESCALATED,
    EventKind.RESOLVED,
    EventKind.UNRESOLVED,
    EventKind.DUPLICATE,
    EventKind.CANCELLED,
    EventKind.DONOR_CONTACTED,
}


class FacilityKind(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital")
    COVID_CARE = "covid_care", _("Covid care centre")
    OXYGEN_SUPPLIER = "oxygen_supplier", _("Oxygen supplier")
    PHARMACY = "pharmacy", _("Pharmacy")
    BLOOD_BANK = "blood_bank", _("Blood bank")


class Verification(models.TextChoices):
    """How an availability report was checked."""

    CALLED = "called", _("Called the facility")
    VISITED = "visited", _("Visited")
    BULLETIN = "bulletin", _("Official bulletin")


class BedKind(models.TextChoices):
    """The kinds of free bed an availability report counts (its ``beds_<kind>`` fields)."""

    GENERAL = "general", _("General bed")
    OXYGEN = "oxygen", _("Oxygen bed")
    ICU = "icu", _("ICU bed")
    VENTILATOR = "ventilator", _("Ventilator")
