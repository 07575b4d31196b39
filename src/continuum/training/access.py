"""Reading staff training: whose completions and attendance a user may read, as querysets.

Training is about staff, not case records (``models``): the doors here are ``policy``'s rules put
into SQL, so that a page reads any number of users' training in one query. Every read of another
user's training is audited by the caller (``audit_read``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from continuum.accounts.models import User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.training.models import Completion
from continuum.training.policy import is_central_coordinator, is_coordinator


def trainees_of(user: Any) -> QuerySet[User]:
    """The active users whose training ``user`` records (and reads): none for a non-coordinator."""
    users = (
        User.objects.filter(is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name", "username")
    )
    if is_central_coordinator(user):
        return users
    if is_coordinator(user):
        return users.filter(organisation_id=user.organisation_id)
    return users.none()


def readable_completions(user: Any) -> QuerySet[Completion]:
    """The completions ``user`` may read: their own, and their trainees' (``policy.can_read_training``)."""
    completions = Completion.objects.select_related("course", "user__organisation")
    if is_central_coordinator(user):
        return completions
    if is_coordinator(user):
        return completions.filter(user__organisation_id=user.organisation_id)
    return completions.filter(user=user)


def audit_read(user: Any, trainees: set[str], *, object_type: str, object_id: Any) -> None:
    """One audit event for reading other users' training (nothing for reading one's own)."""
    others = sorted(name for name in trainees if name != user.username)
    if others:
        record(AuditAction.READ, actor=user, object_type=object_type, object_id=object_id, detail={"users": others})
