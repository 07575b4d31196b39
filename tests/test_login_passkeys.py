"""Passkeys (WebAuthn) beside the authenticator app (issue 18): enrolment, the login's second step,
a passwordless login, re-authentication; with a software authenticator built here (an EC P-256 key,
attestation "none", signed assertions), verified by the real ``webauthn`` library on the server."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django_otp_webauthn.models import WebAuthnCredential

from continuum.accounts import actions
from continuum.accounts.demo import DEMO_PASSWORD
from continuum.accounts.models import Organisation
from continuum.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"
RP_ID = "testserver"
EXPORT = "/insights/research-export.csv"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftAuthenticator:
    """One passkey on a pretend security key: what a browser's navigator.credentials would send."""

    UP, UV, AT = 0x01, 0x04, 0x40

    def __init__(self, *, verifies_user: bool = True, origin: str = ORIGIN) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.sign_count = 0
        self.verifies_user = verifies_user
        self.origin = origin
        self.user_handle = b""

    def _flags(self, extra: int = 0) -> int:
        return self.UP | (self.UV if self.verifies_user else 0) | extra

    def _client_data(self, kind: str, challenge: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}).encode()

    def create(self, options: dict) -> dict:
        numbers = self.key.public_key().public_numbers()
        cose_key = cbor2.dumps(
            {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
        )
        self.user_handle = unb64(options["user"]["id"])
        auth_data = (
            hashlib.sha256(options["rp"]["id"].encode()).digest()
            + bytes([self._flags(self.AT)])
            + struct.pack(">I", self.sign_count)
            + bytes(16)  # AAGUID
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + cose_key
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(self._client_data("webauthn.create", options["challenge"])),
                "attestationObject": b64(attestation),
                "transports": ["usb"],
            },
            "clientExtensionResults": {"credProps": {"rk": True}},
        }

    def get(self, options: dict, *, rp_id: str = RP_ID) -> dict:
        self.sign_count += 1
        auth_data = (
            hashlib.sha256(rp_id.encode()).digest() + bytes([self._flags()]) + struct.pack(">I", self.sign_count)
        )
        client_data = self._client_data("webauthn.get", options["challenge"])
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "response": {
                "authenticatorData": b64(auth_data),
                "clientDataJSON": b64(client_data),
                "signature": b64(signature),
                "userHandle": b64(self.user_handle),
            },
            "clientExtensionResults": {},
        }


@pytest.fixture(autouse=True)
def relying_party(settings):
    settings.OTP_WEBAUTHN_RP_ID = RP_ID
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [ORIGIN]


def post_json(client: Client, url: str, data: dict | None = None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def login(client: Client, username: str):
    return client.post("/login/", {"username": username, "password": DEMO_PASSWORD})


def register(client: Client, authenticator: SoftAuthenticator):
    options = post_json(client, "/passkeys/registration/begin/")
    assert options.status_code == 200, options.content
    return post_json(client, "/passkeys/registration/complete/", authenticator.create(options.json()))


def authenticate(client: Client, authenticator: SoftAuthenticator, *, base: str = "/passkeys/authentication/"):
    options = post_json(client, f"{base}begin/")
    assert options.status_code == 200, options.content
    return post_json(client, f"{base}complete/?next=/cases/", authenticator.get(options.json()))


def enrolled(client: Client, username: str) -> SoftAuthenticator:
    """``username`` logged in on ``client`` and holding a passkey; then logged out again."""
    assert login(client, username).status_code == 302
    authenticator = SoftAuthenticator()
    assert register(client, authenticator).status_code == 200
    client.post("/logout/")
    return authenticator


# --- enrolment ---------------------------------------------------------------------------------------------


class TestEnrolment:
    def test_a_logged_in_person_adds_a_passkey_on_their_account_and_it_is_audited(self, client, persona):
        assert login(client, "prob.officer").status_code == 302
        page = client.get("/account/passkeys/")
        assert page.status_code == 200
        html = page.content.decode()
        assert 'id="passkey-registration-placeholder"' in html and "otp_webauthn_register.js" in html
        assert "<script>" not in html  # only external scripts and a JSON data block (CSP)
        response = register(client, SoftAuthenticator())
        assert response.status_code == 200
        credential = WebAuthnCredential.objects.get(user=persona("prob.officer"))
        assert credential.confirmed and credential.pk == response.json()["id"]
        event = AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_ENROLLED).latest("seq")
        assert event.actor_username == "prob.officer" and event.detail["kind"] == "passkey"
        assert "You have 1 passkey." in client.get("/account/").content.decode()

    def test_adding_a_passkey_needs_a_recent_confirmation(self, browser_as):
        client = browser_as("prob.officer")  # a session, but no recent login or confirmation
        page = client.get("/account/passkeys/").content.decode()
        assert 'href="/login/confirm/?next=%2Faccount%2Fpasskeys%2F"' in page
        assert "passkey-registration-placeholder" not in page
        assert post_json(client, "/passkeys/registration/begin/").status_code == 403
        assert not WebAuthnCredential.objects.exists()

    def test_where_2fa_is_required_a_passkey_is_the_first_factor(self, client, demo_world, settings):
        settings.CONTINUUM_REQUIRE_2FA = True
        response = login(client, "exit.worker")
        assert response["Location"].startswith("/two-factor/setup/")
        enrol = client.get(response["Location"]).content.decode()
        assert "Or use a passkey instead" in enrol
        assert client.get("/cases/").status_code == 302  # still owes the second factor
        assert register(client, SoftAuthenticator()).status_code == 200
        assert client.get("/cases/").status_code == 200
        login_event = AuditEvent.objects.filter(action=AuditAction.LOGIN).latest("seq")
        assert login_event.detail == {"second_factor": True, "method": "passkey"}

    def test_someone_who_owes_their_passkey_cannot_add_another(self, client, demo_world):
        enrolled(client, "exit.worker")
        assert login(client, "exit.worker")["Location"].startswith("/login/verify/")
        assert post_json(client, "/passkeys/registration/begin/").status_code == 403
        assert WebAuthnCredential.objects.count() == 1

    def test_a_bad_registration_is_a_400_and_saves_nothing(self, client, demo_world):
        assert login(client, "prob.officer").status_code == 302
        post_json(client, "/passkeys/registration/begin/")
        response = post_json(client, "/passkeys/registration/complete/", {"id": "x", "response": {}})
        assert response.status_code == 400 and response.json()["detail"]
        assert not WebAuthnCredential.objects.exists()

    def test_a_passkey_made_for_another_site_is_refused(self, client, demo_world):
        assert login(client, "prob.officer").status_code == 302
        phishing = SoftAuthenticator(origin="https://continuum.example.net")
        assert register(client, phishing).status_code == 400
        assert not WebAuthnCredential.objects.exists()


# --- the login's second step -------------------------------------------------------------------------------


class TestSecondStep:
    def test_after_the_password_the_passkey_completes_the_login(self, client, demo_world):
        authenticator = enrolled(client, "prob.officer")
        response = login(client, "prob.officer")
        assert response["Location"].startswith("/login/verify/")
        verify = client.get(response["Location"]).content.decode()
        assert "Confirm with your passkey" in verify and 'name="code"' not in verify
        assert client.get("/cases/").status_code == 302
        done = authenticate(client, authenticator)
        assert done.status_code == 200 and done.json()["redirect_url"] == "/cases/"
        assert client.get("/cases/").status_code == 200
        event = AuditEvent.objects.filter(action=AuditAction.LOGIN).latest("seq")
        assert event.actor_username == "prob.officer" and event.detail["method"] == "passkey"

    def test_a_wrong_signature_is_refused_and_audited(self, client, demo_world):
        authenticator = enrolled(client, "prob.officer")
        login(client, "prob.officer")
        options = post_json(client, "/passkeys/authentication/begin/").json()
        assertion = authenticator.get(options)
        assertion["response"]["signature"] = b64(b"\x30\x06\x02\x01\x01\x02\x01\x01")
        response = post_json(client, "/passkeys/authentication/complete/", assertion)
        assert response.status_code == 400
        assert client.get("/cases/").status_code == 302
        failed = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).latest("seq")
        assert failed.detail["channel"] == "passkey" and failed.actor_username == "prob.officer"

    def test_an_assertion_cannot_be_replayed(self, client, demo_world):
        authenticator = enrolled(client, "prob.officer")
        login(client, "prob.officer")
        options = post_json(client, "/passkeys/authentication/begin/").json()
        assertion = authenticator.get(options)
        assert post_json(client, "/passkeys/authentication/complete/", assertion).status_code == 200
        again = post_json(client, "/passkeys/authentication/complete/", assertion)
        assert again.status_code == 400

    def test_someone_elses_passkey_does_not_complete_my_login(self, client, demo_world):
        theirs = enrolled(client, "exit.worker")
        enrolled(client, "prob.officer")
        login(client, "prob.officer")
        response = authenticate(client, theirs)
        assert response.status_code == 403
        assert client.get("/cases/").status_code == 302

    def test_an_administrators_reset_removes_passkeys(self, client, persona):
        enrolled(client, "prob.officer")
        actions.do_reset_two_factor(persona("prob.officer"), acting_user=persona("admin"))
        assert not WebAuthnCredential.objects.exists()
        assert login(client, "prob.officer")["Location"] == "/"

    def test_a_login_that_still_owes_the_passkey_cannot_remove_it(self, client, persona):
        enrolled(client, "prob.officer")
        login(client, "prob.officer")
        passkey = WebAuthnCredential.objects.get()
        # The login still owes the passkey: the list is out of reach until it is given.
        assert client.post(f"/account/passkeys/{passkey.pk}/remove/").status_code == 302
        assert WebAuthnCredential.objects.exists()


class TestRemoval:
    def test_removing_a_passkey_is_audited(self, client, demo_world):
        authenticator = enrolled(client, "prob.officer")
        login(client, "prob.officer")
        assert authenticate(client, authenticator).status_code == 200
        passkey = WebAuthnCredential.objects.get()
        assert client.post(f"/account/passkeys/{passkey.pk}/remove/")["Location"] == "/account/passkeys/"
        assert not WebAuthnCredential.objects.exists()
        event = AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_RESET).latest("seq")
        assert event.detail["kind"] == "passkey" and event.actor_username == "prob.officer"

    def test_nobody_removes_another_persons_passkey(self, client, demo_world):
        enrolled(client, "exit.worker")
        theirs = WebAuthnCredential.objects.get()
        login(client, "prob.officer")
        assert client.post(f"/account/passkeys/{theirs.pk}/remove/").status_code == 404
        assert WebAuthnCredential.objects.filter(pk=theirs.pk).exists()


# --- passwordless --------------------------------------------------------------------------------------------


class TestPasswordless:
    def test_off_by_default(self, client, demo_world):
        enrolled(client, "prob.officer")
        assert post_json(client, "/passkeys/authentication/begin/").status_code == 403
        assert "Log in with a passkey" not in client.get("/login/").content.decode()

    def test_a_passkey_that_verifies_the_person_logs_in_alone(self, client, demo_world, settings):
        authenticator = enrolled(client, "prob.officer")
        settings.CONTINUUM_PASSKEY_PASSWORDLESS = True
        settings.OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = True
        assert "Log in with a passkey" in client.get("/login/").content.decode()
        response = authenticate(client, authenticator)
        assert response.status_code == 200
        assert client.get("/cases/").status_code == 200
        event = AuditEvent.objects.filter(action=AuditAction.LOGIN).latest("seq")
        assert event.detail["method"] == "passkey (passwordless)" and event.detail["second_factor"] is True

    def test_a_passkey_that_does_not_verify_the_person_is_not_enough_alone(self, client, demo_world, settings):
        authenticator = enrolled(client, "prob.officer")
        settings.CONTINUUM_PASSKEY_PASSWORDLESS = True
        authenticator.verifies_user = False
        assert authenticate(client, authenticator).status_code == 400
        assert client.get("/cases/").status_code == 302
        failed = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).latest("seq")
        assert failed.detail["stage"] == "passkey"

    def test_a_switched_off_organisation_cannot_log_in_with_a_passkey(self, client, demo_world, settings):
        authenticator = enrolled(client, "exit.worker")
        settings.CONTINUUM_PASSKEY_PASSWORDLESS = True
        Organisation.objects.filter(slug="exit-ngo").update(is_active=False)
        assert authenticate(client, authenticator).status_code == 403
        assert client.get("/cases/").status_code == 302


# --- re-authentication -----------------------------------------------------------------------------------------


class TestConfirm:
    def test_a_passkey_confirms_it_is_you_before_the_research_export(self, client, demo_world, settings):
        authenticator = enrolled(client, "evaluator")
        login(client, "evaluator")
        assert authenticate(client, authenticator).status_code == 200
        session = client.session
        session["continuum_authenticated_at"] = 0  # long ago
        session.save()
        confirm = client.get(client.get(EXPORT)["Location"]).content.decode()
        assert "Confirm with your passkey" in confirm and 'name="password"' not in confirm
        done = authenticate(client, authenticator, base="/passkeys/confirm/")
        assert done.status_code == 200
        assert client.get(EXPORT).status_code == 400  # permitted; the demo world is too small to release
        event = AuditEvent.objects.filter(action=AuditAction.LOGIN).latest("seq")
        assert event.detail == {"reauthentication": True, "second_factor": True, "method": "passkey"}

    def test_confirming_needs_the_person_verified(self, client, demo_world):
        authenticator = enrolled(client, "evaluator")
        login(client, "evaluator")
        authenticate(client, authenticator)
        authenticator.verifies_user = False
        assert authenticate(client, authenticator, base="/passkeys/confirm/").status_code == 400

    def test_confirming_is_for_a_finished_login(self, client, demo_world):
        authenticator = enrolled(client, "evaluator")
        login(client, "evaluator")  # the passkey is still owed
        assert post_json(client, "/passkeys/confirm/begin/").status_code == 403
        assert authenticator  # unused: the ceremony does not start
