"""API authentication by device token (django-rest-knox, our ``ApiToken`` model)."""

from typing import Any

from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.signals import token_expired


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token check, without reading every other token of the user on each request.

    knox deletes a user's other expired tokens whenever one of them is used: one more query
    on every API request, a phone's report included. Here only the token presented is
    checked (an expired one is deleted and refused); the others are cleared when the user
    signs in again (``services.token_issue``) and nightly (``tasks.clear_expired_tokens``).
    """

    def _cleanup_token(self, auth_token: Any) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


class TokenScheme(KnoxTokenScheme):
    """The same scheme in the OpenAPI schema as knox's own class (``Authorization: Token …``)."""

    target_class = "seva.accounts.auth.TokenAuthentication"
    name = "knoxApiToken"
