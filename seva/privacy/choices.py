"""The kinds of person a consent is about, what it is for, and how it was given."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentSubject(models.TextChoices):
    """Whose consent: a worker (``people.Worker``), a donor (``tasks17.Donor``) or a caller
    (``helplines.HelpRequest``: a caller has no row of his own, so his request is the subject)."""

    WORKER = "worker", _("worker")
    DONOR = "donor", _("donor")
    CALLER = "caller", _("caller")


class ConsentPurpose(models.TextChoices):
    """What the person agreed to (or took back)."""

    CAMPAIGN_CONTACT = "campaign_contact", _("Contact for campaign work (reminders, assignments)")
    DONATION_MATCHING = "donation_matching", _("Blood and plasma donation: matching and calls")
    CALLER_PHONE_SHARED = "caller_phone_shared", _("Helpline follow-up: his number shared with the worker")


class ConsentChannel(models.TextChoices):
    """How the consent reached the portal."""

    PORTAL = "portal", _("Recorded in the portal (page, API or spreadsheet)")
    PHONE_CALL = "phone_call", _("Said on a call to the helpline")
    SMS = "sms", _("By SMS")
