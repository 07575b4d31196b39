"""Who may do what in data protection, as plain functions of the user (the views and actions ask these)."""

from __future__ import annotations

from typing import Any

from continuum.accounts.choices import Role
from continuum.accounts.policy import active_with_org


def can_take_subject_access(user: Any) -> bool:
    """Subject access and its restrictions (LED Arts. 14-15): the data protection officer only."""
    return active_with_org(user) and user.role == Role.DPO
