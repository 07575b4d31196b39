"""Who may do what with staff training (the rules; the actions and views enforce them).

- The catalogue (courses and requirements) is managed by the coordinators of any organisation.
- A completion is recorded by a coordinator of the trainee's organisation, or by a coordinator of
  the central point (for every user).
- A user reads their own training; a coordinator reads their organisation's users' training; a
  coordinator of the central point reads everyone's.
- An organisation's training gaps are read by its coordinators and the central point's.
- A case's training gaps are read by the members of the case (``engine.is_current_member``).
"""

from __future__ import annotations

from typing import Any

from continuum.accounts.choices import OrgType, Role
from continuum.sharing import engine


def _active(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def is_coordinator(user: Any) -> bool:
    return _active(user) and user.role == Role.COORDINATOR and user.organisation_id is not None


def is_central_coordinator(user: Any) -> bool:
    return is_coordinator(user) and user.organisation.type == OrgType.CENTRAL_POINT


def can_manage_catalogue(user: Any) -> bool:
    return is_coordinator(user)


def can_record_completion(user: Any, trainee: Any) -> bool:
    if not is_coordinator(user):
        return False
    return is_central_coordinator(user) or user.organisation_id == trainee.organisation_id


def can_read_training(user: Any, trainee: Any) -> bool:
    if not _active(user):
        return False
    return user.pk == trainee.pk or can_record_completion(user, trainee)


def can_read_gaps(user: Any, case: Any) -> bool:
    viewer = engine.viewer_for(user)
    return viewer.sees_content and engine.is_current_member(viewer.organisation_id, case.pk)


def can_read_organisation_gaps(user: Any, organisation: Any) -> bool:
    if not is_coordinator(user):
        return False
    return is_central_coordinator(user) or user.organisation_id == organisation.pk


def can_use_training(user: Any) -> bool:
    """The training pages: every active user of an organisation (their own training, the catalogue)."""
    return _active(user) and user.organisation_id is not None
