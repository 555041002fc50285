"""The outbox and what fills it.

A message is first a :class:`Notification` row, written by a rule, a broadcast or an SMS reply
in the recipient's language, with a unique ``dedup_key`` (rule, recipient, what it is about):
writing the same message twice is a no-op, whoever writes it and however often. A Celery task
then delivers the row (``delivery.py``) and marks it; a beat job re-queues rows left queued, so
a broker outage delays messages and loses none (docs/notify.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from seva.base.scoping import ScopedQuerySet, user_scope
from seva.geo.models import District
from seva.people.choices import Language
from seva.people.models import Worker
from tasks17.models import Donor

from .choices import Audience, BroadcastStatus, Channel, Status


class NotificationQuerySet(ScopedQuerySet):
    def to_user(self, user: Any) -> NotificationQuerySet:
        """Messages sent to ``user``: as a user, or to the worker record he is."""
        worker_id = getattr(getattr(user, "profile", None), "worker_id", None)
        condition = Q(user_id=user.pk)
        if worker_id:
            condition |= Q(worker_id=worker_id)
        return self.filter(condition)


class BroadcastQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> BroadcastQuerySet:
        """The state office sees every broadcast; a district user those sent to his district."""
        scope = user_scope(user)
        if scope.everything:
            return self
        if scope.district_id is None:
            return self.none()
        return self.filter(districts=scope.district_id).distinct()


class Broadcast(models.Model):
    """A message written by state staff (or a coordinator, for his district) to a role in chosen
    districts. Its notifications carry it; their statuses are its delivery."""

    text = models.TextField(_("message"), max_length=1000)
    audience = models.CharField(_("send to"), max_length=20, choices=Audience.choices)
    skill = models.CharField(
        _("skill"), max_length=60, blank=True, help_text=_("Only workers whose skills mention this.")
    )
    districts = models.ManyToManyField(District, related_name="+", verbose_name=_("districts"))
    status = models.CharField(
        _("status"), max_length=10, choices=BroadcastStatus.choices, default=BroadcastStatus.SENDING
    )
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = BroadcastQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")

    def __str__(self) -> str:
        return f"{self.get_audience_display()}: {self.text[:40]}"


class Notification(models.Model):
    """One message to one recipient (a worker, a user or a donor) over one channel."""

    scope_path = "district"

    # The recipient's keys are indexed by the partial indexes below (with the time), not by
    # Django's default index on each: every index is written again when a row's status moves.
    worker = models.ForeignKey(
        Worker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("worker"),
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
        db_index=False,
    )
    donor = models.ForeignKey(
        Donor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("donor"),
        db_index=False,
    )
    name = models.CharField(_("recipient"), max_length=120, blank=True)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    address = models.CharField(_("sent to"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    kind = models.CharField(_("kind"), max_length=40, help_text=_("The rule that wrote it, or broadcast."))
    broadcast = models.ForeignKey(
        Broadcast,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("broadcast"),
        db_index=False,
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    parts = models.PositiveSmallIntegerField(_("SMS parts"), default=0)
    urgent = models.BooleanField(
        _("urgent"), default=False, help_text=_("Sent in quiet hours and past the daily limit.")
    )
    dedup_key = models.CharField(_("dedup key"), max_length=200, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    reason = models.CharField(
        _("reason"), max_length=300, blank=True, help_text=_("Why it was not sent, or why it failed.")
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    provider_id = models.CharField(_("gateway reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True, db_index=True)
    send_after = models.DateTimeField(_("not before"), null=True, blank=True)
    enqueued_at = models.DateTimeField(_("handed to the queue"), null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    sending_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        permissions = [("resend_notification", _("Can resend a failed message"))]
        # Few indexes, partial where a column is mostly empty: a delivery moves each row's
        # status twice, and every index is written again each time (bench/README.md, "Fan-out").
        indexes = [
            # The re-queue job and the stale-sending check.
            models.Index(fields=["status", "send_after"], name="notification_status_due"),
            models.Index(
                fields=["broadcast", "status"],
                name="notification_broadcast",
                condition=Q(broadcast__isnull=False),
            ),
            models.Index(
                fields=["worker", "-created_at"],
                name="notification_worker",
                condition=Q(worker__isnull=False),
            ),
            models.Index(
                fields=["user", "-created_at"], name="notification_user", condition=Q(user__isnull=False)
            ),
            models.Index(
                fields=["donor", "-created_at"], name="notification_donor", condition=Q(donor__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.name or self.address} ({self.get_status_display()})"


class RuleState(models.Model):
    """A rule's memory: when it last ran (event rules read what happened since) and the options
    the state office set for it. When a rule runs is beat's schedule (the admin's periodic
    tasks), not this."""

    code = models.CharField(_("rule"), max_length=40, unique=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    options = models.JSONField(
        _("options"),
        default=dict,
        blank=True,
        help_text=_('For the evening reminder: {"booth_presidents": true} reminds booth presidents too.'),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")

    def __str__(self) -> str:
        return self.code


from .inbound_models import InboundOutcome, InboundSms  # noqa: E402, F401 - SMS in (inbound.py)
