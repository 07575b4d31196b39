"""Who may register persons (API.md, "Who may"): the same people who open cases."""

from __future__ import annotations

from typing import Any

from continuum.accounts.choices import OrgType, Role
from continuum.accounts.policy import active_with_org

CASE_OPENING_ORG_TYPES = frozenset({OrgType.CENTRAL_POINT, OrgType.PRISON, OrgType.PROBATION, OrgType.MUNICIPALITY})
CASE_OPENING_ROLES = frozenset({Role.COORDINATOR, Role.ANALYST, Role.CASE_MANAGER})


def can_open_cases(user: Any) -> bool:
    """Coordinators, analysts and case managers of the central point, prisons, probation, municipalities."""
    return (
        active_with_org(user) and user.role in CASE_OPENING_ROLES and user.organisation.type in CASE_OPENING_ORG_TYPES
    )
