"""The lockout keyed so that one attacker cannot lock out an agency (issue 18): per username and real
client address, with a higher limit per address against password spraying; lockout answers in JSON
on the API; and the deploy checks for the proxy settings and the collected static files."""

from __future__ import annotations

import pytest
from django.core import checks
from django.test import Client

from continuum.accounts.checks import check_static_manifest, check_trusted_proxies
from continuum.accounts.models import ApiToken
from continuum.lib.client_ip import parse_networks
from tests.test_settings import PRODUCTION, _run, collected_static

pytestmark = pytest.mark.django_db

PASSWORD = "continuum-demo"
PROXY = "10.0.0.1"
ATTACKER = "198.51.100.66"
COLLEAGUE = "203.0.113.7"
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def behind_one_proxy(settings):
    settings.CONTINUUM_BEHIND_PROXY = True
    settings.CONTINUUM_TRUSTED_PROXY_NETWORKS = parse_networks([PROXY])
    settings.CONTINUUM_TRUSTED_PROXY_COUNT = 0


def _from(address: str, spoofed: str = "") -> Client:
    """A browser at ``address``, reaching Continuum through the one trusted proxy."""
    forwarded = f"{spoofed}, {address}" if spoofed else address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def _login(client: Client, username: str, password: str = PASSWORD) -> int:
    return client.post("/login/", {"username": username, "password": password}).status_code


def _fail(settings, username: str, address: str, times: int | None = None) -> None:
    """Wrong passwords; the one that reaches the limit is already answered with the lockout."""
    limit = settings.AXES_FAILURE_LIMIT
    for n in range(1, (limit if times is None else times) + 1):
        assert _login(_from(address), username, "wrong") == (429 if n >= limit else 200)


class TestPerUsernameAndAddress:
    def test_the_attacker_locks_only_the_pair(self, demo_world, behind_one_proxy, settings):
        _fail(settings, "prob.officer", ATTACKER)
        # The attacker, from their address, is refused even the right password …
        assert _login(_from(ATTACKER), "prob.officer") == 429
        # … but the user logs in from their own address, and another user from the attacker's.
        assert _login(_from(COLLEAGUE), "prob.officer") == 302
        assert _login(_from(ATTACKER), "prob.officer2") == 302

    def test_one_attacker_behind_the_agency_proxy_does_not_lock_the_agency(
        self, demo_world, behind_one_proxy, settings
    ):
        # The finding: every request came from the proxy, so five failures locked everyone.
        _fail(settings, "pn.casemanager", ATTACKER)
        for username in ("prob.officer", "pn.security", "police.liaison"):
            assert _login(_from(COLLEAGUE), username) == 302

    def test_spoofing_the_left_header_does_not_escape_the_lock(self, demo_world, behind_one_proxy, settings):
        for n in range(1, settings.AXES_FAILURE_LIMIT + 1):
            status = _login(_from(ATTACKER, spoofed=f"192.0.2.{n}"), "prob.officer", "wrong")
            assert status == (429 if n == settings.AXES_FAILURE_LIMIT else 200)
        assert _login(_from(ATTACKER, spoofed="192.0.2.200"), "prob.officer") == 429

    def test_a_success_before_the_limit_resets_the_count(self, demo_world, behind_one_proxy, settings):
        _fail(settings, "prob.officer", ATTACKER, times=settings.AXES_FAILURE_LIMIT - 1)
        assert _login(_from(ATTACKER), "prob.officer") == 302
        _fail(settings, "prob.officer", ATTACKER, times=settings.AXES_FAILURE_LIMIT - 1)
        assert _login(_from(ATTACKER), "prob.officer") == 302


class TestPerAddress:
    def test_spraying_many_usernames_locks_the_address(self, demo_world, behind_one_proxy, settings):
        settings.CONTINUUM_LOCKOUT_ADDRESS_FAILURES = 6
        for username in ("a1", "a2", "a3", "prob.officer", "a5"):
            assert _login(_from(ATTACKER), username, "wrong") == 200
        assert _login(_from(ATTACKER), "a6", "wrong") == 429
        # No single pair reached five, yet the address is locked for every username …
        assert _login(_from(ATTACKER), "prob.officer2") == 429
        # … and only the address: the same user elsewhere is not.
        assert _login(_from(COLLEAGUE), "prob.officer2") == 302

    def test_below_the_address_limit_other_users_still_log_in(self, demo_world, behind_one_proxy, settings):
        settings.CONTINUUM_LOCKOUT_ADDRESS_FAILURES = 6
        for username in ("a1", "a2", "a3", "a4", "a5"):
            assert _login(_from(ATTACKER), username, "wrong") == 200
        assert _login(_from(ATTACKER), "prob.officer2") == 302

    def test_zero_switches_the_address_limit_off(self, demo_world, behind_one_proxy, settings):
        settings.CONTINUUM_LOCKOUT_ADDRESS_FAILURES = 0
        for n in range(12):
            assert _login(_from(ATTACKER), f"nobody{n}", "wrong") == 200
        assert _login(_from(ATTACKER), "prob.officer") == 302

    def test_the_default_address_limit_is_well_above_the_pair_limit(self, settings):
        assert settings.CONTINUUM_LOCKOUT_ADDRESS_FAILURES >= 5 * settings.AXES_FAILURE_LIMIT


class TestLockoutAnswers:
    def test_on_the_api_a_lockout_is_json_with_retry_after(self, demo_world, settings):
        client = Client()
        for n in range(1, settings.AXES_FAILURE_LIMIT + 1):
            response = client.post(
                TOKEN_URL, {"username": "ps.casemanager", "password": "wrong"}, content_type="application/json"
            )
            assert response.status_code == (429 if n == settings.AXES_FAILURE_LIMIT else 401)
        response = client.post(
            TOKEN_URL, {"username": "ps.casemanager", "password": PASSWORD}, content_type="application/json"
        )
        assert response.status_code == 429
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"detail"} and response.json()["detail"]
        assert int(response["Retry-After"]) == int(settings.AXES_COOLOFF_TIME.total_seconds())
        assert not ApiToken.objects.exists()

    def test_on_pages_a_lockout_is_the_html_page(self, demo_world, settings):
        client = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _login(client, "ps.casemanager", "wrong")
        response = client.post("/login/", {"username": "ps.casemanager", "password": PASSWORD})
        assert response.status_code == 429
        assert response["Content-Type"].startswith("text/html")
        assert "Too many failed attempts" in response.content.decode()

    def test_the_api_lockout_speaks_the_callers_language(self, demo_world, settings):
        client = Client(HTTP_ACCEPT_LANGUAGE="nl")
        body = {"username": "ps.casemanager", "password": "wrong"}
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            response = client.post(TOKEN_URL, body, content_type="application/json")
        assert response.status_code == 429
        assert "Too many" not in response.json()["detail"]


def _deploy_errors() -> list[str]:
    return [message.id for message in checks.run_checks(include_deployment_checks=True) if message.is_serious()]


class TestDeployChecks:
    def test_behind_a_proxy_without_trusted_proxies_fails(self, settings):
        settings.CONTINUUM_BEHIND_PROXY = True
        settings.CONTINUUM_TRUSTED_PROXY_NETWORKS = ()
        settings.CONTINUUM_TRUSTED_PROXY_COUNT = 0
        assert [m.id for m in check_trusted_proxies()] == ["continuum.E001"]
        assert "continuum.E001" in _deploy_errors()

    @pytest.mark.parametrize(("networks", "count"), [(parse_networks(["10.0.0.0/8"]), 0), ((), 2)])
    def test_behind_a_proxy_with_trusted_proxies_passes(self, settings, networks, count):
        settings.CONTINUUM_BEHIND_PROXY = True
        settings.CONTINUUM_TRUSTED_PROXY_NETWORKS = networks
        settings.CONTINUUM_TRUSTED_PROXY_COUNT = count
        assert check_trusted_proxies() == []

    def test_not_behind_a_proxy_passes(self, settings):
        settings.CONTINUUM_BEHIND_PROXY = False
        settings.CONTINUUM_TRUSTED_PROXY_NETWORKS = ()
        assert check_trusted_proxies() == []

    def test_the_proxy_check_is_a_deploy_check_only(self, settings):
        settings.CONTINUUM_BEHIND_PROXY = True
        settings.CONTINUUM_TRUSTED_PROXY_NETWORKS = ()
        settings.CONTINUUM_TRUSTED_PROXY_COUNT = 0
        assert "continuum.E001" not in [m.id for m in checks.run_checks()]

    def test_manifest_storage_without_collected_static_files_fails(self, settings, tmp_path):
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        }
        settings.STATIC_ROOT = str(tmp_path)
        assert [m.id for m in check_static_manifest()] == ["continuum.E002"]
        assert "continuum.E002" in _deploy_errors()
        (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
        assert check_static_manifest() == []

    def test_plain_storage_needs_no_manifest(self, settings, tmp_path):
        settings.STATIC_ROOT = str(tmp_path)
        assert settings.STORAGES["staticfiles"]["BACKEND"].endswith("StaticFilesStorage")
        assert "Manifest" not in settings.STORAGES["staticfiles"]["BACKEND"]
        assert check_static_manifest() == []


class TestDeployCheckCommand:
    """`continuum check --deploy` as the operator runs it, with production settings."""

    def test_fails_before_collectstatic(self, tmp_path):
        result = _run(["check", "--deploy"], PRODUCTION, tmp_path)
        assert result.returncode != 0 and "continuum.E002" in result.stderr

    def test_fails_behind_a_proxy_without_trusted_proxies(self, tmp_path):
        collected_static(tmp_path)
        result = _run(["check", "--deploy"], {**PRODUCTION, "CONTINUUM_BEHIND_PROXY": "true"}, tmp_path)
        assert result.returncode != 0 and "continuum.E001" in result.stderr

    @pytest.mark.parametrize(
        "trusted", [{"CONTINUUM_TRUSTED_PROXIES": "10.0.0.1, 10.1.0.0/16"}, {"CONTINUUM_TRUSTED_PROXY_COUNT": "1"}]
    )
    def test_passes_behind_a_proxy_with_trusted_proxies(self, tmp_path, trusted):
        collected_static(tmp_path)
        env = {**PRODUCTION, "CONTINUUM_BEHIND_PROXY": "true", **trusted}
        result = _run(["check", "--deploy"], env, tmp_path)
        # Only Continuum's own checks are asked about here (other apps' warnings are other tests' business).
        assert result.returncode == 0, result.stdout + result.stderr
        assert "continuum.E" not in result.stdout + result.stderr
