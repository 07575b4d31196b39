"""The one resolver of the client's address behind reverse proxies (issue 18): the rightmost address
that is not a trusted proxy, used by the audit log and by the lockout alike; never the leftmost
``X-Forwarded-For`` entry, which the client chooses."""

from __future__ import annotations

import subprocess

import pytest
from axes.models import AccessAttempt
from django.test import Client

from continuum.audit.models import AuditAction, AuditEvent
from continuum.lib.client_ip import parse_address, parse_networks, resolve
from tests.test_settings import PRODUCTION, _run

PROXY = "10.0.0.1"
SECOND_PROXY = "10.0.0.2"
CLIENT = "203.0.113.7"
SPOOFED = "198.51.100.66"
TRUSTED = parse_networks(["10.0.0.0/24"])


class TestResolver:
    def test_one_trusted_proxy_by_address_ignores_the_spoofed_left_entry(self):
        assert resolve(PROXY, f"{SPOOFED}, {CLIENT}", trusted=TRUSTED) == CLIENT

    def test_one_trusted_proxy_by_count_ignores_the_spoofed_left_entry(self):
        assert resolve(PROXY, f"{SPOOFED}, {CLIENT}", count=1) == CLIENT

    def test_two_proxies(self):
        forwarded = f"{SPOOFED}, {CLIENT}, {SECOND_PROXY}"
        assert resolve(PROXY, forwarded, trusted=TRUSTED) == CLIENT
        assert resolve(PROXY, forwarded, count=2) == CLIENT

    def test_several_headers_joined_by_commas_are_one_chain(self):
        # WSGI joins repeated X-Forwarded-For headers with commas: still read from the right.
        assert resolve(PROXY, f"{SPOOFED},{SPOOFED} ,{CLIENT}", trusted=TRUSTED) == CLIENT

    def test_a_direct_hit_past_the_proxy_keeps_its_own_address(self):
        # Not through a trusted proxy: the header is the client's own words and is not believed.
        assert resolve(CLIENT, f"{SPOOFED}", trusted=TRUSTED) == CLIENT

    def test_without_a_header_the_peer_is_the_client(self):
        assert resolve(CLIENT, None, trusted=TRUSTED) == CLIENT
        assert resolve(CLIENT, "", count=1) == CLIENT

    def test_without_trusted_proxies_the_header_is_ignored(self):
        assert resolve(PROXY, f"{SPOOFED}, {CLIENT}") == PROXY

    def test_only_trusted_hops_give_the_leftmost_of_them(self):
        assert resolve(PROXY, SECOND_PROXY, trusted=TRUSTED) == SECOND_PROXY

    def test_a_malformed_hop_is_never_the_answer(self):
        assert resolve(PROXY, f"{CLIENT}, not-an-address", trusted=TRUSTED) == PROXY
        assert resolve(PROXY, f"{SPOOFED}, <script>, {CLIENT}", trusted=TRUSTED) == CLIENT
        assert resolve(PROXY, "not-an-address", count=1) == PROXY
        assert resolve("garbage", CLIENT, count=1) is None

    def test_ports_brackets_and_mapped_addresses(self):
        assert parse_address("203.0.113.7:5678") == parse_address(CLIENT)
        assert str(parse_address("[2001:db8::1]:443")) == "2001:db8::1"
        assert str(parse_address("2001:db8::1")) == "2001:db8::1"
        assert str(parse_address("::ffff:203.0.113.7")) == CLIENT
        assert resolve(PROXY, "[2001:db8::1]:443", trusted=TRUSTED) == "2001:db8::1"

    def test_a_bad_network_is_refused_naming_it(self):
        with pytest.raises(ValueError, match=r"10\.0\.0\.300"):
            parse_networks(["10.0.0.0/8", "10.0.0.300"])


def test_a_bad_trusted_proxy_stops_start_up(tmp_path):
    result: subprocess.CompletedProcess[str] = _run(
        ["check"], {**PRODUCTION, "CONTINUUM_TRUSTED_PROXIES": "10.0.0.1,proxy.example.org"}, tmp_path
    )
    assert result.returncode != 0
    assert "CONTINUUM_TRUSTED_PROXIES" in result.stderr and "proxy.example.org" in result.stderr


@pytest.fixture
def behind_one_proxy(settings):
    settings.CONTINUUM_BEHIND_PROXY = True
    settings.CONTINUUM_TRUSTED_PROXY_NETWORKS = parse_networks([PROXY])
    settings.CONTINUUM_TRUSTED_PROXY_COUNT = 0


def _through_proxy(forwarded: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.django_db
class TestThroughAProxy:
    def test_failed_login_records_the_real_address_in_the_audit_log_and_in_axes(self, demo_world, behind_one_proxy):
        client = _through_proxy(f"{SPOOFED}, {CLIENT}")
        client.post("/login/", {"username": "prob.officer", "password": "wrong"})
        event = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).latest("seq")
        assert event.ip == CLIENT
        attempt = AccessAttempt.objects.get(username="prob.officer")
        assert attempt.ip_address == CLIENT

    def test_successful_login_records_the_real_address(self, demo_world, behind_one_proxy):
        client = _through_proxy(f"{SPOOFED}, {CLIENT}")
        response = client.post("/login/", {"username": "prob.officer", "password": "continuum-demo"})
        assert response.status_code == 302
        event = AuditEvent.objects.filter(action=AuditAction.LOGIN).latest("seq")
        assert event.ip == CLIENT

    def test_by_count_the_same(self, demo_world, settings):
        settings.CONTINUUM_BEHIND_PROXY = True
        settings.CONTINUUM_TRUSTED_PROXY_NETWORKS = ()
        settings.CONTINUUM_TRUSTED_PROXY_COUNT = 1
        _through_proxy(f"{SPOOFED}, {CLIENT}").post("/login/", {"username": "prob.officer", "password": "wrong"})
        assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).latest("seq").ip == CLIENT
        assert AccessAttempt.objects.get(username="prob.officer").ip_address == CLIENT

    def test_api_token_login_failure_records_the_real_address(self, demo_world, behind_one_proxy):
        client = _through_proxy(f"{SPOOFED}, {CLIENT}")
        response = client.post(
            "/api/v1/auth/token/", {"username": "prob.officer", "password": "wrong"}, content_type="application/json"
        )
        assert response.status_code == 401
        assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).latest("seq").ip == CLIENT
        assert AccessAttempt.objects.get(username="prob.officer").ip_address == CLIENT

    def test_not_behind_a_proxy_the_header_is_not_believed(self, demo_world, settings):
        settings.CONTINUUM_BEHIND_PROXY = False
        _through_proxy(f"{SPOOFED}, {CLIENT}").post("/login/", {"username": "prob.officer", "password": "wrong"})
        assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).latest("seq").ip == PROXY
        assert AccessAttempt.objects.get(username="prob.officer").ip_address == PROXY

    def test_behind_a_proxy_without_trusted_proxies_the_header_is_not_believed(self, demo_world, settings):
        settings.CONTINUUM_BEHIND_PROXY = True
        settings.CONTINUUM_TRUSTED_PROXY_NETWORKS = ()
        settings.CONTINUUM_TRUSTED_PROXY_COUNT = 0
        _through_proxy(f"{SPOOFED}").post("/login/", {"username": "prob.officer", "password": "wrong"})
        assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).latest("seq").ip == PROXY
