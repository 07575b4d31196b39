"""Django's model backend, reading a session's user together with its organisation (one query, not two),
and refusing anyone whose account or organisation is deactivated."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from continuum.accounts.models import User


def can_authenticate(user: Any) -> bool:
    """An active user of an active organisation (or of none: a platform administrator).

    Asked at login and on every request of a session (``get_user``), so deactivating a user or their
    organisation ends their sessions at once; API tokens ask the same through ``ApiToken.objects.usable``."""
    if not getattr(user, "is_active", False):
        return False
    organisation = getattr(user, "organisation", None)
    return organisation is None or bool(organisation.is_active)


class UserBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        return can_authenticate(user)

    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("organisation").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
