"""The user-level conditions that every app's rules start from."""

from __future__ import annotations

from typing import Any


def active_with_org(user: Any) -> bool:
    """A logged-in, active user who belongs to an organisation (what every case rule asks first)."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.organisation_id)
