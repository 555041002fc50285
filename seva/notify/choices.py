"""Enumerations of the notify app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class Status(models.TextChoices):
    """Where a message is. ``uncertain``: a worker died while sending it through a gateway that
    takes no idempotency key, so it may have gone: the state admin checks before resending."""

    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SUPPRESSED = "suppressed", _("Not sent")
    UNCERTAIN = "uncertain", _("To check")


class Audience(models.TextChoices):
    """Whom a broadcast goes to."""

    COORDINATORS = "coordinators", _("District coordinators")
    BOOTH_PRESIDENTS = "booth_presidents", _("Booth presidents")
    WORKERS = "workers", _("Workers (with a skill, if given)")
    DONORS = "donors", _("Donors who agreed to be contacted")


class BroadcastStatus(models.TextChoices):
    SENDING = "sending", _("Being written")
    DONE = "done", _("Handed to delivery")
