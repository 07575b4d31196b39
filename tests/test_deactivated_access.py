"""Deactivating a user or their organisation stops their API tokens and sessions at once (issue 18)."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from continuum.accounts import actions
from continuum.accounts.models import ApiToken, Organisation

pytestmark = pytest.mark.django_db

PASSWORD = "continuum-demo"
ME = "/api/v1/me/"


def _deactivate_org(persona, slug: str) -> None:
    actions.do_update_organisation(Organisation.objects.get(slug=slug), acting_user=persona("admin"), is_active=False)


def _deactivate_user(persona, username: str) -> None:
    actions.do_update_user(persona(username), acting_user=persona("admin"), is_active=False)


class TestTokens:
    def test_a_deactivated_users_token_is_refused(self, api_as, persona):
        client = api_as("prob.officer")
        assert client.get(ME).status_code == 200
        _deactivate_user(persona, "prob.officer")
        response = client.get(ME)
        assert response.status_code == 401
        assert response.json() == {"detail": "Invalid or expired token."}

    def test_a_deactivated_organisations_tokens_are_refused(self, api_as, persona):
        officer, colleague, other = api_as("prob.officer"), api_as("prob.officer2"), api_as("police.liaison")
        assert officer.get(ME).status_code == colleague.get(ME).status_code == 200
        _deactivate_org(persona, persona("prob.officer").organisation.slug)
        assert officer.get(ME).status_code == 401
        assert colleague.get(ME).status_code == 401
        # Another organisation's user is not touched.
        assert other.get(ME).status_code == 200

    def test_reactivating_the_organisation_lets_the_token_work_again(self, api_as, persona):
        client = api_as("prob.officer")
        slug = persona("prob.officer").organisation.slug
        _deactivate_org(persona, slug)
        assert client.get(ME).status_code == 401
        actions.do_update_organisation(
            Organisation.objects.get(slug=slug), acting_user=persona("admin"), is_active=True
        )
        assert client.get(ME).status_code == 200

    def test_a_user_without_organisation_keeps_their_token(self, api_as):
        # The platform administrator belongs to no organisation; nothing to deactivate there.
        assert api_as("admin").get(ME).status_code == 200

    def test_no_new_token_for_a_deactivated_organisations_user(self, demo_world, persona):
        _deactivate_org(persona, persona("prob.officer").organisation.slug)
        response = APIClient().post(
            "/api/v1/auth/token/", {"username": "prob.officer", "password": PASSWORD}, format="json"
        )
        assert response.status_code == 401
        assert not ApiToken.objects.filter(user__username="prob.officer").exists()


class TestSessions:
    def test_a_deactivated_users_session_is_logged_out(self, browser_as, persona):
        client = browser_as("prob.officer")
        assert client.get("/").status_code == 200
        _deactivate_user(persona, "prob.officer")
        page = client.get("/")
        assert page.status_code == 302 and page["Location"].startswith("/login/")
        assert client.get(ME).status_code in (401, 403)

    def test_a_deactivated_organisations_sessions_are_logged_out(self, persona, demo_world):
        officer, other = Client(), Client()
        officer.force_login(persona("prob.officer"))
        other.force_login(persona("police.liaison"))
        _deactivate_org(persona, persona("prob.officer").organisation.slug)
        page = officer.get("/")
        assert page.status_code == 302 and page["Location"].startswith("/login/")
        assert officer.get(ME).status_code in (401, 403)
        assert other.get("/").status_code == 200
        assert other.get(ME).status_code == 200

    def test_a_deactivated_organisations_user_cannot_log_in(self, client, persona):
        assert client.post("/login/", {"username": "prob.officer2", "password": PASSWORD}).status_code == 302
        _deactivate_org(persona, persona("prob.officer").organisation.slug)
        fresh = Client()
        response = fresh.post("/login/", {"username": "prob.officer", "password": PASSWORD})
        assert response.status_code == 200 and "do not match" in response.content.decode()
        assert fresh.get("/").status_code == 302


def test_no_token_is_issued_for_a_deactivated_organisations_user(persona):
    from django.core.exceptions import ValidationError

    _deactivate_org(persona, persona("prob.officer").organisation.slug)
    with pytest.raises(ValidationError):
        actions.do_create_api_token(persona("prob.officer"), acting_user=persona("admin"))
    assert not ApiToken.objects.filter(user__username="prob.officer").exists()
    # Another organisation's user still gets one.
    actions.do_create_api_token(persona("police.liaison"), acting_user=persona("admin"))
