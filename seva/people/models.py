"""Workers (the campaign's people) and users' portal roles and scope."""

from __future__ import annotations

import simple_history
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from seva.audit.history import ChangedFieldsHistory
from seva.base.scoping import ScopedQuerySet
from seva.geo.models import AssemblySeat, Booth, District

from .choices import BloodGroup, Language, WorkerRole
from .phones import MobileNumberField

# The fields a person fills in for a worker: the form, the API and the spreadsheet share them.
WORKER_FIELDS = (
    "name",
    "phone",
    "email",
    "role",
    "district",
    "assembly_seat",
    "booth",
    "blood_group",
    "skills",
    "is_active",
    "consent_to_contact",
    "consent_date",
    "language",
)


class WorkerQuerySet(ScopedQuerySet):
    def search(self, text: str) -> WorkerQuerySet:
        """Workers whose name contains ``text`` or whose phone ends with its digits."""
        text = text.strip()
        if not text:
            return self
        digits = "".join(ch for ch in text if ch.isdigit())
        condition = models.Q(name__icontains=text)
        if len(digits) >= 4:
            condition |= models.Q(phone__endswith=digits[-10:])
        return self.filter(condition)


class Worker(models.Model):
    """A party worker (कार्यकर्ता): reached by SMS or e-mail, does not need to log in.

    ``phone`` is stored in E.164 form (``+919876543210``) and is unique: one person, one row.
    The optional seat and booth must lie inside the worker's district.
    """

    scope_path = "district"

    name = models.CharField(_("name"), max_length=120)
    phone = MobileNumberField(
        _("mobile number"),
        unique=True,
        error_messages={"unique": _("A worker with this mobile number is already registered.")},
    )
    email = models.EmailField(_("e-mail"), blank=True)
    role = models.CharField(
        _("role"), max_length=32, choices=WorkerRole.choices, default=WorkerRole.VOLUNTEER
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="workers", verbose_name=_("district")
    )
    assembly_seat = models.ForeignKey(
        AssemblySeat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workers",
        verbose_name=_("assembly seat"),
    )
    booth = models.ForeignKey(
        Booth,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workers",
        verbose_name=_("booth"),
    )
    blood_group = models.CharField(_("blood group"), max_length=3, choices=BloodGroup.choices, blank=True)
    skills = models.CharField(
        _("skills"), max_length=250, blank=True, help_text=_("For example: driver, nurse, cook, data entry.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    consent_to_contact = models.BooleanField(_("agrees to be contacted"), default=False)
    consent_date = models.DateField(_("consent given on"), null=True, blank=True)
    language = models.CharField(
        _("language of messages"), max_length=2, choices=Language.choices, default=Language.HINDI
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = WorkerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        indexes = [
            models.Index(fields=["district", "role"], name="worker_district_role"),
            # The worker list is ordered by name: without this, every page sorts all workers.
            models.Index(fields=["name", "id"], name="worker_name_id"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.booth_id and not self.assembly_seat_id:
            self.assembly_seat_id = self.booth.assembly_seat_id
        if self.assembly_seat_id and self.district_id and self.assembly_seat.district_id != self.district_id:
            errors["assembly_seat"] = _("This assembly seat is not in the worker's district.")
        if self.booth_id and self.assembly_seat_id and self.booth.assembly_seat_id != self.assembly_seat_id:
            errors["booth"] = _("This booth is not in the chosen assembly seat.")
        if self.consent_to_contact and not self.consent_date:
            errors["consent_date"] = _("Give the date on which the worker agreed to be contacted.")
        elif self.consent_date and self.consent_date > timezone.localdate():
            errors["consent_date"] = _("Consent cannot be dated in the future.")
        if errors:
            raise ValidationError(errors)


class Profile(models.Model):
    """A portal user's scope: the whole state, or one district.

    The user's role is the Django group they belong to (see ``choices.PortalRole``); the
    scope says which data that role applies to. A user with no profile sees nothing.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    state_wide = models.BooleanField(_("whole state"), default=False)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="user_profiles",
        verbose_name=_("district"),
    )
    worker = models.OneToOneField(
        Worker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user_profile",
        verbose_name=_("worker record"),
    )
    language = models.CharField(
        _("language of messages"), max_length=2, choices=Language.choices, default=Language.HINDI
    )

    # Scope changes (state-wide, district, linked worker) are kept; the language of messages
    # is the user's own preference, set from the language switch without a history row.
    history = HistoricalRecords(excluded_fields=["language"])

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(state_wide=True, district__isnull=True)
                    | models.Q(state_wide=False, district__isnull=False)
                ),
                name="profile_scope_is_state_or_one_district",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.scope_label})"

    @property
    def scope_label(self) -> str:
        return str(_("Whole state")) if self.state_wide else str(self.district)

    def clean(self) -> None:
        if self.state_wide and self.district_id:
            raise ValidationError({"district": _("A state-wide user has no district.")})
        if not self.state_wide and not self.district_id:
            raise ValidationError({"district": _("Choose the district, or tick 'whole state'.")})
        if self.worker_id and self.district_id and self.worker.district_id != self.district_id:
            raise ValidationError({"worker": _("This worker belongs to another district.")})


# Users: who changed a user's name, e-mail, active flag, staff flags or role (the groups, kept
# with each history row). The password hash is never copied into the history, and a sign-in
# (which saves only ``last_login``) writes no row.
simple_history.register(
    User,
    app="seva.people",
    records_class=ChangedFieldsHistory,
    excluded_fields=["password", "last_login"],
    m2m_fields=["groups"],
)
