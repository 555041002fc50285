from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit trail's shared pieces (``history.changes``) and the access log.

    It imports no other app (docs/architecture.md): the apps below and above call it. Who may
    read the log (``audit.view_accessevent``, the state admin) is declared with the other
    administrative permissions in ``seva/people/apps.py``, which owns the roles.
    """

    name = "seva.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from django.core import checks

        from . import receivers
        from .checks import check_access_log_days

        receivers.connect()
        checks.register(check_access_log_days)
