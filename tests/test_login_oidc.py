"""Single sign-on with OpenID Connect (issue 18): a claim maps to an existing organisation and a role; an
organisation is never created; refusals are audited. The identity provider is real HTTP on 127.0.0.1
(JWKS, token and userinfo endpoints serving RS256 tokens signed with a key made here); Continuum's side
(mozilla-django-oidc and our backend) runs unchanged."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings as django_settings
from django.test import Client
from jwt.algorithms import RSAAlgorithm

from continuum.accounts import actions
from continuum.accounts.models import ExternalIdentity, Organisation, User
from continuum.audit.models import AuditAction, AuditEvent
from tests.reauth import reauthenticate

pytestmark = pytest.mark.django_db

CLIENT_ID = "continuum-test"


class IdentityProvider:
    """The provider's token, userinfo and JWKS endpoints. The authorization step (the person typing their
    password at the provider) is the test itself: it reads our redirect and comes back with a code."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # published in the JWKS
        self.signing_key: Any = None  # another key to sign with (a forger's), else the published one
        self.kid = "test-key"
        self.claims: dict[str, Any] = {}
        self.token_claims: dict[str, Any] = {}
        self.nonce = ""
        self.requests: list[str] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, body: dict, status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                provider.requests.append(f"GET {self.path}")
                if self.path == "/jwks":
                    jwk = json.loads(RSAAlgorithm.to_jwk(provider.key.public_key()))
                    self._send({"keys": [{**jwk, "kid": provider.kid, "alg": "RS256", "use": "sig"}]})
                elif self.path == "/userinfo" and self.headers.get("Authorization") == "Bearer access-1":
                    self._send(provider.claims)
                else:
                    self._send({"error": "not found"}, 404)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = parse_qs(self.rfile.read(length).decode())
                provider.requests.append(f"POST {self.path} {sorted(form)}")
                if self.path != "/token" or form.get("code") != ["code-1"] or not form.get("code_verifier"):
                    self._send({"error": "invalid_grant"}, 400)
                    return
                self._send({"access_token": "access-1", "token_type": "Bearer", "id_token": provider.id_token()})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def id_token(self) -> str:
        now = int(time.time())
        payload = {
            "iss": self.url,
            "aud": CLIENT_ID,
            "sub": self.claims.get("sub"),
            "iat": now,
            "exp": now + 300,
            "auth_time": now - 5,
            "nonce": self.nonce,
            **self.token_claims,
        }
        return jwt.encode(payload, self.signing_key or self.key, algorithm="RS256", headers={"kid": self.kid})


@pytest.fixture
def idp(settings, demo_world, monkeypatch):
    provider = IdentityProvider()
    provider.thread.start()
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    settings.CONTINUUM_OIDC_ENABLED = True
    settings.CONTINUUM_OIDC_NAME = "Probation Sign-On"
    settings.CONTINUUM_OIDC_ISSUER = provider.url
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider.url}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider.url}/jwks"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "client-secret"
    settings.CONTINUUM_OIDC_ORGANISATIONS = ["probation-staff=probation", "police-staff=police", "ghost=ghost-agency"]
    settings.CONTINUUM_OIDC_ROLES = ["officer=case_manager", "lead=coordinator", "root=admin"]
    settings.CONTINUUM_OIDC_MFA_VALUES = ["mfa"]
    settings.AUTHENTICATION_BACKENDS = [
        *django_settings.AUTHENTICATION_BACKENDS,
        "continuum.accounts.oidc.OrganisationOIDCBackend",
    ]
    provider.claims = {
        "sub": "idp-0001",
        "preferred_username": "prob.newcomer",
        "given_name": "Noor",
        "family_name": "Visser",
        "email": "noor@probation.example",
        "groups": ["probation-staff", "all-staff"],
        "roles": ["officer"],
    }
    yield provider
    provider.server.shutdown()
    provider.server.server_close()


def sign_in(client: Client, idp: IdentityProvider, *, start: str = "/login/sso/?next=/cases/"):
    """Our redirect to the provider, the provider's redirect back with a code; Continuum's answer."""
    to_provider = client.get(start)
    assert to_provider.status_code == 302 and to_provider["Location"].startswith(f"{idp.url}/authorize?")
    query = parse_qs(urlparse(to_provider["Location"]).query)
    assert query["client_id"] == [CLIENT_ID] and query["code_challenge_method"] == ["S256"]
    idp.nonce = query["nonce"][0]
    return client.get("/login/sso/callback/", {"code": "code-1", "state": query["state"][0]}), query


def refusal() -> AuditEvent:
    return AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, detail__stage="oidc").latest("seq")


class TestFirstSignIn:
    def test_the_login_page_offers_the_agency(self, client, idp):
        assert "Sign in with Probation Sign-On" in client.get("/login/").content.decode()

    def test_a_mapped_person_gets_an_account_in_the_existing_organisation(self, client, idp):
        organisations = Organisation.objects.count()
        response, _query = sign_in(client, idp)
        assert response.status_code == 302 and response["Location"] == "/cases/"
        user = User.objects.get(username="prob.newcomer")
        assert user.organisation.slug == "probation" and user.role == "case_manager"
        assert (user.first_name, user.email) == ("Noor", "noor@probation.example")
        assert not user.has_usable_password()
        assert ExternalIdentity.objects.get(user=user).subject == "idp-0001"
        assert Organisation.objects.count() == organisations
        assert client.get("/cases/").status_code == 200
        created = AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="user").latest("seq")
        assert created.actor is None and created.detail["organisation"] == "probation"
        login = AuditEvent.objects.filter(action=AuditAction.LOGIN).latest("seq")
        assert login.actor_username == "prob.newcomer" and login.detail == {"second_factor": False, "method": "oidc"}

    @pytest.mark.parametrize(
        ("claims", "reason"),
        [
            ({"groups": ["all-staff"]}, "organisation claim not mapped"),
            ({"groups": ["probation-staff", "police-staff"]}, "organisation claim maps to more than one organisation"),
            ({"groups": ["ghost"]}, "mapped organisation does not exist"),
            ({"roles": ["visitor"]}, "role claim not mapped"),
            ({"roles": ["root"]}, "role claim not mapped"),
            ({"roles": ["officer", "lead"]}, "role claim maps to more than one role"),
            ({"preferred_username": ""}, "no username claim"),
        ],
    )
    def test_an_unmapped_claim_creates_nothing_and_is_audited(self, client, idp, claims, reason):
        idp.claims.update(claims)
        users, organisations = User.objects.count(), Organisation.objects.count()
        response, _query = sign_in(client, idp)
        assert response.status_code == 302 and response["Location"] == "/login/sso/failed/"
        assert (User.objects.count(), Organisation.objects.count()) == (users, organisations)
        assert refusal().detail["reason"] == reason
        page = client.get(response["Location"], follow=True).content.decode()
        assert "did not work" in page
        assert client.get("/cases/").status_code == 302

    def test_a_switched_off_organisation_takes_no_one_in(self, client, idp):
        Organisation.objects.filter(slug="probation").update(is_active=False)
        response, _query = sign_in(client, idp)
        assert response["Location"] == "/login/sso/failed/"
        assert refusal().detail["reason"] == "mapped organisation is switched off"
        assert not User.objects.filter(username="prob.newcomer").exists()

    def test_a_token_for_another_client_is_refused(self, client, idp, settings):
        idp.token_claims = {"aud": "someone-else"}
        response, _query = sign_in(client, idp)
        assert response["Location"] == "/login/sso/failed/"
        assert "audience" in refusal().detail["reason"].lower()
        assert not User.objects.filter(username="prob.newcomer").exists()

    def test_a_token_signed_by_another_key_is_refused(self, client, idp):
        idp.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        response, _query = sign_in(client, idp)
        assert response["Location"] == "/login/sso/failed/"
        assert "signature" in refusal().detail["reason"].lower()
        assert not User.objects.filter(username="prob.newcomer").exists()

    def test_a_provider_error_is_audited(self, client, idp):
        to_provider = client.get("/login/sso/")
        state = parse_qs(urlparse(to_provider["Location"]).query)["state"][0]
        response = client.get("/login/sso/callback/", {"error": "access_denied", "state": state})
        assert response["Location"] == "/login/sso/failed/"
        assert refusal().detail["reason"] == "provider: access_denied"

    def test_off_when_not_configured(self, client, demo_world):
        assert client.get("/login/sso/").status_code == 404
        assert client.get("/login/sso/callback/", {"code": "x", "state": "y"}).status_code == 404
        assert "Sign in with" not in client.get("/login/").content.decode()


class TestLaterSignIns:
    def test_the_role_follows_the_claims_and_the_change_is_audited(self, client, idp):
        sign_in(client, idp)
        client.post("/logout/")
        idp.claims["roles"] = ["lead"]
        response, _query = sign_in(client, idp)
        assert response["Location"] == "/cases/"
        assert User.objects.get(username="prob.newcomer").role == "coordinator"
        change = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="user").latest("seq")
        assert change.detail["changes"]["role"] == {"old": "case_manager", "new": "coordinator"}

    def test_a_change_of_organisation_is_refused_and_audited(self, client, idp):
        sign_in(client, idp)
        client.post("/logout/")
        idp.claims["groups"] = ["police-staff"]
        response, _query = sign_in(client, idp)
        assert response["Location"] == "/login/sso/failed/"
        event = refusal()
        assert event.detail["reason"] == "organisation differs from the account's"
        assert (event.detail["account_organisation"], event.detail["claimed_organisation"]) == ("probation", "police")
        assert User.objects.get(username="prob.newcomer").organisation.slug == "probation"

    def test_a_local_account_of_the_same_organisation_is_linked(self, client, idp):
        idp.claims["preferred_username"] = "prob.officer"
        response, _query = sign_in(client, idp)
        assert response["Location"] == "/cases/"
        assert ExternalIdentity.objects.get(subject="idp-0001").user.username == "prob.officer"

    def test_a_local_account_of_another_organisation_is_not_taken_over(self, client, idp):
        idp.claims["preferred_username"] = "police.liaison"
        response, _query = sign_in(client, idp)
        assert response["Location"] == "/login/sso/failed/"
        assert not ExternalIdentity.objects.exists()

    def test_an_administrator_is_never_signed_in_by_the_provider(self, client, idp):
        idp.claims.update({"preferred_username": "admin", "groups": ["probation-staff"]})
        response, _query = sign_in(client, idp)
        assert response["Location"] == "/login/sso/failed/"

    def test_a_second_subject_cannot_take_a_linked_username(self, client, idp):
        sign_in(client, idp)
        client.post("/logout/")
        idp.claims["sub"] = "idp-0002"
        response, _query = sign_in(client, idp)
        assert response["Location"] == "/login/sso/failed/"
        assert refusal().detail["reason"] == "username belongs to another account"

    def test_a_switched_off_account_is_refused(self, client, idp, persona):
        sign_in(client, idp)
        client.post("/logout/")
        actions.do_update_user(
            User.objects.get(username="prob.newcomer"), acting_user=persona("admin"), is_active=False
        )
        response, _query = sign_in(client, idp)
        assert response["Location"] == "/login/sso/failed/"
        assert client.get("/cases/").status_code == 302


class TestSecondFactor:
    def test_without_the_providers_mfa_continuum_asks_its_own(self, client, idp, settings):
        settings.CONTINUUM_REQUIRE_2FA = True
        response, _query = sign_in(client, idp)
        assert response["Location"] == "/cases/"
        assert client.get("/cases/")["Location"].startswith("/two-factor/setup/")

    def test_the_providers_mfa_counts_when_the_token_says_so(self, client, idp, settings):
        settings.CONTINUUM_REQUIRE_2FA = True
        idp.token_claims = {"amr": ["pwd", "mfa"]}
        sign_in(client, idp)
        assert client.get("/cases/").status_code == 200
        login = AuditEvent.objects.filter(action=AuditAction.LOGIN).latest("seq")
        assert login.detail == {"second_factor": True, "method": "oidc"}


class TestReauthentication:
    def test_a_recent_sign_in_at_the_provider_counts(self, client, idp):
        sign_in(client, idp)  # auth_time 5 seconds ago
        assert time.time() - client.session["continuum_authenticated_at"] < 60

    def test_confirming_sends_the_person_back_to_the_provider_with_prompt_login(self, client, idp, settings):
        idp.token_claims = {"auth_time": int(time.time()) - 3600}  # signed in at the provider an hour ago
        sign_in(client, idp)
        confirm = client.get("/login/confirm/?next=/cases/")
        assert confirm["Location"].startswith("/login/confirm/identity-provider/")
        to_provider = client.get(confirm["Location"])
        again = client.get(to_provider["Location"])
        query = parse_qs(urlparse(again["Location"]).query)
        assert query["prompt"] == ["login"] and query["max_age"] == ["0"]
        idp.nonce = query["nonce"][0]
        idp.token_claims = {}  # a fresh auth_time
        back = client.get("/login/sso/callback/", {"code": "code-1", "state": query["state"][0]})
        assert back["Location"] == "/cases/"
        event = AuditEvent.objects.filter(action=AuditAction.LOGIN).latest("seq")
        assert event.detail == {"reauthentication": True, "second_factor": False, "method": "oidc"}
        assert "continuum_authenticated_at" in client.session

    def test_an_old_sign_in_does_not_count(self, client, idp):
        idp.token_claims = {"auth_time": int(time.time()) - 3600}
        sign_in(client, idp)
        assert "continuum_authenticated_at" not in client.session

    def test_a_person_with_an_authenticator_app_may_confirm_with_it(self, client, idp):
        from django_otp.oath import TOTP

        idp.token_claims = {"auth_time": int(time.time()) - 3600}
        sign_in(client, idp)
        user = User.objects.get(username="prob.newcomer")
        device = actions.do_start_totp_enrolment(user)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        assert actions.do_confirm_totp_device(device, f"{totp.token():06d}", acting_user=user)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        page = client.get("/login/confirm/").content.decode()
        assert 'name="code"' in page and 'name="password"' not in page
        assert "Confirm with Probation Sign-On" in page
        reauthenticate(client)
        assert "continuum_authenticated_at" in client.session


def test_the_mapping_check_names_what_is_wrong(settings):
    from continuum.accounts.checks import check_oidc_mappings

    settings.CONTINUUM_OIDC_ORGANISATIONS = ["probation-staff"]
    settings.CONTINUUM_OIDC_ROLES = ["root=admin", "x=wizard"]
    problems = [message.msg for message in check_oidc_mappings()]
    assert any("probation-staff" in problem for problem in problems)
    assert any("administrators sign in with a local account" in problem for problem in problems)
    assert any("wizard" in problem for problem in problems)
