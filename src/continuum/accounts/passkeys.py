"""Passkeys (WebAuthn, django-otp-webauthn) beside the authenticator app (issue 18).

A passkey is a django-otp device, so it is a second factor wherever one is asked for (the login's
second step, ``CONTINUUM_REQUIRE_2FA``). Three ceremonies, each a JSON endpoint under ``/passkeys/``
driven by the package's own script (static files, no inline script):

* registration: from "My account" → "Passkeys" (after re-authentication), or as the first factor at
  the first login where 2FA is required; audited as an enrolled second factor;
* authentication: the login's second step after the password, or, with
  ``CONTINUUM_PASSKEY_PASSWORDLESS``, a login with the passkey alone (the authenticator must then verify
  the person, PIN or biometrics: that is two factors); audited as a login, failures as failed logins;
* confirmation: re-authentication before a grave act (``reauth``), user verification required.

The relying party is ``CONTINUUM_WEBAUTHN_RP_ID`` and the origins ``CONTINUUM_WEBAUTHN_ORIGINS``
(settings.py; docs/operations.md, "Signing in").
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate as auth_authenticate
from django.contrib.auth import login as auth_login
from django.db import transaction
from django.http import HttpRequest
from django.middleware import csrf
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp_webauthn import exceptions as webauthn_errors
from django_otp_webauthn.backends import WebAuthnBackend
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.utils import rewrite_exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from continuum.accounts import actions
from continuum.accounts.backends import can_authenticate
from continuum.accounts.models import User
from continuum.accounts.reauth import mark_authenticated, recently_authenticated
from continuum.accounts.twofactor import forget_devices, has_confirmed_device, needs_second_factor

CONFIRM_STATE = "continuum_passkey_confirm_state"


def passkeys_of(user: Any) -> list[WebAuthnCredential]:
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("-created_at"))


def has_passkey(user: Any) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def passwordless_enabled() -> bool:
    return bool(settings.CONTINUUM_PASSKEY_PASSWORDLESS)


class PasskeyHelper(WebAuthnHelper):
    """The package's helper (relying party and origins from ``OTP_WEBAUTHN_*``, set from the
    ``CONTINUUM_WEBAUTHN_*`` knobs), naming the passkeys it registers."""

    def create_credential(self, user: Any, response: Any, parsed_credential: Any, original_data: dict) -> Any:
        device = super().create_credential(user, response, parsed_credential, original_data)
        device.name = _("Passkey")[:64]
        return device


class PasskeyBackend(WebAuthnBackend):
    """A passwordless login with a passkey: the same rule as a password (user and organisation active)."""

    def user_can_authenticate(self, user: Any) -> bool:
        return bool(user) and can_authenticate(user)

    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("organisation").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


def configuration(request: HttpRequest, *, purpose: str = "login", username_field: str | None = None) -> dict:
    """What the package's script reads (``otp_webauthn_config``): our endpoints for the purpose."""
    begin, complete = {
        "login": ("otp_webauthn:credential-authentication-begin", "otp_webauthn:credential-authentication-complete"),
        "confirm": ("otp_webauthn:confirm-begin", "otp_webauthn:confirm-complete"),
    }[purpose]
    return {
        "autocompleteLoginFieldSelector": username_field if passwordless_enabled() else None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": csrf.get_token(request),
        "beginAuthenticationUrl": reverse(begin),
        "completeAuthenticationUrl": reverse(complete),
        "beginRegistrationUrl": reverse("otp_webauthn:credential-registration-begin"),
        "completeRegistrationUrl": reverse("otp_webauthn:credential-registration-complete"),
    }


def _safe_next(request: Request) -> str:
    target = request.query_params.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


class _Ceremony:
    """The browser session as it is, also halfway through a login (the package's views ask no more):
    ``VerifiedSessionAuthentication`` would hide a session that still owes its second factor."""

    authentication_classes = [SessionAuthentication]

    def handle_exception(self, exc: Exception) -> Response:
        # Bad input is a 400 with the reason (the package says 422).
        if isinstance(exc, webauthn_errors.UnprocessableEntity):
            exc = exceptions.ValidationError({"detail": str(exc.detail)})
        return super().handle_exception(exc)  # type: ignore[misc]


# --- registration --------------------------------------------------------------------------------------------


def may_register(request: HttpRequest) -> bool:
    """Adding a passkey gives lasting access: a recently authenticated session, or the first second
    factor of a login that must have one (as for the authenticator app's enrolment)."""
    user = request.user
    if not user.is_authenticated:
        return False
    if needs_second_factor(user):
        return not has_confirmed_device(user)
    return recently_authenticated(request)


class RegistrationBegin(_Ceremony, BeginCredentialRegistrationView):
    def check_can_register(self) -> None:
        if not may_register(self.request._request):
            raise exceptions.PermissionDenied(_("Confirm it is you first, then add the passkey."))


class RegistrationComplete(_Ceremony, CompleteCredentialRegistrationView):
    def check_can_register(self) -> None:
        if not may_register(self.request._request):
            raise exceptions.PermissionDenied(_("Confirm it is you first, then add the passkey."))

    def post(self, *args: Any, **kwargs: Any) -> Response:
        user = self.request.user
        completes_login = not user.is_verified()
        with transaction.atomic():
            response = super().post(*args, **kwargs)
            forget_devices(user)
            actions.record_passkey_enrolled(user, credential_id=response.data["id"])
        if completes_login:
            actions.record_login(user, second_factor=True, method="passkey")
            mark_authenticated(self.request._request)
        return response


# --- authentication: the login's second step, or a passwordless login ----------------------------------------


class AuthenticationBegin(_Ceremony, BeginCredentialAuthenticationView):
    def check_can_authenticate(self) -> None:
        user = self.get_user()
        if user is None and not passwordless_enabled():
            raise webauthn_errors.PasswordlessLoginDisabled()
        if user is not None and not can_authenticate(user):
            raise webauthn_errors.UserDisabled()


class AuthenticationComplete(_Ceremony, CompleteCredentialAuthenticationView):
    check_can_authenticate = AuthenticationBegin.check_can_authenticate

    def get_success_url(self) -> str:
        return _safe_next(self.request)

    def check_device_usable(self, device: Any) -> None:
        super().check_device_usable(device)
        if not can_authenticate(device.user):
            raise webauthn_errors.UserDisabled()

    def complete_auth(self, device: Any) -> Any:
        request = self.request._request
        if request.user.is_authenticated:
            user = request.user
            method = "passkey"
        else:
            user = auth_authenticate(request, webauthn_credential=device)
            if user is None:
                raise webauthn_errors.UserDisabled()
            auth_login(request, user)
            method = "passkey (passwordless)"
        otp_login(request, device)
        actions.record_login(user, second_factor=True, method=method)
        mark_authenticated(request)
        return user

    def post(self, *args: Any, **kwargs: Any) -> Response:
        try:
            return super().post(*args, **kwargs)
        except exceptions.APIException as exc:
            _audit_failure(self.request, exc)
            raise


def _audit_failure(request: Request, exc: exceptions.APIException) -> None:
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        actions.record_second_factor_failure(user, channel="passkey")
    else:
        actions.record_passkey_login_failure(reason=str(exc.get_codes()))


# --- confirmation before a grave act (re-authentication) -----------------------------------------------------


class _Confirm(_Ceremony):
    permission_classes = [IsAuthenticated]
    request: Request

    def check_can_authenticate(self) -> None:
        if needs_second_factor(self.request.user):
            raise exceptions.PermissionDenied(_("Finish logging in first."))


class ConfirmBegin(_Confirm, BeginCredentialAuthenticationView):
    def post(self, *args: Any, **kwargs: Any) -> Response:
        helper = self.get_helper()
        data, state = helper.authenticate_begin(user=self.request.user, require_user_verification=True)
        self.request.session[CONFIRM_STATE] = state
        return Response(data=data, content_type="application/json")


class ConfirmComplete(_Confirm, CompleteCredentialAuthenticationView):
    def get_state(self) -> dict:
        state = self.request.session.pop(CONFIRM_STATE, None)
        self.request.session.save()  # never reused, even after an error
        if not state:
            raise webauthn_errors.InvalidState()
        return state

    def post(self, *args: Any, **kwargs: Any) -> Response:
        user = self.request.user
        assert isinstance(user, User)  # noqa: S101  (IsAuthenticated; narrowing for mypy)
        try:
            state = self.get_state()
            with rewrite_exceptions():
                device = self.get_helper().authenticate_complete(user=user, state=state, data=self.request.data)
            self.check_device_usable(device)
        except exceptions.APIException as exc:
            actions.record_second_factor_failure(user, channel="reauthentication")
            raise exc
        actions.record_reauthentication(user, second_factor=True, method="passkey")
        mark_authenticated(self.request._request)
        return Response({"id": device.pk, "redirect_url": _safe_next(self.request)})
