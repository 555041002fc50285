"""Sign-ins, sign-outs and API tokens into the access log.

Signals, not calls in the views, because each of these happens in several places (the sign-in
page and the token endpoint; a token revoked by its owner, by a password change, by the
admin, on expiry) and the library sends one signal for all of them. The token model is named
by its label (``KNOX_TOKEN_MODEL``), so this app imports no other.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .choices import AccessAction
from .services import access_record


def _current_request() -> Any:
    """The request being answered (simple_history's middleware keeps it), if any."""
    return getattr(HistoricalRecords.context, "request", None)


def on_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    access_record(action=AccessAction.SIGN_IN, request=request, user=user)


def on_sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # Django has already replaced the password (and anything like it) by stars; only the
    # name typed is kept.
    username = str(credentials.get("username") or credentials.get("email") or "")
    access_record(action=AccessAction.SIGN_IN_FAILED, request=request, user=None, username=username)


def on_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        access_record(action=AccessAction.SIGN_OUT, request=request, user=user)


def _token_detail(token: Any, request: Any) -> dict[str, Any]:
    detail: dict[str, Any] = {"token": token.pk, "device": getattr(token, "name", "")}
    actor = getattr(request, "user", None) if request is not None else None
    if getattr(actor, "is_authenticated", False) and actor.pk != token.user_id:
        detail["by"] = actor.get_username()
    return detail


def on_token_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        request = _current_request()
        access_record(
            action=AccessAction.TOKEN_ISSUED,
            request=request,
            user=instance.user,
            detail=_token_detail(instance, request),
        )


def on_token_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    request = _current_request()
    detail = _token_detail(instance, request)
    if instance.expiry is not None and instance.expiry < timezone.now():
        detail["expired"] = True
    # Named, not linked: the token may go because its user is being deleted, and a row
    # pointing at him written during that delete would break it.
    owner = type(instance).user.field.related_model._default_manager.filter(pk=instance.user_id)
    username = owner.values_list(owner.model.USERNAME_FIELD, flat=True).first() or ""
    access_record(
        action=AccessAction.TOKEN_REVOKED,
        request=request,
        user=AnonymousUser(),
        username=username,
        detail=detail,
    )


def connect() -> None:
    user_logged_in.connect(on_sign_in, dispatch_uid="seva.audit.sign_in")
    user_login_failed.connect(on_sign_in_failed, dispatch_uid="seva.audit.sign_in_failed")
    user_logged_out.connect(on_sign_out, dispatch_uid="seva.audit.sign_out")
    token_model = getattr(settings, "KNOX_TOKEN_MODEL", "knox.AuthToken")
    post_save.connect(on_token_saved, sender=token_model, dispatch_uid="seva.audit.token_issued")
    post_delete.connect(on_token_deleted, sender=token_model, dispatch_uid="seva.audit.token_revoked")
