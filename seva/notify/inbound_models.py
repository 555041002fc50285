"""SMS in: every message the gateway posts to ``/api/v1/sms/inbound/``, kept once by its
gateway message id (seva/notify/inbound.py). Imported at the end of ``models.py``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from seva.base.scoping import ScopedQuerySet
from seva.geo.models import District
from seva.people.choices import Language
from seva.people.models import Worker
from tasks17.models import Activity


class InboundOutcome(models.TextChoices):
    """What became of an SMS: recorded, or why not."""

    # Accepted from the gateway, to be read by a worker (SMS_INBOUND_ASYNC).
    RECEIVED = "received", _("Received, being read")
    RECORDED = "recorded", _("Recorded")
    UNKNOWN_PHONE = "unknown_phone", _("Unknown number")
    NO_CONSENT = "no_consent", _("Consent withdrawn")
    BAD_FORMAT = "bad_format", _("Not a report")
    UNKNOWN_KEYWORD = "unknown_keyword", _("Unknown keyword")
    BAD_NUMBER = "bad_number", _("Bad number")
    BAD_PLACE = "bad_place", _("Place not in the district")
    REFUSED = "refused", _("Refused by the report's rules")
    # STOP (seva/notify/inbound.py): the sender's consent withdrawn, or already withdrawn.
    OPTED_OUT = "opted_out", _("Opted out by SMS")
    STOP_UNKNOWN = "stop_unknown", _("STOP from an unknown number")


class InboundSms(models.Model):
    """One SMS received from the gateway, with what was done with it and the reply. The
    gateway's ``message_id`` is unique: a message posted again is answered the same way and
    stores nothing new."""

    scope_path = "district"

    message_id = models.CharField(_("gateway message id"), max_length=100, unique=True)
    phone = models.CharField(_("sender's number"), max_length=32)
    text = models.TextField(_("text"), max_length=1600)
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    worker = models.ForeignKey(
        Worker, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("worker")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("report")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=InboundOutcome.choices)
    reply = models.TextField(_("reply"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.HINDI)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("SMS received")
        verbose_name_plural = _("SMS received")
        indexes = [models.Index(fields=["worker", "-received_at"], name="inbound_sms_worker")]

    def __str__(self) -> str:
        return f"{self.phone}: {self.text[:40]} ({self.get_outcome_display()})"

    @property
    def status(self) -> str:
        """The answer to the gateway: ``accepted`` (read later), ``recorded`` (a report, or a
        STOP that found the sender) or ``refused``."""
        if self.outcome == InboundOutcome.RECEIVED:
            return "accepted"
        return (
            "recorded" if self.outcome in (InboundOutcome.RECORDED, InboundOutcome.OPTED_OUT) else "refused"
        )
