from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from . import mfa
from .models import ApiToken


class SignInSerializer(serializers.Serializer):
    """User name and password; optionally the device the token is for."""

    username = serializers.CharField(max_length=150, write_only=True)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    device = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=_(
            "A name for this device (e.g. 'Ramesh phone'); signing in again on it revokes its old token."
        ),
    )

    otp_token = serializers.CharField(
        max_length=16,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=_(
            "The six-digit code of your authenticator app (or a recovery code): needed by users "
            "who sign in with a second factor (state admins and staff)."
        ),
    )

    def validate(self, attrs: dict) -> dict:
        user = authenticate(
            request=self.context["request"], username=attrs["username"], password=attrs["password"]
        )
        if user is None:
            raise serializers.ValidationError(
                _("Unable to sign in with the given user name and password."), code="authorization"
            )
        if mfa.needs_code(user):
            # A token is issued only after a two-factor sign-in.
            if not mfa.has_devices(user):
                raise serializers.ValidationError(
                    {
                        "otp_token": _(
                            "Set up two-factor sign-in on the web first (Account → Two-factor sign-in)."
                        )
                    }
                )
            if mfa.verify(user, attrs.get("otp_token", "")) is None:
                raise serializers.ValidationError(
                    {"otp_token": _("Give the code your authenticator app shows now, or a recovery code.")}
                )
        attrs["user"] = user
        return attrs


class IssuedTokenSerializer(serializers.Serializer):
    """The answer to a sign-in: the token (shown once) and what it is."""

    token = serializers.CharField()
    id = serializers.IntegerField()
    device = serializers.CharField()
    expiry = serializers.DateTimeField(allow_null=True)


class ApiTokenSerializer(serializers.ModelSerializer):
    """One of the user's tokens, without any part of the token itself."""

    device = serializers.CharField(source="name")
    current = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "device", "created", "expiry", "current"]

    def get_current(self, token: ApiToken) -> bool:
        """True for the token this request was sent with."""
        return getattr(self.context["request"].auth, "pk", None) == token.pk
