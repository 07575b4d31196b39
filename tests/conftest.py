"""Shared fixtures: the demo world's personas (STYLE.md 7) and API clients acting as them."""

from __future__ import annotations

import os

import pytest
from rest_framework.test import APIClient

from continuum.accounts import actions, demo
from continuum.accounts.models import User

# Playwright's sync API runs an event loop in the test thread; the live server's ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def demo_world(db):
    """The organisations and users of DESIGN.md section 6."""
    demo.seed()


@pytest.fixture
def persona(demo_world):
    def get(username: str) -> User:
        return User.objects.select_related("organisation").get(username=username)

    return get


@pytest.fixture
def api_as(persona):
    """An API client authenticated with a real token of the named demo user."""

    def make(username: str) -> APIClient:
        user = persona(username)
        _token, key = actions.do_create_api_token(user, acting_user=None, label="test")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@pytest.fixture
def json_api_as(api_as):
    """``api_as``, whose requests send JSON bodies by default."""

    def make(username: str) -> APIClient:
        client = api_as(username)
        client.default_format = "json"
        return client

    return make


@pytest.fixture
def browser_as(client, persona):
    """A Django test client logged in (session) as the named demo user."""

    def make(username: str):
        client.force_login(persona(username))
        return client

    return make


# --- The API tests' shared case world (tests/api_world.py), built once per test module -------------


@pytest.fixture(scope="module")
def upload_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker, upload_dir):
    from tests.api_world import module_world

    yield from module_world(django_db_blocker, upload_dir)


@pytest.fixture(autouse=True)
def media_root(settings, upload_dir):
    """Uploaded files of every test go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = str(upload_dir)


@pytest.fixture
def world(built_world, db):
    return built_world.reload()
