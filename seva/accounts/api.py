"""Sign-in tokens: issue one per device, revoke it, list and revoke one's own."""

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from .models import ApiToken
from .serializers import ApiTokenSerializer, IssuedTokenSerializer, SignInSerializer
from .services import token_issue
from .throttles import SIGN_IN_THROTTLES


@extend_schema(tags=["auth"])
class ObtainTokenView(APIView):
    """``POST {username, password, device?}`` → ``{token, id, device, expiry}``; then send
    ``Authorization: Token <token>``. ``DELETE`` (with that header) signs the device out.

    Failed attempts count towards the same lock-out as the sign-in page (django-axes), and
    sign-ins are throttled per address and per user name.
    """

    serializer_class = SignInSerializer

    def get_permissions(self) -> list[Any]:
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self) -> list[Any]:
        # The API's own limits (per user, per address), and for a sign-in the sign-in's too.
        extra = SIGN_IN_THROTTLES if self.request.method == "POST" else []
        return [*super().get_throttles(), *(throttle() for throttle in extra)]

    @extend_schema(request=SignInSerializer, responses={200: IssuedTokenSerializer})
    def post(self, request: Request) -> Response:
        serializer = SignInSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        device = serializer.validated_data.get("device") or request.META.get("HTTP_USER_AGENT", "") or "API"
        instance, token = token_issue(user=user, device=device)
        # Records the sign-in (last_login, django-axes' access log and reset of failures).
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        data = {"token": token, "id": instance.pk, "device": instance.name, "expiry": instance.expiry}
        return Response(IssuedTokenSerializer(data).data)

    @extend_schema(
        request=None,
        responses={204: None, 400: OpenApiResponse(description="No token was sent to revoke.")},
    )
    def delete(self, request: Request) -> Response:
        if not isinstance(request.auth, ApiToken):
            raise ValidationError({"detail": _("Send the token to revoke in the Authorization header.")})
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["auth"])
class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The signed-in user's own API tokens (one per device); ``DELETE`` revokes one."""

    serializer_class = ApiTokenSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None
    queryset = ApiToken.objects.none()

    def get_queryset(self) -> Any:
        return ApiToken.objects.live().filter(user=self.request.user)


router = DefaultRouter()
router.include_root_view = False
router.register("auth/tokens", ApiTokenViewSet, basename="api-token-mine")
