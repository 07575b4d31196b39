"""Login, second factor, lockout, logout, idle expiry and the administrator's pages (issue 2, Accounts)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from continuum.accounts.models import Organisation, User
from continuum.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "continuum-demo"

# One user of every organisation type, plus the DPO: none of them is an administrator.
NON_ADMIN_USERS = [
    "cp.coordinator",
    "pn.casemanager",
    "prob.officer",
    "muni.coordinator",
    "police.liaison",
    "exit.worker",
    "family.counsellor",
    "mh.clinician",
    "cw.worker",
    "mentor.one",
    "evaluator",
    "dpo",
]


def _code(device: TOTPDevice, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():06d}"


def _login(client, username: str, password: str = PASSWORD):
    return client.post("/login/", {"username": username, "password": password})


class TestLogin:
    def test_login_page_has_labelled_fields(self, client, demo_world):
        html = client.get("/login/").content.decode()
        assert '<label for="id_username">' in html and '<label for="id_password">' in html
        assert 'href="#main"' in html  # skip link

    def test_password_login_reaches_home_and_is_audited(self, client, demo_world):
        response = _login(client, "prob.officer")
        assert response.status_code == 302 and response["Location"] == "/"
        home = client.get("/")
        assert "Probation Service" in home.content.decode()
        event = AuditEvent.objects.filter(action=AuditAction.LOGIN).latest("seq")
        assert event.actor_username == "prob.officer" and event.actor_organisation == "probation"
        assert event.request_id

    def test_wrong_password_shows_a_message_and_is_audited(self, client, demo_world):
        response = _login(client, "prob.officer", "wrong")
        assert response.status_code == 200
        assert "do not match" in response.content.decode()
        assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, actor_username="prob.officer").exists()

    def test_repeated_failures_lock_out_even_the_right_password(self, client, demo_world, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _login(client, "pn.casemanager", "wrong")
        response = _login(client, "pn.casemanager")
        assert response.status_code == 429
        assert "Too many failed attempts" in response.content.decode()
        assert client.get("/").status_code == 302  # still not logged in

    def test_admin_can_lift_a_lockout(self, client, demo_world, settings, browser_as):
        from django.test import Client

        other = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _login(other, "pn.casemanager", "wrong")
        assert _login(other, "pn.casemanager").status_code == 429
        admin = browser_as("admin")
        assert admin.post("/manage/users/pn.casemanager/unlock/").status_code == 302
        assert _login(Client(), "pn.casemanager").status_code == 302

    def test_logout_needs_post_and_is_audited(self, client, demo_world):
        _login(client, "prob.officer")
        assert client.get("/logout/").status_code == 405
        response = client.post("/logout/")
        assert response.status_code == 302
        assert client.get("/").status_code == 302
        assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor_username="prob.officer").exists()

    def test_idle_session_expires(self, client, demo_world, settings):
        _login(client, "prob.officer")
        assert client.get("/").status_code == 200
        assert client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE
        Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")

    def test_activity_keeps_the_session_alive_with_a_save_at_most_once_a_minute(self, client, demo_world, settings):
        from continuum.accounts import middleware

        _login(client, "prob.officer")
        assert client.get("/").status_code == 200  # the first page touches the session
        soon = timezone.now() + timedelta(seconds=20)
        Session.objects.update(expire_date=soon)
        assert client.get("/").status_code == 200
        assert Session.objects.get().expire_date == soon  # touched less than a minute ago: not saved
        session = client.session
        session["touched"] = int(time.time()) - middleware.TOUCH_EVERY_SECONDS
        session.save()
        Session.objects.update(expire_date=soon)
        assert client.get("/").status_code == 200
        assert Session.objects.get().expire_date > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


class TestSecondFactor:
    def test_required_2fa_sends_a_new_user_to_enrolment_and_blocks_everything_else(self, client, demo_world, settings):
        settings.CONTINUUM_REQUIRE_2FA = True
        response = _login(client, "prob.officer")
        assert response["Location"].startswith("/two-factor/setup/")
        for path in ("/", "/account/", "/manage/users/"):
            blocked = client.get(path)
            assert blocked.status_code == 302 and blocked["Location"].startswith("/two-factor/setup/")
        # The session does not authenticate API calls either.
        assert client.get("/api/v1/me/").status_code in (401, 403)
        assert not AuditEvent.objects.filter(action=AuditAction.LOGIN, actor_username="prob.officer").exists()

    def test_enrolment_with_the_apps_code_completes_the_login(self, client, demo_world, settings):
        settings.CONTINUUM_REQUIRE_2FA = True
        _login(client, "prob.officer")
        page = client.get("/two-factor/setup/")
        assert "<svg" in page.content.decode()  # the QR code, inline, no external image
        device = TOTPDevice.objects.get(user__username="prob.officer", confirmed=False)
        wrong = client.post("/two-factor/setup/", {"code": "000000"})
        assert wrong.status_code == 200 and "not right" in wrong.content.decode()
        device.refresh_from_db()
        device.throttle_reset()  # a wrong code makes the next try wait a moment
        response = client.post("/two-factor/setup/", {"code": _code(device)})
        assert response.status_code == 302 and response["Location"] == "/"
        assert client.get("/").status_code == 200
        assert client.get("/api/v1/me/").status_code == 200
        assert TOTPDevice.objects.get(user__username="prob.officer").confirmed
        assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_ENROLLED).exists()
        assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor_username="prob.officer").exists()

    def test_enrolled_user_must_give_a_code_even_where_2fa_is_optional(self, client, persona):
        device = TOTPDevice.objects.create(user=persona("muni.coordinator"), name="app", confirmed=True)
        response = _login(client, "muni.coordinator")
        assert response["Location"].startswith("/login/verify/")
        assert client.get("/").status_code == 302
        # Enrolling a new authenticator must not sidestep the one already there.
        sidestep = client.get("/two-factor/setup/")
        assert sidestep.status_code == 302 and sidestep["Location"].startswith("/login/verify/")
        wrong = client.post("/login/verify/", {"code": "123456" if _code(device) != "123456" else "654321"})
        assert wrong.status_code == 200
        assert AuditEvent.objects.filter(
            action=AuditAction.LOGIN_FAILED, actor_username="muni.coordinator", detail__stage="second_factor"
        ).exists()
        device.refresh_from_db()
        device.throttle_reset()
        ok = client.post("/login/verify/", {"code": _code(device)})
        assert ok.status_code == 302
        assert client.get("/").status_code == 200

    def test_admin_reset_of_second_factor_makes_the_user_enrol_again(self, client, persona, browser_as):
        TOTPDevice.objects.create(user=persona("muni.coordinator"), name="app", confirmed=True)
        browser_as("admin").post("/manage/users/muni.coordinator/reset-two-factor/")
        assert not TOTPDevice.objects.filter(user__username="muni.coordinator").exists()
        assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_RESET).exists()


class TestAdministration:
    def test_admin_sees_the_management_pages(self, browser_as):
        client = browser_as("admin")
        home = client.get("/").content.decode()
        assert "/manage/organisations/" in home and "/manage/users/" in home
        for path in (
            "/manage/organisations/",
            "/manage/users/",
            "/manage/organisations/new/",
            "/manage/users/new/",
            "/manage/users/prob.officer/",
            "/manage/organisations/probation/",
        ):
            assert client.get(path).status_code == 200, path

    @pytest.mark.parametrize("username", NON_ADMIN_USERS)
    def test_other_roles_cannot_manage_accounts(self, browser_as, username):
        client = browser_as(username)
        assert "/manage/users/" not in client.get("/").content.decode()
        for path in (
            "/manage/organisations/",
            "/manage/users/",
            "/manage/users/new/",
            "/manage/users/prob.officer/",
        ):
            assert client.get(path).status_code == 403, path
        before = User.objects.count()
        response = client.post(
            "/manage/users/new/",
            {
                "username": "intruder",
                "organisation": Organisation.objects.get(slug="police").pk,
                "role": "admin",
                "password": "a-long-enough-password",
                "is_active": "on",
            },
        )
        assert response.status_code == 403 and User.objects.count() == before
        assert client.post("/manage/users/prob.officer/reset-two-factor/").status_code == 403

    def test_admin_creates_an_organisation_and_a_user(self, browser_as):
        client = browser_as("admin")
        response = client.post(
            "/manage/organisations/new/",
            {
                "slug": "prison-east",
                "name": "Prison East",
                "type": "prison",
                "mandate": "",
                "is_active": "on",
            },
        )
        assert response.status_code == 302
        prison = Organisation.objects.get(slug="prison-east")
        response = client.post(
            "/manage/users/new/",
            {
                "username": "pe.casemanager",
                "first_name": "Eva",
                "last_name": "Ost",
                "email": "",
                "organisation": prison.pk,
                "role": "case_manager",
                "password": "a-long-enough-pass-phrase",
                "is_active": "on",
            },
        )
        assert response.status_code == 302
        user = User.objects.get(username="pe.casemanager")
        assert user.organisation == prison and user.role == "case_manager"
        assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="user", object_id=str(user.pk)).exists()

    def test_bad_input_shows_errors_and_changes_nothing(self, browser_as):
        client = browser_as("admin")
        before = (Organisation.objects.count(), User.objects.count(), AuditEvent.objects.count())
        bad_org = client.post("/manage/organisations/new/", {"slug": "has spaces", "name": "", "type": "bank"})
        assert bad_org.status_code == 200 and "field-error" in bad_org.content.decode()
        weak = client.post(
            "/manage/users/new/",
            {
                "username": "weak",
                "organisation": Organisation.objects.get(slug="police").pk,
                "role": "practitioner",
                "password": "short",
                "is_active": "on",
            },
        )
        assert weak.status_code == 200 and "too short" in weak.content.decode()
        assert (Organisation.objects.count(), User.objects.count(), AuditEvent.objects.count()) == before

    def test_admin_cannot_lock_themselves_out(self, browser_as, persona):
        client = browser_as("admin")
        admin = persona("admin")
        response = client.post(
            "/manage/users/admin/",
            {
                "first_name": "",
                "last_name": "",
                "email": "",
                "organisation": admin.organisation_id,
                "role": "practitioner",
                "password": "",
            },
        )
        assert response.status_code == 200
        admin.refresh_from_db()
        assert admin.role == "admin" and admin.is_active


class TestAuditPages:
    def test_dpo_reads_the_log_and_checks_the_chain(self, browser_as):
        client = browser_as("dpo")
        assert client.get("/audit/").status_code == 200
        assert client.get("/audit/?action=login_failed&actor=x").status_code == 200
        result = client.post("/audit/chain/")
        assert result.status_code == 200 and "The chain is intact" in result.content.decode()

    @pytest.mark.parametrize("username", ["admin", *[u for u in NON_ADMIN_USERS if u != "dpo"]])
    def test_nobody_else_reads_the_audit_log(self, browser_as, username):
        client = browser_as(username)
        assert client.get("/audit/").status_code == 403
        assert client.get("/audit/chain/").status_code == 403


@pytest.mark.parametrize("path", ["/", "/account/", "/login/"])
def test_pages_are_not_cached_and_carry_security_headers(browser_as, path):
    response = browser_as("prob.officer").get(path, follow=True)
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'nonce-" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_not_found_page_and_api_404_are_plain(browser_as):
    client = browser_as("prob.officer")
    page = client.get("/no/such/page/")
    assert page.status_code == 404 and "not shared with your organisation" in page.content.decode()
    api = client.get("/api/v1/no-such-endpoint/")
    assert api.status_code == 404 and api.json() == {"detail": "Not found."}
