"""The case page's "Training" part (``cases/parts/training.html``, the ``{% training_on_case %}`` tag):
the training gaps of the case's team, for the members of the case only (``policy.can_read_gaps``).

``cases`` never imports ``training``: the case page loads this part by its template. A constant
number of queries whatever the size of the team; the read is audited like the API's.
"""

from __future__ import annotations

from typing import Any

from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.models import Case
from continuum.training import actions
from continuum.training.policy import can_read_gaps


def case_training_context(user: Any, case: Case) -> dict[str, Any]:
    if not can_read_gaps(user, case):
        return {"reads_gaps": False}
    gaps = actions.training_gaps(case)
    record(AuditAction.READ, actor=user, object_type="training_gaps", object_id=case.pk, case_id=case.pk)
    by_user: dict[Any, tuple[Any, list[Any]]] = {}
    for gap in gaps:
        by_user.setdefault(gap.user.pk, (gap.user, []))[1].append(gap)
    return {"reads_gaps": True, "team_gaps": list(by_user.values())}
