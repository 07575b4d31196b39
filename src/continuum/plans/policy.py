"""Who may work on plans and interventions (the rules; the actions enforce them)."""

from __future__ import annotations

from typing import Any

from continuum.sharing import engine
from continuum.sharing.choices import Category


def can_write_plan(user: Any, case: Any) -> bool:
    """A current member whose organisation may write ``plan`` records on the case (R1, R2, R10).

    The same rule covers recording the person's agreement: it is written by a practitioner of a
    member organisation that writes the plan.
    """
    return engine.can_write(user, case, Category.PLAN)


def can_write_intervention(user: Any, case: Any, category: str) -> bool:
    """Interventions (and their sessions) are written by members that may write their category."""
    return engine.can_write(user, case, category)


def can_achieve_milestone(user: Any, case: Any, milestone: Any, goal: Any = None, writers: Any = None) -> bool:
    """A plan writer may mark a step achieved, unless the step is another organisation's (the one it is
    assigned to, else the one owning its goal) that writes the plan on this case itself: then that
    organisation does. A step of an organisation that does not write the plan (family counselling,
    mentoring) is recorded for it by the plan's writers. ``writers``: ``plan_writers(case)``, for pages
    that ask for many steps.
    """
    if not can_write_plan(user, case):
        return False
    goal = goal if goal is not None else milestone.goal
    responsible = milestone.assigned_organisation_id or goal.owner_organisation_id
    if responsible is None or responsible == getattr(user, "organisation_id", None):
        return True
    return responsible not in (writers if writers is not None else plan_writers(case))


def plan_writers(case: Any) -> set[Any]:
    """The organisations of the case's team that write its plan."""
    return engine.writers_of(case, Category.PLAN)
