"""Who may report signals and who triages them (issue 4)."""

from __future__ import annotations

from typing import Any

from continuum.accounts.choices import NO_CASE_CONTENT_ROLES, OrgType, Role
from continuum.signals.choices import REPORTING_ORG_TYPES

TRIAGE_ROLES = frozenset({Role.ANALYST, Role.COORDINATOR})


def _active_member(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.organisation_id
        and user.organisation.is_active
        and user.role not in NO_CASE_CONTENT_ROLES
    )


def can_report_signals(user: Any) -> bool:
    """Any active member of a reporting organisation (prison, police, probation, municipality, NGOs,
    mental health, child welfare); never administrators or data protection officers (R10)."""
    return _active_member(user) and user.organisation.type in REPORTING_ORG_TYPES


def can_triage_signals(user: Any) -> bool:
    """The central point's analysts and coordinators: intake, enrichment, matching and triage."""
    return _active_member(user) and user.organisation.type == OrgType.CENTRAL_POINT and user.role in TRIAGE_ROLES


def can_use_signals(user: Any) -> bool:
    return can_report_signals(user) or can_triage_signals(user)
