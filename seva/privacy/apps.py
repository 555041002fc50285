from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from seva.people.choices import PortalRole


class PrivacyConfig(AppConfig):
    """Personal data under India's DPDP Act 2023: the privacy notice, consent records, erasure
    and retention (docs/privacy.md)."""

    name = "seva.privacy"
    label = "privacy"
    verbose_name = _("Personal data")

    # The state admin keeps the notice and reads consent records in the admin; everybody else
    # sees a person's consent on that person's page, through the page's own scope.
    role_permissions = {
        PortalRole.STATE_ADMIN: {
            "privacy.view_privacynotice",
            "privacy.add_privacynotice",
            "privacy.view_consentrecord",
            "privacy.erase_person",
        },
    }
