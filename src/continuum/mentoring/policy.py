"""Who may do what with mentoring (the rules; the actions and views enforce them).

- A mentor profile (and its supervision) is recorded by a coordinator of the mentor's (mentoring)
  organisation or by a coordinator of the central point.
- Profiles are read by coordinators and case managers; a mentor reads their own.
- A match is made (and ended) by whoever manages the case (``cases.policy.can_manage_case``) or by a
  case manager of a probation service or prison that is a member of the case; the same users read
  the suggestions.
- A session is recorded by the match's mentor only, while the match is active.
"""

from __future__ import annotations

from typing import Any

from continuum.accounts.choices import OrgType, Role
from continuum.cases.policy import can_manage_case
from continuum.sharing import engine


def _active(user: Any) -> bool:
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.organisation_id is not None
    )


def is_coordinator(user: Any) -> bool:
    return _active(user) and user.role == Role.COORDINATOR


def is_central_coordinator(user: Any) -> bool:
    return is_coordinator(user) and user.organisation.type == OrgType.CENTRAL_POINT


def can_manage_profiles(user: Any) -> bool:
    """Whether the user records mentor profiles at all (for some mentor)."""
    return is_coordinator(user) and user.organisation.type in (OrgType.CENTRAL_POINT, OrgType.MENTORING)


def can_manage_profile_of(user: Any, mentor_user: Any) -> bool:
    if not can_manage_profiles(user):
        return False
    return is_central_coordinator(user) or user.organisation_id == mentor_user.organisation_id


def can_read_all_profiles(user: Any) -> bool:
    return _active(user) and user.role in (Role.COORDINATOR, Role.CASE_MANAGER)


def can_read_profile(user: Any, profile: Any) -> bool:
    return can_read_all_profiles(user) or (_active(user) and profile.user_id == user.pk)


def can_match(user: Any, case: Any) -> bool:
    if not _active(user):
        return False
    if can_manage_case(user, case):
        return True
    return (
        user.role == Role.CASE_MANAGER
        and user.organisation.type in (OrgType.PROBATION, OrgType.PRISON)
        and engine.is_current_member(user.organisation_id, case.pk)
    )
