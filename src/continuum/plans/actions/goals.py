"""A draft plan's goals and their milestones."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.accounts.models import Organisation, User
from continuum.audit.changes import apply_changes, check_version
from continuum.audit.models import AuditAction
from continuum.cases.actions import resolve_withholding
from continuum.plans.actions._common import (
    _audit,
    _author_fields,
    _case_of,
    _check_focus_area,
    _check_member_organisation,
    _lock_plan,
    _recheck_visible,
    _require_draft,
    _require_plan_writer,
    _text,
)
from continuum.plans.choices import PlanStatus
from continuum.plans.models import Goal, Milestone, Plan
from continuum.plans.policy import can_achieve_milestone
from continuum.sharing.choices import Category

GOAL_FIELDS = ("focus_area", "description", "persons_own_words", "owner_organisation")


@transaction.atomic
def do_add_goal(
    plan: Plan,
    *,
    focus_area: str,
    description: str,
    persons_own_words: str = "",
    owner_organisation: Organisation | None,
    withhold_from: list[str] | None = None,
    acting_user: User,
) -> Goal:
    """Add a goal in one MAR focus area to a draft plan, with the person's own words and an owner."""
    locked = _lock_plan(plan)
    case = _case_of(locked)
    _require_plan_writer(case, acting_user)
    _require_draft(locked)
    _check_focus_area(focus_area)
    goal = Goal.objects.create(
        **_author_fields(case, acting_user),
        category=Category.PLAN,
        withhold_from=resolve_withholding(withhold_from or []),
        plan=locked,
        focus_area=focus_area,
        description=_text(description, "description", required=True),
        persons_own_words=_text(persons_own_words, "persons_own_words"),
        owner_organisation=_check_member_organisation(case, owner_organisation, "owner_organisation"),
    )
    _recheck_visible(Goal, goal.pk, acting_user)
    _audit(
        AuditAction.CREATE,
        goal,
        acting_user,
        {"plan": str(locked.pk), "focus_area": focus_area, "owner": goal.owner_organisation.slug},
    )
    return goal


def _lock_goal(goal: Goal) -> Goal:
    return Goal.objects.select_for_update(of=("self",)).select_related("plan", "case").get(pk=goal.pk)


@transaction.atomic
def do_update_goal(goal: Goal, *, version: int | None = None, acting_user: User, **changes: Any) -> Goal:
    """Change a goal of a draft plan; with ``version``, a stale one is refused (409)."""
    unknown = set(changes) - set(GOAL_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, _("This field cannot be changed here.")))
    locked = _lock_goal(goal)
    _require_plan_writer(_case_of(locked), acting_user)
    check_version(locked, version)
    _require_draft(locked.plan)
    cleaned: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "focus_area":
            _check_focus_area(value)
            cleaned[field] = value
        elif field == "owner_organisation":
            cleaned[field] = _check_member_organisation(_case_of(locked), value, field)
        else:
            cleaned[field] = _text(value, field, required=field == "description")
    changed = list(apply_changes(locked, cleaned, version=version))
    if not changed:
        return locked
    _audit(AuditAction.UPDATE, locked, acting_user, {"changed": changed})
    return locked


@transaction.atomic
def do_remove_goal(goal: Goal, *, acting_user: User) -> None:
    """Remove a goal (and its milestones) from a draft plan; an agreed plan keeps its goals."""
    locked = _lock_goal(goal)
    _require_plan_writer(_case_of(locked), acting_user)
    _require_draft(locked.plan)
    milestones = list(Milestone.objects.filter(goal=locked).values_list("pk", flat=True))
    _audit(AuditAction.DELETE, locked, acting_user, {"plan": str(locked.plan_id), "milestones": len(milestones)})
    Milestone.objects.filter(pk__in=milestones).delete()
    locked.delete()


@transaction.atomic
def do_add_milestone(
    goal: Goal,
    *,
    description: str,
    target_on: date,
    assigned_organisation: Organisation | None = None,
    acting_user: User,
) -> Milestone:
    """A small, dated step towards a goal of a draft plan; optionally assigned to one member organisation.

    A milestone is withheld from whomever its goal is withheld from (R4).
    """
    locked = _lock_goal(goal)
    case = _case_of(locked)
    _require_plan_writer(case, acting_user)
    _require_draft(locked.plan)
    if not isinstance(target_on, date):
        raise ValidationError({"target_on": _("Give the date this step should be reached by.")})
    if assigned_organisation is not None:
        _check_member_organisation(case, assigned_organisation, "assigned_organisation")
    milestone = Milestone.objects.create(
        **_author_fields(case, acting_user),
        category=Category.PLAN,
        withhold_from=locked.withhold_from,
        goal=locked,
        description=_text(description, "description", required=True, limit=1000),
        target_on=target_on,
        assigned_organisation=assigned_organisation,
    )
    _recheck_visible(Milestone, milestone.pk, acting_user)
    detail = {"goal": str(locked.pk), "target_on": target_on.isoformat()}
    if assigned_organisation is not None:
        detail["assigned_organisation"] = assigned_organisation.slug
    _audit(AuditAction.CREATE, milestone, acting_user, detail)
    return milestone


@transaction.atomic
def do_achieve_milestone(milestone: Milestone, *, achieved_on: date, note: str = "", acting_user: User) -> Milestone:
    """Mark a milestone achieved on a date, with a note.

    Progress is not a change of the plan: milestones of the agreed plan are achieved too (not those
    of a superseded one). When a draft revision holds a copy of the milestone, the copy is achieved
    with it, so the next revision does not ask for it again.
    """
    locked = Milestone.objects.select_for_update(of=("self",)).select_related("goal__plan", "case").get(pk=milestone.pk)
    _require_plan_writer(_case_of(locked), acting_user)
    if not can_achieve_milestone(acting_user, _case_of(locked), locked):
        raise PermissionDenied(
            _("Only the organisation this step is assigned to, or the one that owns its goal, marks it as achieved.")
        )
    if locked.goal.plan.status == PlanStatus.SUPERSEDED:
        raise ValidationError(_("This milestone belongs to a superseded revision of the plan."))
    if locked.achieved_on is not None:
        raise ValidationError(_("This milestone is already achieved."))
    if not isinstance(achieved_on, date):
        raise ValidationError({"achieved_on": _("Give the date it was achieved.")})
    if achieved_on > timezone.localdate():
        raise ValidationError({"achieved_on": _("The date cannot be in the future.")})
    text = _text(note, "note")
    copies = list(
        Milestone.objects.select_for_update(of=("self",)).filter(
            copied_from=locked, achieved_on__isnull=True, goal__plan__status=PlanStatus.DRAFT
        )
    )
    for milestone_ in [locked, *copies]:
        milestone_.achieved_on = achieved_on
        milestone_.note = text
        milestone_.save(update_fields=["achieved_on", "note"])
        _audit(AuditAction.UPDATE, milestone_, acting_user, {"achieved_on": achieved_on.isoformat()})
    return locked
