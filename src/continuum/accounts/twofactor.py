"""When a logged-in user still owes a second factor (TOTP, django-otp)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice


def has_confirmed_device(user: Any) -> bool:
    """Whether ``user`` has a confirmed device; asked once per request (``request.user`` is per request)."""
    known = getattr(user, "_continuum_has_device", None)
    if known is None:
        known = bool(user_has_device(user, confirmed=True))
        user._continuum_has_device = known
    return known


def forget_devices(user: Any) -> None:
    """After a device is confirmed or removed: ask the database again."""
    user.__dict__.pop("_continuum_has_device", None)


def needs_second_factor(user: Any) -> bool:
    """True while a password-authenticated session has not yet been verified with a second factor.

    A second factor is owed when the deployment requires one, or when the user has enrolled
    one (an enrolled factor is always asked for, even where it is optional). ``is_verified``
    is added to ``request.user`` by django-otp's middleware. A passkey is a device like the app.
    """
    if not user.is_authenticated:
        return False
    if getattr(user, "_continuum_idp_mfa", False):
        return False  # the identity provider's multi-factor sign-in (accounts.oidc, SecondFactorMiddleware)
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    return settings.CONTINUUM_REQUIRE_2FA or has_confirmed_device(user)


def confirmed_devices(user: Any) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=user, confirmed=True))
