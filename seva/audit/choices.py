from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    """What an access event records."""

    SIGN_IN = "sign_in", _("Sign-in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGN_OUT = "sign_out", _("Signed out")
    TOKEN_ISSUED = "token_issued", _("API token issued")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    VIEWED_PERSONAL = "viewed_personal", _("Viewed personal details")


class SubjectKind(models.TextChoices):
    """Whose personal details were viewed: the kind of record they sit on."""

    DONOR = "donor", _("Donor")
    HELP_REQUEST = "help_request", _("Help request")
    WORKER = "worker", _("Worker")
