"""The home page's plan section: overdue milestones in the cases the user is responsible for.

Read through ``visible_to`` in a fixed number of queries, whatever the number of cases, and logged
as read (R11). Milestones of superseded revisions do not count.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from continuum.cases.models import CaseMember
from continuum.cases.policy import can_use_cases
from continuum.plans.choices import PlanStatus
from continuum.plans.models import Milestone
from continuum.sharing.access import read_records

LIST_LIMIT = 50


def plans_dashboard(user: Any) -> dict[str, Any]:
    if not can_use_cases(user):
        return {}
    mine = CaseMember.objects.filter(responsible=user, organisation_id=user.organisation_id, until__isnull=True).values(
        "case_id"
    )
    overdue = list(
        Milestone.objects.visible_to(user)
        .filter(case__in=mine, achieved_on__isnull=True, target_on__lt=timezone.localdate())
        .exclude(goal__plan__status=PlanStatus.SUPERSEDED)
        .select_related("case", "goal__plan")
        .order_by("target_on", "pk")[: LIST_LIMIT + 1]
    )
    # A milestone copied into a draft revision is the same step: show it once, from the newest revision.
    seen: dict[Any, Milestone] = {}
    for milestone in overdue:
        key = milestone.copied_from_id or milestone.pk
        current = seen.get(key)
        if current is None or milestone.goal.plan.revision > current.goal.plan.revision:
            seen[key] = milestone
    shown = sorted(seen.values(), key=lambda m: (m.target_on, m.case.number if m.case else ""))[:LIST_LIMIT]
    read_records(user, shown, purpose="home page")
    return {"overdue_milestones": shown, "overdue_milestones_more": len(overdue) > LIST_LIMIT}
