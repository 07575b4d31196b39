"""Re-authentication in tests, the honest way: by sending the re-authentication form
(``accounts:reauthenticate``), as a person would before a legal override or an export."""

from __future__ import annotations

import time

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from continuum.accounts.demo import DEMO_PASSWORD
from continuum.accounts.models import User

URL = "/login/confirm/"


def current_code(user: User) -> str:
    """A code the user's authenticator app shows: now's, or the next step's when now's was used already
    (django-otp accepts a code once, and one step of drift)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():06d}"


def reauthenticate(client: Client, password: str = DEMO_PASSWORD) -> None:
    """Confirm it is you on ``client``'s session (logged in, e.g. by ``browser_as``)."""
    user = User.objects.get(pk=client.session["_auth_user_id"])
    data = {"password": password, "next": "/"}
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        data["code"] = current_code(user)
    response = client.post(URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
