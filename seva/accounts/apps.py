from django.apps import AppConfig
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _

from seva.people.choices import PortalRole


class AccountsConfig(AppConfig):
    name = "seva.accounts"
    label = "accounts"
    verbose_name = _("Sign-in")

    # The state admin sees and revokes anyone's API tokens and unlocks a locked-out user
    # (django-axes: deleting the failed attempts ends the lock-out) without being superuser.
    role_permissions = {
        PortalRole.STATE_ADMIN: {
            "accounts.view_apitoken",
            "accounts.delete_apitoken",
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
            "axes.view_accesslog",
            "axes.view_accessfailurelog",
        },
    }

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from .services import revoke_tokens_on_password_change

        pre_save.connect(
            revoke_tokens_on_password_change,
            sender=get_user_model(),
            dispatch_uid="seva.accounts.revoke_tokens_on_password_change",
        )
        # Its sign-in receiver notes in the session whether the user enrolled a second factor.
        from . import mfa  # noqa: F401
