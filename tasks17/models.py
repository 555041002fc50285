"""The campaign's tasks and what is reported against them.

``Task`` and ``Metric`` are the catalogue, data the state office edits (TASKS.md): adding a
task or a metric needs no migration, and retiring one hides it from new reports while its
history stays in every figure. ``Activity`` is one report (task, place, date, who) with its
numbers in ``ActivityValue`` rows: the one long, narrow fact table every screen writes
through ``services.activity_submit``. ``Target`` is what a district should reach for a metric
in a period.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from seva.base.scoping import ScopedQuerySet, user_scope
from seva.geo.models import AssemblySeat, Booth, District, Mandal
from seva.people.choices import BloodGroup, Language
from seva.people.models import Worker
from seva.people.phones import MobileNumberField

from .choices import ActivityOrigin, ActivityStatus, CampKind, CampStatus


def _in_hindi() -> bool:
    return (get_language() or "en").startswith("hi")


# --- SMS keywords -----------------------------------------------------------------------------
# A worker without a smartphone reports by SMS: ``SEVA MASKS 500`` (seva/notify/inbound.py).
# The words are data on tasks and metrics, set by the state office in the admin: one word
# (letters only, Hindi or English), unique among all tasks' and metrics' keywords, in either
# language, without regard to case.

SMS_PREFIXES = ("SEVA", "सेवा")
# An SMS that is only one of these (after the optional prefix) withdraws the sender's consent
# (seva/notify/inbound.py, docs/privacy.md): never a keyword.
SMS_STOP_WORDS = ("STOP", "रोकें", "रोको", "बंद")
SMS_KEYWORD_FIELDS = ("sms_keyword", "sms_keyword_hi")
_SMS_KEYWORD_HELP = _(
    "One word a worker sends by SMS, e.g. SEVA MASKS 500 (letters only; used by no other task or metric)."
)


def normalise_sms_keyword(word: str) -> str:
    """The form keywords are compared in: no spaces, upper case (Hindi has no case)."""
    return (word or "").strip().upper()


def _validate_sms_keyword(value: str) -> None:
    word = normalise_sms_keyword(value)
    if word and not all(ch.isalpha() or unicodedata.category(ch).startswith("M") for ch in word):
        raise ValidationError(_("A keyword is one word of letters: no spaces, digits or signs."))
    if word in SMS_PREFIXES:
        raise ValidationError(_("SEVA starts every SMS: it cannot be a keyword."))
    if word in SMS_STOP_WORDS:
        raise ValidationError(_("STOP and its Hindi forms withdraw consent by SMS: they cannot be keywords."))


def sms_keyword_clashes(instance: models.Model) -> dict[str, Any]:
    """Errors for ``instance``'s keywords (a task or a metric) that another task or metric,
    or its own other keyword, already uses (case ignored)."""
    errors: dict[str, Any] = {}
    mine = {name: normalise_sms_keyword(getattr(instance, name)) for name in SMS_KEYWORD_FIELDS}
    if mine["sms_keyword"] and mine["sms_keyword"] == mine["sms_keyword_hi"]:
        errors["sms_keyword_hi"] = _("Give a different word, or leave it empty.")
    for name, word in mine.items():
        if not word or name in errors:
            continue
        for model in (Task, Metric):
            others = model.objects.all()
            if isinstance(instance, model) and instance.pk:
                others = others.exclude(pk=instance.pk)
            condition = models.Q(sms_keyword__iexact=word) | models.Q(sms_keyword_hi__iexact=word)
            clash = others.filter(condition).first()
            if clash is not None:
                errors[name] = _("The SMS keyword “%(word)s” is already used by %(other)s.") % {
                    "word": word,
                    "other": clash,
                }
                break
    return errors


def _keyword_constraints(prefix: str) -> list[models.UniqueConstraint]:
    return [
        models.UniqueConstraint(
            Upper(name),
            condition=~models.Q(**{name: ""}),
            name=f"{prefix}_unique_{name}",
            violation_error_message=_("This SMS keyword is already used."),
        )
        for name in SMS_KEYWORD_FIELDS
    ]


class CatalogueQuerySet(ScopedQuerySet):
    """The catalogue is the same for everyone signed in: only users with no scope see nothing."""

    def visible_to(self, user: Any) -> CatalogueQuerySet:
        return self.none() if user_scope(user).nothing else self

    def active(self) -> CatalogueQuerySet:
        return self.filter(is_active=True)


class Task(models.Model):
    """One of the campaign's tasks (the national president's 17-point list, as far as known).

    ``code`` is the stable key used by the API, exports and imports; ``number`` is the point's
    number in the list, blank for tasks the state office has not placed in it. ``source`` says
    which public report names the task: the portal never invents one.
    """

    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_hi = models.CharField(_("title (Hindi)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_hi = models.TextField(_("description (Hindi)"), blank=True)
    source = models.TextField(
        _("source"), help_text=_("The public report or web address that names this task.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active tasks can be reported against.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    fed_by_records = models.BooleanField(
        _("fed by its records"),
        default=False,
        help_text=_(
            "Its figures come only from its records (camps, conferences, declarations, help "
            "requests): nobody may type a report for it."
        ),
    )
    sms_keyword = models.CharField(
        _("SMS keyword"),
        max_length=30,
        blank=True,
        validators=[_validate_sms_keyword],
        help_text=_(
            "Followed by numbers, fills the task's metrics in their order: SEVA MEALS 500 120. "
            "Letters only; not used by any other task or metric."
        ),
    )
    sms_keyword_hi = models.CharField(
        _("SMS keyword (Hindi)"), max_length=30, blank=True, validators=[_validate_sms_keyword]
    )

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["position", "number", "code"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.UniqueConstraint(fields=["number"], name="task_unique_number"),
            *_keyword_constraints("task"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title

    def clean(self) -> None:
        self.sms_keyword = normalise_sms_keyword(self.sms_keyword)
        self.sms_keyword_hi = normalise_sms_keyword(self.sms_keyword_hi)
        errors = sms_keyword_clashes(self)
        if errors:
            raise ValidationError(errors)

    @property
    def title(self) -> str:
        """The title in the active language (English while the Hindi one is blank)."""
        return self.title_hi if _in_hindi() and self.title_hi else self.title_en

    @property
    def description(self) -> str:
        return self.description_hi if _in_hindi() and self.description_hi else self.description_en


class Metric(models.Model):
    """What is counted for a task (``households``, ``masks``): a whole number with a unit.

    ``code`` is unique within its task. ``max_per_report`` is a sanity limit for one report,
    so that a slip of the thumb (an extra zero or two) is caught at entry.
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="metrics", verbose_name=_("task"))
    code = models.SlugField(_("code"), max_length=60)
    label_en = models.CharField(_("label (English)"), max_length=120)
    label_hi = models.CharField(_("label (Hindi)"), max_length=120, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=40, blank=True)
    unit_hi = models.CharField(_("unit (Hindi)"), max_length=40, blank=True)
    max_per_report = models.PositiveIntegerField(
        _("most in one report"), default=10000, validators=[MinValueValidator(1)]
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    sms_keyword = models.CharField(
        _("SMS keyword"),
        max_length=30,
        blank=True,
        validators=[_validate_sms_keyword],
        help_text=_SMS_KEYWORD_HELP,
    )
    sms_keyword_hi = models.CharField(
        _("SMS keyword (Hindi)"), max_length=30, blank=True, validators=[_validate_sms_keyword]
    )

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["task", "position", "code"]
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")
        constraints = [
            models.UniqueConstraint(fields=["task", "code"], name="metric_unique_code_in_task"),
            *_keyword_constraints("metric"),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        self.sms_keyword = normalise_sms_keyword(self.sms_keyword)
        self.sms_keyword_hi = normalise_sms_keyword(self.sms_keyword_hi)
        errors = sms_keyword_clashes(self)
        if errors:
            raise ValidationError(errors)

    @property
    def label(self) -> str:
        return self.label_hi if _in_hindi() and self.label_hi else self.label_en

    @property
    def unit(self) -> str:
        return self.unit_hi if _in_hindi() and self.unit_hi else self.unit_en


class Target(models.Model):
    """What a district should reach for one metric of a task within a period. State staff
    correct the number (``services.target_update``); the history keeps every earlier one."""

    scope_path = "district"

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="targets", verbose_name=_("task"))
    metric = models.ForeignKey(
        Metric, on_delete=models.PROTECT, related_name="targets", verbose_name=_("metric")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="task_targets", verbose_name=_("district")
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    value = models.PositiveIntegerField(_("target"), validators=[MinValueValidator(1)])

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["task__position", "metric__position", "district__position", "period_start"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "district", "period_start", "period_end"], name="target_unique_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric} · {self.district} · {self.period_start}–{self.period_end}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.metric_id and self.task_id and self.metric.task_id != self.task_id:
            errors["metric"] = _("This metric belongs to another task.")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The end of the period cannot be before its start.")
        if errors:
            raise ValidationError(errors)


class ActivityQuerySet(ScopedQuerySet):
    def for_listing(self) -> ActivityQuerySet:
        """Everything a list shows, fetched in a fixed number of queries."""
        return self.select_related(
            "task", "district", "assembly_seat", "mandal", "booth", "reported_by", "reporter_worker"
        ).prefetch_related(models.Prefetch("values", ActivityValue.objects.select_related("metric")))


class Activity(models.Model):
    """One report of work done for a task: where (district, optionally seat, mandal, booth),
    when, by whom, and its numbers (``values``, one row per metric).

    ``client_uuid`` is made by the sending form or phone, so a report sent twice over a weak
    network is stored once. Reports are reviewed: submitted, then verified or rejected.
    """

    scope_path = "district"

    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, related_name="activities", verbose_name=_("task")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="activities", verbose_name=_("district")
    )
    assembly_seat = models.ForeignKey(
        AssemblySeat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("assembly seat"),
    )
    mandal = models.ForeignKey(
        Mandal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("mandal"),
    )
    booth = models.ForeignKey(
        Booth,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("booth"),
    )
    date = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reported_activities",
        verbose_name=_("reported by"),
    )
    # A worker without an account who reported by SMS (``reported_by`` is then the system
    # user "sms-gateway", which nobody signs in as).
    reporter_worker = models.ForeignKey(
        Worker,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_activities",
        verbose_name=_("reported by worker"),
    )
    client_uuid = models.UUIDField(_("client reference"), unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActivityStatus.choices, default=ActivityStatus.SUBMITTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_activities",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True, max_length=1000)
    numbers = models.JSONField(
        _("numbers"),
        default=dict,
        editable=False,
        help_text=_("A copy of the numbers as last saved, kept so the change history shows them."),
    )
    origin = models.CharField(
        _("written by"), max_length=24, choices=ActivityOrigin.choices, default=ActivityOrigin.REPORT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        permissions = [("review_activity", _("Can verify or reject activity reports"))]
        indexes = [
            models.Index(fields=["district", "date"], name="activity_district_date"),
            models.Index(fields=["task", "date"], name="activity_task_date"),
            # The lists' order: without it a state-wide list sorts every report (bench/README).
            models.Index(fields=["-date", "-id"], name="activity_date_id"),
            models.Index(fields=["status", "date"], name="activity_status_date"),
            # A reporter's own reports by status (the landing page's "sent back to you"): the
            # district's index walks every report of his district for the month.
            models.Index(fields=["reported_by", "status", "date"], name="activity_reporter_status"),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.district} · {self.date}"

    def get_absolute_url(self) -> str:
        return reverse("tasks17:activity-detail", args=[self.pk])

    def clean(self) -> None:
        """The place must lie inside the district: seat in district, mandal and booth in seat."""
        errors: dict[str, Any] = {}
        if self.booth_id and not self.assembly_seat_id:
            # A booth names its seat: fill it in rather than ask for it twice.
            self.assembly_seat_id = self.booth.assembly_seat_id
        seat = self.assembly_seat if self.assembly_seat_id else None
        if seat is not None and self.district_id and seat.district_id != self.district_id:
            # Name the field the user chose: the booth, when the seat came from it.
            field = "booth" if self.booth_id and self.booth.assembly_seat_id == seat.pk else "assembly_seat"
            errors[field] = (
                _("This booth is not in the chosen district.")
                if field == "booth"
                else _("This assembly seat is not in the chosen district.")
            )
        elif self.booth_id and seat is not None and self.booth.assembly_seat_id != seat.pk:
            errors["booth"] = _("This booth is not in the chosen assembly seat.")
        if self.mandal_id:
            if self.district_id and self.mandal.assembly_seat.district_id != self.district_id:
                errors["mandal"] = _("This mandal is not in the chosen district.")
            elif seat is not None and self.mandal.assembly_seat_id != seat.pk:
                errors["mandal"] = _("This mandal is not in the chosen assembly seat.")
        if errors:
            raise ValidationError(errors)


class ActivityValueQuerySet(ScopedQuerySet):
    pass


class ActivityValue(models.Model):
    """One number of a report: how many of one metric (households reached, masks given)."""

    scope_path = "activity__district"

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="values", verbose_name=_("activity")
    )
    metric = models.ForeignKey(
        Metric, on_delete=models.PROTECT, related_name="values", verbose_name=_("metric")
    )
    value = models.PositiveIntegerField(_("value"))

    objects = ActivityValueQuerySet.as_manager()

    class Meta:
        ordering = ["metric__position", "metric__code"]
        verbose_name = _("activity value")
        verbose_name_plural = _("activity values")
        constraints = [
            models.UniqueConstraint(fields=["activity", "metric"], name="activity_value_unique_metric")
        ]

    def __str__(self) -> str:
        return f"{self.metric}: {self.value}"


# --- Special records that feed activities --------------------------------------------------
# Each writes its Activity through services.activity_submit_or_get (called from
# tasks17/records/services/), so every figure counts camps, conferences and declarations the
# same way as typed-in reports.


class ReportingRecord(models.Model):
    """What every record that writes a report has: that report (``activity``, empty until the
    step that writes it: a camp's holding) and when the record was made. Who made it is each
    record's own field (``created_by``, a declaration's ``declared_by``), named as the API
    publishes it. Donors write no report, so they are not such records.

    The reverse name of ``activity`` is Django's default, the model's name
    (``activity.donationcamp``), the same for every record."""

    activity = models.OneToOneField(
        Activity, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("activity report")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    # The name of the record's page (``tasks17:record-camp-detail``), which takes its ``pk``.
    detail_url_name: str

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        return reverse(self.detail_url_name, args=[self.pk])


class DonationCamp(ReportingRecord):
    """A blood or plasma donation camp: planned, then held (with donors and units) or
    cancelled. Holding it writes the activity of task ``blood-camp`` or ``plasma-camp``."""

    scope_path = "district"
    detail_url_name = "tasks17:record-camp-detail"

    kind = models.CharField(_("kind"), max_length=8, choices=CampKind.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="camps", verbose_name=_("district")
    )
    assembly_seat = models.ForeignKey(
        AssemblySeat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="camps",
        verbose_name=_("assembly seat"),
    )
    venue = models.CharField(_("venue"), max_length=200)
    date = models.DateField(_("date"))
    organiser = models.CharField(
        _("organiser"), max_length=200, help_text=_("Who runs the camp: a person or a unit.")
    )
    organiser_phone = MobileNumberField(_("organiser's mobile"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CampStatus.choices, default=CampStatus.PLANNED
    )
    donors = models.PositiveIntegerField(_("donors"), null=True, blank=True)
    units = models.PositiveIntegerField(_("units collected"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("donation camp")
        verbose_name_plural = _("donation camps")
        indexes = [models.Index(fields=["district", "date"], name="camp_district_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.venue} · {self.date}"

    def clean(self) -> None:
        if self.assembly_seat_id and self.district_id and self.assembly_seat.district_id != self.district_id:
            raise ValidationError({"assembly_seat": _("This assembly seat is not in the chosen district.")})


class DonorQuerySet(ScopedQuerySet):
    def contactable(self) -> DonorQuerySet:
        """Donors who agreed to be called and have not opted out since."""
        return self.filter(consent_to_contact=True, opted_out_at__isnull=True)


class Donor(models.Model):
    """A person willing to give blood or plasma. Whether he may give now is computed from his
    dates by ``records.services.donor_eligibility`` (one rule, intervals in settings). He may opt out
    at any time: then nobody calls him and the matching leaves him out."""

    scope_path = "district"

    name = models.CharField(_("name"), max_length=120)
    phone = MobileNumberField(
        _("mobile number"),
        unique=True,
        error_messages={"unique": _("A donor with this mobile number is already registered.")},
    )
    blood_group = models.CharField(_("blood group"), max_length=3, choices=BloodGroup.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="donors", verbose_name=_("district")
    )
    last_donated_on = models.DateField(_("last donation"), null=True, blank=True)
    recovered_on = models.DateField(
        _("recovered from Covid on"),
        null=True,
        blank=True,
        help_text=_("For plasma: the date of recovery (negative test or end of symptoms)."),
    )
    consent_to_contact = models.BooleanField(_("agrees to be contacted"), default=False)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    opted_out_at = models.DateTimeField(_("opted out at"), null=True, blank=True)
    language = models.CharField(
        _("language of messages"), max_length=2, choices=Language.choices, default=Language.HINDI
    )
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DonorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        permissions = [("renew_donor_consent", _("Can record a donor's renewed consent after an opt-out"))]
        indexes = [models.Index(fields=["district", "blood_group"], name="donor_district_group")]

    def __str__(self) -> str:
        return f"{self.name} ({self.blood_group})"

    def clean(self) -> None:
        today = timezone.localdate()
        errors: dict[str, Any] = {}
        if self.last_donated_on and self.last_donated_on > today:
            errors["last_donated_on"] = _("The date cannot be in the future.")
        if self.recovered_on and self.recovered_on > today:
            errors["recovered_on"] = _("The date cannot be in the future.")
        if self.consent_at and timezone.localdate(self.consent_at) > today:
            errors["consent_at"] = _("Consent cannot be dated in the future.")
        if errors:
            raise ValidationError(errors)


class VideoConference(ReportingRecord):
    """An MP's, MLA's or other representative's video conference with a group of workers.
    Recording it writes the activity of task ``representative-meetings``."""

    scope_path = "district"
    detail_url_name = "tasks17:record-conference-detail"

    representative = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="conferences_led", verbose_name=_("representative")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="conferences", verbose_name=_("district")
    )
    worker_group = models.CharField(
        _("worker group"), max_length=200, help_text=_("For example: booth presidents of Danapur mandal.")
    )
    date = models.DateField(_("date"))
    participants = models.ManyToManyField(
        Worker,
        blank=True,
        related_name="conferences_attended",
        verbose_name=_("registered workers taking part"),
    )
    participant_count = models.PositiveIntegerField(
        _("workers taking part"), help_text=_("All who took part, registered in the portal or not.")
    )
    topics = models.TextField(_("topics"), max_length=2000)
    follow_ups = models.TextField(_("follow-ups"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    history = HistoricalRecords(m2m_fields=[participants])

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("video conference")
        verbose_name_plural = _("video conferences")

    def __str__(self) -> str:
        return f"{self.representative.name} · {self.worker_group} · {self.date}"


class ChecklistItem(models.Model):
    """One point of the corona-free booth checklist, defined by the state office in the admin."""

    text_en = models.CharField(_("text (English)"), max_length=200)
    text_hi = models.CharField(_("text (Hindi)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("corona-free checklist")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return self.text_hi if _in_hindi() and self.text_hi else self.text_en


class BoothDeclaration(ReportingRecord):
    """A booth declared corona-free on a date, with the checklist as it was ticked. It sets
    ``Booth.corona_free_since`` and counts in task ``corona-free-booth`` until withdrawn."""

    scope_path = "booth__assembly_seat__district"
    detail_url_name = "tasks17:record-declaration-detail"

    booth = models.ForeignKey(
        Booth, on_delete=models.PROTECT, related_name="declarations", verbose_name=_("booth")
    )
    declared_on = models.DateField(_("corona-free since"))
    booth_president = models.ForeignKey(
        Worker,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="booth_declarations",
        verbose_name=_("booth president"),
    )
    checklist = models.JSONField(
        _("checklist"), default=list, help_text=_("The points ticked, as they read then.")
    )
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("declared by")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, max_length=1000)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-declared_on", "-id"]
        verbose_name = _("corona-free declaration")
        verbose_name_plural = _("corona-free declarations")
        constraints = [
            # At most one standing (not withdrawn) declaration per booth.
            models.UniqueConstraint(
                fields=["booth"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="declaration_one_standing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.booth} · {self.declared_on}"

    @property
    def is_standing(self) -> bool:
        return self.withdrawn_at is None


# --- The campaign and its figures -----------------------------------------------------------


class CampaignQuerySet(models.QuerySet):
    def active(self) -> CampaignQuerySet:
        return self.filter(is_active=True)


class Campaign(models.Model):
    """The campaign's period, set by the state admin: every figure's default range is "the
    campaign so far" (its start to today, or to its end once it is over). One row is active;
    earlier campaigns stay as history."""

    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("starts on"))
    end_date = models.DateField(_("ends on"))
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("The campaign every figure is measured over; one at a time.")
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="campaign_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_date}–{self.end_date})"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end of the period cannot be before its start.")})


class RollupFigures(models.Model):
    """What both rollups hold for a day, district, task and metric: the reported sum
    (submitted + verified), the verified sum and the count of counted reports."""

    scope_path = "district"

    date = models.DateField(_("date"))
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="+", verbose_name=_("district")
    )
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+", verbose_name=_("task"))
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="+", verbose_name=_("metric"))
    # Signed: a row is only ever decreased by what was added to it, but a drift (repaired by the
    # rebuild) must not make a report fail on a check constraint.
    reported = models.BigIntegerField(_("reported"), default=0)
    verified = models.BigIntegerField(_("verified"), default=0)
    reports = models.IntegerField(_("reports"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class DailyRollup(RollupFigures):
    """The sums of one day's counted reports for one district, assembly seat, task and metric.

    ``assembly_seat`` is empty for reports made without a seat, so a district's total is the
    sum of all its rows. ``reported`` sums submitted and verified reports, ``verified`` the
    verified ones only, ``reports`` counts the counted reports holding the metric. The rows are
    kept by ``tasks17.rollups.apply_figures``, called by every service that changes what counts,
    in its transaction; ``manage.py rebuild_rollups`` recomputes them from the facts. Every
    state or district figure reads these rows, never the fact table.
    """

    assembly_seat = models.ForeignKey(
        AssemblySeat,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assembly seat"),
    )

    class Meta:
        ordering = ["date", "district", "assembly_seat", "task", "metric"]
        verbose_name = _("daily rollup")
        verbose_name_plural = _("daily rollups")
        constraints = [
            # A NULL seat in one unique key would allow many "no seat" rows for the same key:
            # two partial keys close that on SQLite and PostgreSQL alike.
            models.UniqueConstraint(
                fields=["date", "district", "assembly_seat", "task", "metric"],
                condition=models.Q(assembly_seat__isnull=False),
                name="rollup_unique_seat_row",
            ),
            models.UniqueConstraint(
                fields=["date", "district", "task", "metric"],
                condition=models.Q(assembly_seat__isnull=True),
                name="rollup_unique_district_row",
            ),
        ]
        indexes = [
            models.Index(fields=["district", "date"], name="rollup_district_date"),
            models.Index(fields=["task", "date"], name="rollup_task_date"),
            models.Index(fields=["date"], name="rollup_date"),
            models.Index(fields=["assembly_seat", "date"], name="rollup_seat_date"),
            # Achievement against targets: one metric of one district over a period.
            models.Index(fields=["metric", "district", "date"], name="rollup_metric_district_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date} · {self.district_id} · {self.assembly_seat_id} · {self.metric_id}"


class DistrictRollup(RollupFigures):
    """:class:`DailyRollup` summed over a district's seats: one row a day, district, task and
    metric. State-wide and district figures (sums, achievement against targets, the trend)
    read these rows, about a sixth as many as the seat rows; only what needs a seat (the
    seats' table, the seats' reporting rate) reads :class:`DailyRollup`. Kept by the same
    ``apply_figures`` statement as the seat rows, rebuilt from them by ``rebuild_rollups``."""

    class Meta:
        ordering = ["date", "district", "task", "metric"]
        verbose_name = _("district's daily rollup")
        verbose_name_plural = _("districts' daily rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["date", "district", "task", "metric"], name="district_rollup_unique_row"
            )
        ]
        indexes = [
            models.Index(fields=["date"], name="district_rollup_date"),
            models.Index(fields=["district", "date"], name="district_rollup_district_date"),
            models.Index(fields=["metric", "district", "date"], name="district_rollup_metric_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date} · {self.district_id} · {self.metric_id}"


class DistrictReportClock(models.Model):
    """When a district last sent a report (a new counted report, not a review), kept by
    ``apply_figures``, so "districts silent for 48 hours" reads 38 rows."""

    district = models.OneToOneField(
        District, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("district")
    )
    last_report_at = models.DateTimeField(_("last report at"), db_index=True)

    class Meta:
        verbose_name = _("district's last report")
        verbose_name_plural = _("districts' last reports")

    def __str__(self) -> str:
        return f"{self.district_id} · {self.last_report_at}"
