"""Who may schedule conferences, propose decisions, give positions, add actions and minutes (issue 6), and
cancel one meeting of a series (issue 12).

Conferences are for the organisations of the policy matrix that write ``conference`` records (the
central point, prisons, probation, municipalities by default): their coordinators and case managers
schedule them. Everything about one case (decisions, actions, minutes) needs a participating
organisation that is a current member of that case and may write ``conference`` on it (R1, R2).
"""

from __future__ import annotations

from typing import Any

from continuum.accounts.choices import Role
from continuum.sharing import engine
from continuum.sharing.choices import Access, Category

SCHEDULING_ROLES = frozenset({Role.COORDINATOR, Role.CASE_MANAGER})


def uses_conferences(user: Any) -> bool:
    """Whoever sees case content may take part in conferences their organisation joins."""
    return engine.viewer_for(user).sees_content


def can_schedule_conferences(user: Any) -> bool:
    """Coordinators and case managers of organisations that may write ``conference`` (the matrix)."""
    viewer = engine.viewer_for(user)
    if not viewer.sees_content or user.role not in SCHEDULING_ROLES:
        return False
    return engine.matrix_for(viewer.org_type).get(Category.CONFERENCE) == Access.WRITE


def takes_part(user: Any, participant_ids: set[Any]) -> bool:
    return engine.viewer_for(user).sees_content and user.organisation_id in participant_ids


def can_write_on_case(user: Any, participant_ids: set[Any], case: Any) -> bool:
    """Decisions, actions and minutes about ``case``: a participating organisation writing ``conference`` on it."""
    return takes_part(user, participant_ids) and engine.can_write(user, case, Category.CONFERENCE)


def can_complete_action(user: Any, action: Any) -> bool:
    """The owner organisation completes its action (and the organisation that recorded it may close it)."""
    return engine.viewer_for(user).sees_content and user.organisation_id in (
        action.owner_organisation_id,
        action.author_org_id,
    )


def chairs(user: Any, conference: Any) -> bool:
    """A user (who sees case content) of the conference's chair organisation."""
    return engine.viewer_for(user).sees_content and user.organisation_id == conference.chair_organisation_id


def can_write_general_minutes(user: Any, conference: Any) -> bool:
    """The chair's organisation keeps the general minutes (no case content in them)."""
    return chairs(user, conference)


def can_cancel_occurrence(user: Any, conference: Any) -> bool:
    """The chair's organisation runs the meeting: it cancels one meeting of the series, as it keeps the
    general minutes (nobody edits a conference once it is scheduled)."""
    return chairs(user, conference)


def writable_agenda_cases(user: Any, participant_ids: set[Any], cases: list[Any]) -> list[Any]:
    """Of the agenda cases the user sees (its organisation is a member of each), those it may write
    decisions, actions and minutes on: one query, whatever the number of cases (``engine.can_write``)."""
    viewer = engine.viewer_for(user)
    if not takes_part(user, participant_ids):
        return []
    if engine.matrix_for(viewer.org_type).get(Category.CONFERENCE) != Access.WRITE:
        return []
    return [c for c in cases if c.phase != "closed"]
