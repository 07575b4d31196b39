"""API.md, Identity: tokens, /me/, /organisations/, /auth/token/ (issue 2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from continuum.accounts import actions
from continuum.accounts.models import ApiToken, hash_token_key
from continuum.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_create_api_token_command_prints_a_token_that_me_accepts(persona, capsys):
    persona("prob.officer")
    call_command("create_api_token", "prob.officer")
    key = capsys.readouterr().out.strip()
    response = _client(key).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json() == {
        "username": "prob.officer",
        "organisation": "probation",
        "organisation_type": "probation",
        "role": "case_manager",
    }


def test_token_is_stored_only_as_its_hash(persona):
    _token, key = actions.do_create_api_token(persona("cw.worker"), acting_user=None)
    stored = ApiToken.objects.get()
    assert stored.key_hash == hash_token_key(key)
    assert key not in {stored.key_hash, stored.key_prefix}
    assert not ApiToken.objects.filter(key_hash=key).exists()


@pytest.mark.parametrize("header", ["Token wrong-key", "Token", "Token a b", "Bearer abc"])
def test_wrong_token_is_401(demo_world, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401


def test_no_credentials_is_401(demo_world):
    assert APIClient().get("/api/v1/me/").status_code == 401


def test_expired_token_is_401(persona):
    token, key = actions.do_create_api_token(persona("prob.officer"), acting_user=None)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _client(key).get("/api/v1/me/").status_code == 401


def test_revoked_token_is_401(persona):
    user = persona("prob.officer")
    token, key = actions.do_create_api_token(user, acting_user=None)
    assert _client(key).get("/api/v1/me/").status_code == 200
    actions.do_revoke_api_token(token, acting_user=user)
    assert _client(key).get("/api/v1/me/").status_code == 401


def test_token_of_deactivated_user_is_401(persona):
    user = persona("prob.officer")
    _token, key = actions.do_create_api_token(user, acting_user=None)
    actions.do_update_user(user, acting_user=None, is_active=False)
    assert _client(key).get("/api/v1/me/").status_code == 401


def test_a_token_can_revoke_itself(persona):
    _token, key = actions.do_create_api_token(persona("police.liaison"), acting_user=None)
    client = _client(key)
    assert client.delete("/api/v1/auth/token/current/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401


def test_organisations_list_is_paginated_with_slug_name_type(api_as):
    response = api_as("exit.worker").get("/api/v1/organisations/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 13 and body["next"] is None and body["previous"] is None
    assert {"slug": "prison-north", "name": "Prison North", "type": "prison"} in body["results"]
    assert set(body["results"][0]) == {"slug", "name", "type"}


def test_organisations_list_needs_authentication(demo_world):
    assert APIClient().get("/api/v1/organisations/").status_code == 401


class TestTokenEndpoint:
    url = "/api/v1/auth/token/"

    def test_password_gives_a_token_when_2fa_is_optional_and_not_enrolled(self, demo_world):
        response = APIClient().post(
            self.url, {"username": "muni.coordinator", "password": "continuum-demo"}, format="json"
        )
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"token", "expires_at"}
        assert _client(body["token"]).get("/api/v1/me/").json()["username"] == "muni.coordinator"
        assert AuditEvent.objects.filter(action=AuditAction.TOKEN_CREATED).exists()

    def test_wrong_password_is_401_and_audited(self, demo_world):
        response = APIClient().post(self.url, {"username": "muni.coordinator", "password": "nope"}, format="json")
        assert response.status_code == 401
        assert not ApiToken.objects.exists()
        failed = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).latest("seq")
        assert failed.actor_username == "muni.coordinator"

    def test_unknown_user_is_401_like_a_wrong_password(self, demo_world):
        response = APIClient().post(self.url, {"username": "nobody", "password": "nope"}, format="json")
        assert response.status_code == 401

    @pytest.mark.parametrize(
        "payload",
        [{}, {"username": "x"}, {"password": "x"}, {"username": "a", "password": "b", "otp": "12ab56"}],
    )
    def test_bad_input_is_400(self, demo_world, payload):
        response = APIClient().post(self.url, payload, format="json")
        assert response.status_code == 400
        assert isinstance(response.json(), dict)

    def test_required_2fa_without_enrolment_gives_no_token(self, demo_world, settings):
        settings.CONTINUUM_REQUIRE_2FA = True
        response = APIClient().post(
            self.url, {"username": "muni.coordinator", "password": "continuum-demo"}, format="json"
        )
        assert response.status_code == 401
        assert not ApiToken.objects.exists()

    def test_enrolled_user_needs_a_valid_otp(self, persona):
        user = persona("cp.analyst")
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        client = APIClient()
        base = {"username": "cp.analyst", "password": "continuum-demo"}
        assert client.post(self.url, base, format="json").status_code == 401
        assert client.post(self.url, {**base, "otp": "000000"}, format="json").status_code == 401
        device.refresh_from_db()
        device.throttling_failure_count = 0
        device.throttling_failure_timestamp = None
        device.save()
        code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        response = client.post(self.url, {**base, "otp": f"{code:06d}"}, format="json")
        assert response.status_code == 200, response.json()

    def test_repeated_failures_lock_the_account_out(self, demo_world, settings):
        client = APIClient()
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(self.url, {"username": "ps.casemanager", "password": "wrong"}, format="json")
        response = client.post(self.url, {"username": "ps.casemanager", "password": "continuum-demo"}, format="json")
        assert response.status_code == 429
        assert not ApiToken.objects.exists()


class TestAuditVerify:
    url = "/api/v1/audit/verify/"

    def test_dpo_verifies_the_chain(self, api_as):
        response = api_as("dpo").get(self.url)
        assert response.status_code == 200
        body = response.json()
        assert body["ok"] is True and body["first_broken"] is None and body["events"] > 0

    @pytest.mark.parametrize("username", ["admin", "cp.coordinator", "prob.officer", "police.liaison", "evaluator"])
    def test_only_the_dpo_may_verify(self, api_as, username):
        assert api_as(username).get(self.url).status_code == 403


def test_schema_and_docs_are_served_locally(browser_as):
    client = browser_as("prob.officer")
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in ("/api/v1/me/", "/api/v1/organisations/", "/api/v1/auth/token/", "/api/v1/audit/verify/"):
        assert path in text
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html


def test_redoc_loads_nothing_from_outside_and_only_the_docs_allow_inline_styles(browser_as, world):
    client = browser_as("prob.officer")
    redoc = client.get("/api/redoc/")
    assert redoc.status_code == 200
    html = redoc.content.decode()
    assert "googleapis" not in html and "gstatic" not in html
    assert "/static/drf_spectacular_sidecar/redoc/" in html
    # ReDoc and Swagger UI style inline; that is allowed on the documentation pages and nowhere else.
    for path in ("/api/redoc/", "/api/docs/"):
        assert "'unsafe-inline'" in client.get(path)["Content-Security-Policy"].split("style-src")[1].split(";")[0]
    for path in ("/", f"/cases/{world.case.pk}/"):
        assert "unsafe-inline" not in client.get(path)["Content-Security-Policy"]


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("/continuum/favicon.svg")
    assert '<link rel="icon"' in client.get("/login/").content.decode()
