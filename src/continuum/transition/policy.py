"""Who may work on release plans (the rules; the actions enforce them). Reading follows the matrix."""

from __future__ import annotations

from typing import Any

from continuum.accounts.choices import OrgType
from continuum.cases.choices import Phase
from continuum.cases.policy import CASE_MANAGING_ROLES, can_manage_case
from continuum.sharing import engine
from continuum.sharing.choices import Category

# A release plan is begun while the person is inside, and may still be completed after the gate.
PLANNING_PHASES = frozenset({Phase.CUSTODY, Phase.PRE_RELEASE, Phase.PROBATION, Phase.COMMUNITY})
RELEASE_PHASES = frozenset({Phase.CUSTODY, Phase.PRE_RELEASE})
# Who may take a case over at the gate (API.md: the case moves to probation, or to the community).
NEW_LEAD_PHASE = {OrgType.PROBATION: Phase.PROBATION, OrgType.MUNICIPALITY: Phase.COMMUNITY}


def can_write_release_plan(user: Any, case: Any) -> bool:
    """A current member whose organisation writes the case's plan (R1, R2): the release plan is part of it."""
    return engine.can_write(user, case, Category.PLAN)


def can_update_item(user: Any, case: Any, item: Any) -> bool:
    """A member that writes the item's category, the item's owner, or the organisation that began the plan.

    The municipality settles the accommodation it owns; probation records the first appointment;
    the organisation that began the plan (usually the prison's case manager, who coordinates it) may
    update every item, each of which it wrote.
    """
    if engine.can_write(user, case, item.category):
        return True
    viewer = engine.viewer_for(user)
    if not viewer.sees_content or case.phase == Phase.CLOSED:
        return False
    # The owner, and the organisation that began the plan (it wrote every item: R0), while members.
    ours = viewer.organisation_id in (item.owner_organisation_id, item.author_org_id)
    return ours and engine.is_current_member(viewer.organisation_id, case.pk)


def can_release(user: Any, case: Any) -> bool:
    """Whoever manages the case (the lead's coordinator or case manager, the central point's coordinator)."""
    return can_manage_case(user, case)


def can_review_condition(user: Any, case: Any) -> bool:
    """Release conditions are reviewed by whoever manages the case, and by probation, which supervises them."""
    if can_manage_case(user, case):
        return True
    viewer = engine.viewer_for(user)
    return (
        viewer.org_type == OrgType.PROBATION
        and getattr(user, "role", "") in CASE_MANAGING_ROLES
        and engine.can_write(user, case, Category.LEGAL)
    )


def can_record_resettlement_check(user: Any, case: Any) -> bool:
    """A follow-up after release is part of the plan (``plan``): the members that write the plan record it."""
    return engine.can_write(user, case, Category.PLAN)


def can_record_reoffending(user: Any, case: Any) -> bool:
    """A recall or re-offending record is ``legal``: the members that write legal records (by the
    default matrix the central point, prison, probation and police) record one."""
    return engine.can_write(user, case, Category.LEGAL)
