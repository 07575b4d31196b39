"""Who may see which statistics (the rules; the views enforce them).

- Tables of one's own cases (scope ``mine``): whoever sees case content (a member of case teams).
  Inside the team nothing is suppressed.
- Tables of every case (scope ``all``), always through the disclosure control: evaluators of a research
  organisation (R9: aggregates only), coordinators of any organisation, and the central point.
- Publications are built and published by the same users as ``all`` tables; once published they are
  public reports that every user may read.
- The DPO and the administrator see no case content (R10), and no statistics of it either.
"""

from __future__ import annotations

from typing import Any

from continuum.accounts.choices import OrgType, Role
from continuum.sharing import engine


def _active(user: Any) -> bool:
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.organisation_id is not None
        and user.role not in (Role.DPO, Role.ADMIN)
    )


def can_see_all(user: Any) -> bool:
    if not _active(user):
        return False
    return user.organisation.type in (OrgType.RESEARCH, OrgType.CENTRAL_POINT) or user.role == Role.COORDINATOR


def can_see_mine(user: Any) -> bool:
    return _active(user) and engine.viewer_for(user).sees_content


def can_use_tables(user: Any) -> bool:
    return can_see_all(user) or can_see_mine(user)


def default_scope(user: Any) -> str:
    """Research sees no case (R9): its tables are of every case. Everyone else starts with their own."""
    return "mine" if can_see_mine(user) else "all"


def can_publish(user: Any) -> bool:
    return can_see_all(user)


def can_read_publications(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def can_export_microdata(user: Any) -> bool:
    """The research export is for evaluators of a research organisation only (R9)."""
    return _active(user) and user.organisation.type == OrgType.RESEARCH


def can_read_lessons(user: Any) -> bool:
    """Lessons are written for all organisations: every active user of one reads them."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.organisation_id is not None
    )


def can_write_lesson(user: Any) -> bool:
    """Whoever works on cases, and the central point, writes lessons (not research, the DPO or the administrator)."""
    return _active(user) and (engine.viewer_for(user).sees_content or user.organisation.type == OrgType.CENTRAL_POINT)
