"""Typing help for views that only run for logged-in users."""

from __future__ import annotations

from django.http import HttpRequest

from continuum.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind ``login_required``: ``request.user`` is a real ``User``."""

    user: User
