"""Who may oversee information sharing: the data protection officer (DESIGN.md R2, R5, R11)."""

from __future__ import annotations

from typing import Any

from continuum.accounts.choices import OrgType, Role
from continuum.accounts.policy import active_with_org


def can_grant_override(user: Any, case: Any) -> bool:
    """R5: only a coordinator of the lead organisation or of the central point."""
    if not active_with_org(user) or user.role != Role.COORDINATOR:
        return False
    return user.organisation.type == OrgType.CENTRAL_POINT or user.organisation_id == case.lead_organisation_id


def can_read_disclosures(user: Any, case: Any | None) -> bool:
    """The DPO, and the lead organisation's coordinator for that case."""
    if not active_with_org(user):
        return False
    if user.role == Role.DPO:
        return True
    return case is not None and user.role == Role.COORDINATOR and user.organisation_id == case.lead_organisation_id


def can_oversee_sharing(user: Any) -> bool:
    """The policy matrix, the override review queue and persons' disclosure reports: the DPO only."""
    return bool(user.is_authenticated and user.is_active and getattr(user, "role", None) == Role.DPO)
