"""Django's model backend, reading a session's user together with its organisation (one query, not two)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from continuum.accounts.models import User


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("organisation").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
