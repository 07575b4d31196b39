"""Identity endpoints of API.md: who am I, organisations, tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from continuum.accounts import actions
from continuum.accounts.api.serializers import (
    MeSerializer,
    OrganisationSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)
from continuum.accounts.models import ApiToken, Organisation, User
from continuum.accounts.twofactor import confirmed_devices, has_confirmed_device


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="The calling user")
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


class OrganisationListView(generics.ListAPIView):
    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.filter(is_active=True).order_by("slug")


class TokenView(APIView):
    """Exchange a username, password (and TOTP code, when enrolled) for an API token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    def get_authenticate_header(self, request: Request) -> str:
        # A failed login is a 401 with a challenge, not a 403.
        return "Token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer, 400: None, 401: None, 429: None},
        summary="Obtain an API token",
    )
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None:
            raise AuthenticationFailed(_("Invalid username or password."))
        code = data.validated_data.get("otp")
        if has_confirmed_device(user):
            if not code or not any(
                device.verify_is_allowed()[0] and device.verify_token(code) for device in confirmed_devices(user)
            ):
                actions.record_second_factor_failure(user, channel="api")
                raise AuthenticationFailed(_("A valid one-time code (otp) is required for this account."))
        elif settings.CONTINUUM_REQUIRE_2FA:
            raise AuthenticationFailed(
                _("Set up two-factor authentication in the web interface before requesting a token.")
            )
        token, key = actions.do_create_api_token(user, acting_user=user, label="API login")
        return Response({"token": key, "expires_at": token.expires_at}, status=status.HTTP_200_OK)


class CurrentTokenView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None, 401: None}, summary="Revoke the token used for this request")
    def delete(self, request: Request) -> Response:
        if not isinstance(request.auth, ApiToken) or not isinstance(request.user, User):
            return Response(
                {"detail": _("Only a request made with a token can revoke it.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        actions.do_revoke_api_token(request.auth, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
