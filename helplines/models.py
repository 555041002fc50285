"""Helplines, their members and shifts, help requests with their timeline, facilities and
their availability reports.

Scope (``visible_to``) follows membership as well as districts: an operator sees his
helplines' requests whatever the caller's district (a Patna centre takes Gaya's calls), a
district user sees his district's requests, state users see everything. See docs/helplines.md.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from seva.base.scoping import ScopedQuerySet, user_scope
from seva.geo.models import District
from seva.people.choices import BloodGroup
from seva.people.models import Worker
from seva.people.phones import MobileNumberField
from tasks17.models import Activity

from .choices import (
    OPEN_STATUSES,
    Category,
    EventKind,
    FacilityKind,
    Outcome,
    RequestStatus,
    Urgency,
    Verification,
)


def member_helplines(user: Any) -> Any:
    """The ids of the helplines ``user`` is a member of (a subquery)."""
    if not getattr(user, "is_authenticated", False):
        return HelplineMember.objects.none().values("helpline_id")
    return HelplineMember.objects.filter(user_id=user.pk).values("helpline_id")


def served_by_member_helplines(user: Any) -> Any:
    """The ids of the districts the helplines of ``user`` serve (a subquery)."""
    return Helpline.districts.through.objects.filter(helpline_id__in=member_helplines(user)).values(
        "district_id"
    )


class HelplineQuerySet(ScopedQuerySet):
    def visible_to(self, user: Any) -> HelplineQuerySet:
        """State users: all. Others: the helplines they belong to, of their district, or
        serving it."""
        scope = user_scope(user)
        if scope.everything:
            return self
        if scope.nothing:
            return self.none()
        serving = Helpline.districts.through.objects.filter(district_id=scope.district_id).values(
            "helpline_id"
        )
        return self.filter(
            Q(pk__in=member_helplines(user)) | Q(district_id=scope.district_id) | Q(pk__in=serving)
        )


class Helpline(models.Model):
    """A 24×7 (or timed) helpline at a city centre, with the districts whose calls it takes."""

    scope_path = "district"

    name = models.CharField(_("name"), max_length=120)
    city = models.CharField(_("city"), max_length=80)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="helplines",
        verbose_name=_("district"),
        help_text=_("Where the centre is; its calls count for this district's helpline task."),
    )
    districts = models.ManyToManyField(
        District, related_name="served_by_helplines", verbose_name=_("districts served"), blank=True
    )
    phones = models.CharField(
        _("phone numbers"), max_length=200, help_text=_("The numbers callers dial, separated by commas.")
    )
    is_24x7 = models.BooleanField(_("open 24×7"), default=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = HelplineQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("helpline")
        verbose_name_plural = _("helplines")

    def __str__(self) -> str:
        return self.name

    @property
    def phone_list(self) -> list[str]:
        return [phone.strip() for phone in self.phones.split(",") if phone.strip()]

    def clean(self) -> None:
        if not self.is_24x7 and (self.opens_at is None or self.closes_at is None):
            raise ValidationError({"opens_at": _("Give the opening and closing times, or tick 24×7.")})

    def serves(self, district_id: int) -> bool:
        """Whether this helpline takes calls for ``district_id`` (its own district always)."""
        return district_id == self.district_id or self.districts.filter(pk=district_id).exists()


class HelplineMember(models.Model):
    """A user working at a helpline: an operator, or its lead (manages shifts)."""

    scope_path = "helpline__district"

    helpline = models.ForeignKey(Helpline, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpline_memberships"
    )
    is_lead = models.BooleanField(_("lead"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("helpline member")
        verbose_name_plural = _("helpline members")
        constraints = [models.UniqueConstraint(fields=["helpline", "user"], name="helpline_member_once")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.helpline}"


class ShiftQuerySet(ScopedQuerySet):
    def visible_to(self, user: Any) -> ShiftQuerySet:
        return self.filter(helpline__in=Helpline.objects.visible_to(user))

    def overlapping(self, start: datetime.datetime, end: datetime.datetime) -> ShiftQuerySet:
        """Shifts sharing some time with ``[start, end)`` (touching ends do not overlap)."""
        return self.filter(start__lt=end, end__gt=start)


class Shift(models.Model):
    """An operator's turn at a helpline. One operator's shifts never overlap
    (``services.shift_create`` checks under a lock on the operator's row, on any database)."""

    scope_path = "helpline__district"

    helpline = models.ForeignKey(
        Helpline, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("helpline")
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="helpline_shifts",
        verbose_name=_("operator"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    objects = ShiftQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        indexes = [models.Index(fields=["operator", "start"], name="shift_operator_start")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="shift_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.operator} {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"


class RequestCounter(models.Model):
    """The last reference number given in a district (``PAT-0042``). Taken under a row lock,
    only ever counted up, so a number is never given twice or reused."""

    district = models.OneToOneField(District, on_delete=models.CASCADE, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.district_id}: {self.last}"


class HelpRequestQuerySet(ScopedQuerySet):
    def visible_to(self, user: Any) -> HelpRequestQuerySet:
        """State users: all. Others: the requests of their helplines (any district) and of
        their own district."""
        scope = user_scope(user)
        if scope.everything:
            return self
        if scope.nothing:
            return self.none()
        return self.filter(Q(helpline__in=member_helplines(user)) | Q(district_id=scope.district_id))

    def open(self) -> HelpRequestQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def queue_order(self) -> HelpRequestQuerySet:
        """Most urgent first, then the longest waiting."""
        rank = models.Case(
            models.When(urgency=Urgency.CRITICAL, then=0),
            models.When(urgency=Urgency.HIGH, then=1),
            default=2,
            output_field=models.IntegerField(),
        )
        return self.annotate(urgency_rank=rank).order_by("urgency_rank", "created_at", "id")


class HelpRequest(models.Model):
    """A caller's request for help, with its timeline (``events``).

    ``reference`` (``PAT-0042``) is what the caller quotes on the next call. Every change is a
    service in ``helplines/services.py`` that writes a :class:`RequestEvent` in the same
    transaction. ``first_action_at`` is the first event after creation that acted on it;
    ``resolved_at`` is when it was closed (any closing status). Closing as resolved or
    unresolved writes the helpline task's report (``activity``).
    """

    scope_path = "district"

    reference = models.CharField(_("reference"), max_length=12, unique=True)
    helpline = models.ForeignKey(
        Helpline, on_delete=models.PROTECT, related_name="requests", verbose_name=_("helpline")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="help_requests", verbose_name=_("district")
    )
    caller_name = models.CharField(_("caller's name"), max_length=120)
    caller_phone = MobileNumberField(_("caller's mobile number"))
    caller_shares_phone = models.BooleanField(
        _("caller agrees to share his number with the worker"),
        default=False,
        help_text=_("Only then does the assigned worker's message carry the caller's number."),
    )
    patient_name = models.CharField(_("patient's name"), max_length=120, blank=True)
    patient_age = models.PositiveSmallIntegerField(_("patient's age"), null=True, blank=True)
    blood_group = models.CharField(
        _("patient's blood group"), max_length=3, choices=BloodGroup.choices, blank=True
    )
    category = models.CharField(_("need"), max_length=20, choices=Category.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    details = models.TextField(_("details"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    assigned_to = models.ForeignKey(
        Worker,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="help_requests",
        verbose_name=_("assigned to"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("duplicate of"),
    )
    escalated = models.BooleanField(_("escalated"), default=False)
    activity = models.OneToOneField(
        Activity, on_delete=models.PROTECT, null=True, blank=True, related_name="help_request", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("taken by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    first_action_at = models.DateTimeField(_("first action"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = HelpRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        indexes = [
            models.Index(fields=["status", "urgency", "created_at"], name="helprequest_queue"),
            models.Index(fields=["caller_phone", "status"], name="helprequest_caller_status"),
            models.Index(fields=["district", "created_at"], name="helprequest_district_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(patient_age__isnull=True) | Q(patient_age__lte=120),
                name="helprequest_age_at_most_120",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def sla_minutes(self) -> int:
        return sla_minutes(self.urgency)

    def waited(self, now: datetime.datetime | None = None) -> datetime.timedelta:
        """How long the caller has waited (until closing, for a closed request)."""
        end = self.resolved_at or now or timezone.now()
        return end - self.created_at

    def is_past_sla(self, now: datetime.datetime | None = None) -> bool:
        """Whether the request waited longer than its urgency's SLA for a first action."""
        acted = self.first_action_at or now or timezone.now()
        return acted - self.created_at > datetime.timedelta(minutes=self.sla_minutes())


def sla_minutes(urgency: str) -> int:
    """The minutes within which a request of ``urgency`` must get its first action."""
    return int(settings.SEVA_HELPLINE_SLA_MINUTES[Urgency(urgency)])


class RequestEventQuerySet(ScopedQuerySet):
    def visible_to(self, user: Any) -> RequestEventQuerySet:
        return self.filter(request__in=HelpRequest.objects.visible_to(user))


class RequestEvent(models.Model):
    """One step in a request's timeline: who did what when, a note, and its data."""

    scope_path = "request__district"

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=20, choices=EventKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    objects = RequestEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self) -> str:
        return f"{self.request} {self.kind}"


class FacilityQuerySet(ScopedQuerySet):
    def visible_to(self, user: Any) -> FacilityQuerySet:
        """State users: all. Others: their district's and those of the districts their
        helplines serve (an operator finds beds for every district he takes calls for)."""
        scope = user_scope(user)
        if scope.everything:
            return self
        if scope.nothing:
            return self.none()
        return self.filter(
            Q(district_id=scope.district_id)
            | Q(district_id__in=served_by_member_helplines(user))
            | Q(district_id__in=Helpline.objects.filter(pk__in=member_helplines(user)).values("district_id"))
        )


class Facility(models.Model):
    """A hospital, Covid care centre, oxygen supplier, pharmacy or blood bank."""

    scope_path = "district"

    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=FacilityKind.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("district")
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = FacilityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        return self.name


class AvailabilityReportQuerySet(ScopedQuerySet):
    def visible_to(self, user: Any) -> AvailabilityReportQuerySet:
        return self.filter(facility__in=Facility.objects.visible_to(user))


class AvailabilityReport(models.Model):
    """What a facility had free at a time, who reported it and how it was checked."""

    scope_path = "facility__district"

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="reports", verbose_name=_("facility")
    )
    reported_at = models.DateTimeField(_("as of"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    verification = models.CharField(_("how verified"), max_length=10, choices=Verification.choices)
    beds_general = models.PositiveIntegerField(_("general beds free"), default=0)
    beds_oxygen = models.PositiveIntegerField(_("oxygen beds free"), default=0)
    beds_icu = models.PositiveIntegerField(_("ICU beds free"), default=0)
    beds_ventilator = models.PositiveIntegerField(_("ventilators free"), default=0)
    oxygen_cylinders = models.PositiveIntegerField(_("oxygen cylinders"), default=0)
    medicines = models.CharField(
        _("medicines in stock"), max_length=500, blank=True, help_text=_("Names, separated by commas.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AvailabilityReportQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("availability report")
        verbose_name_plural = _("availability reports")
        indexes = [models.Index(fields=["facility", "-reported_at"], name="availability_latest")]

    def __str__(self) -> str:
        return f"{self.facility} @ {self.reported_at:%Y-%m-%d %H:%M}"

    @property
    def beds_free(self) -> dict[str, int]:
        return {
            "general": self.beds_general,
            "oxygen": self.beds_oxygen,
            "icu": self.beds_icu,
            "ventilator": self.beds_ventilator,
        }

    def is_stale(self, now: datetime.datetime | None = None) -> bool:
        age = (now or timezone.now()) - self.reported_at
        return age > datetime.timedelta(hours=settings.SEVA_AVAILABILITY_STALE_HOURS)
