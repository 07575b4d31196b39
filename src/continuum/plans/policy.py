"""Who may work on plans and interventions (the rules; the actions enforce them)."""

from __future__ import annotations

from typing import Any

from continuum.cases.choices import Phase
from continuum.sharing import engine
from continuum.sharing.choices import Access, Category


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


# --- group programmes (issue 16) --------------------------------------------------------------------


def can_run_programme(user: Any, category: str) -> bool:
    """An organisation whose matrix row writes the programme's category runs group programmes of it."""
    viewer = engine.viewer_for(user)
    return viewer.sees_content and engine.matrix_for(viewer.org_type).get(category) == Access.WRITE


def runs_programme(user: Any, programme: Any, facilitators: Any = None) -> bool:
    """The programme's provider and facilitating organisations run it (``facilitators``: their ids,
    for pages that ask often)."""
    viewer = engine.viewer_for(user)
    if not viewer.sees_content or viewer.organisation_id is None:
        return False
    if viewer.organisation_id == programme.provider_organisation_id:
        return True
    if facilitators is None:
        facilitators = set(programme.facilitator_organisations.values_list("pk", flat=True))
    return viewer.organisation_id in facilitators


def can_add_group_participant(user: Any, programme: Any, case: Any, facilitators: Any = None) -> bool:
    """Who runs the programme adds the person of a case it writes the programme's category on."""
    return (
        runs_programme(user, programme, facilitators)
        and case.phase != Phase.CLOSED
        and can_write_intervention(user, case, programme.category)
    )
