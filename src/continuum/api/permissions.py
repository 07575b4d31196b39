"""What the API views of every app share about permissions.

The permission classes live with their rules, in each app's ``api/permissions.py``.
"""

from __future__ import annotations

from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from continuum.accounts.models import User


def acting_user(request: Request) -> User:
    """The user a request acts as, once authentication has let it through (typed for the actions)."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user
