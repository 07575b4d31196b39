"""Who may oversee information sharing: the data protection officer (DESIGN.md R2, R5, R11)."""

from __future__ import annotations

from typing import Any

from continuum.accounts.choices import Role


def can_oversee_sharing(user: Any) -> bool:
    """The policy matrix, the override review queue and persons' disclosure reports: the DPO only."""
    return bool(user.is_authenticated and user.is_active and getattr(user, "role", None) == Role.DPO)
