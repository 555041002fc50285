"""Enumerations of the people app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PortalRole(models.TextChoices):
    """What a user does in the portal. Each role is a Django group of the same label."""

    STATE_ADMIN = "state_admin", _("State admin")
    STATE_STAFF = "state_staff", _("State staff")
    DISTRICT_COORDINATOR = "district_coordinator", _("District coordinator")
    # Reviews his district's reports. Granted only by the state office (a group in the
    # admin), never read from a worker record the user could edit about himself.
    DISTRICT_PRESIDENT = "district_president", _("District president")
    # Manages a helpline's shifts and sees its whole queue (helplines app).
    HELPLINE_LEAD = "helpline_lead", _("Helpline lead")
    HELPLINE_OPERATOR = "helpline_operator", _("Helpline operator")


# The group names are stored in English and never translated: they are data, not labels.
GROUP_NAMES: dict[str, str] = {
    PortalRole.STATE_ADMIN: "State admin",
    PortalRole.STATE_STAFF: "State staff",
    PortalRole.DISTRICT_COORDINATOR: "District coordinator",
    PortalRole.DISTRICT_PRESIDENT: "District president",
    PortalRole.HELPLINE_LEAD: "Helpline lead",
    PortalRole.HELPLINE_OPERATOR: "Helpline operator",
}


class Language(models.TextChoices):
    """The language a person's messages are written in (workers, donors, users). Hindi unless
    the person asks for English: most of the campaign reads Hindi first."""

    HINDI = "hi", "हिन्दी"
    ENGLISH = "en", "English"


class WorkerRole(models.TextChoices):
    """A worker's position in the organisation."""

    STATE_OFFICE_BEARER = "state_office_bearer", _("State office-bearer")
    DISTRICT_PRESIDENT = "district_president", _("District president")
    DISTRICT_COORDINATOR = "district_coordinator", _("District coordinator")
    MANDAL_PRESIDENT = "mandal_president", _("Mandal president")
    BOOTH_PRESIDENT = "booth_president", _("Booth president")
    VOLUNTEER = "volunteer", _("Volunteer")
    MP = "mp", _("Member of Parliament")
    MLA = "mla", _("Member of the Legislative Assembly")


class BloodGroup(models.TextChoices):
    A_POS = "A+", "A+"
    A_NEG = "A-", "A−"
    B_POS = "B+", "B+"
    B_NEG = "B-", "B−"
    AB_POS = "AB+", "AB+"
    AB_NEG = "AB-", "AB−"
    O_POS = "O+", "O+"
    O_NEG = "O-", "O−"
