"""Helpers for the plans tests: a plan on the API world's case, built only through the actions."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from continuum.accounts.models import Organisation, User
from continuum.cases.models import Case
from continuum.plans import actions
from continuum.plans.models import Goal, Milestone, Plan

# Amira's case of tests/api_world.py: who writes, reads, or sees nothing of its plan.
PLAN_WRITERS = ["pn.casemanager", "prob.officer", "muni.coordinator", "exit.worker", "cp.coordinator"]
PLAN_READERS = ["police.liaison", "family.counsellor", "mh.clinician", "cw.worker"]
# Not members (Prison South), research (R9), DPO and admin (R10); mentoring sees no plan (R8).
PLAN_HIDDEN = ["ps.casemanager", "evaluator", "dpo", "admin", "mentor.one"]


def user(username: str) -> User:
    return User.objects.select_related("organisation").get(username=username)


def org(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def today() -> date:
    return timezone.localdate()


def plan_with_goal(
    case: Case, *, author: str = "pn.casemanager", milestones: int = 1, withhold_from: list[str] | None = None
) -> tuple[Plan, Goal, list[Milestone]]:
    plan = actions.do_create_plan(case, summary="Return to family life and finish school.", acting_user=user(author))
    goal = actions.do_add_goal(
        plan,
        focus_area="family",
        description="Restore contact with her mother and the children.",
        persons_own_words="I want my children to know me again.",
        owner_organisation=org("family-counselling"),
        withhold_from=withhold_from,
        acting_user=user(author),
    )
    steps = [
        actions.do_add_milestone(
            goal,
            description=f"Video call number {i + 1}",
            target_on=today() + timedelta(days=14 * (i + 1)),
            acting_user=user(author),
        )
        for i in range(milestones)
    ]
    return plan, goal, steps


def agree(plan: Plan, by: str = "pn.casemanager") -> Plan:
    return actions.do_agree_plan(plan, decision_id=uuid.uuid4(), acting_user=user(by))


def fill(plan: Plan, goals: int, milestones_each: int, *, author: str = "pn.casemanager") -> None:
    focus = ["family", "daily_life", "ideology", "resilience", "social_network"]
    for i in range(goals):
        goal = actions.do_add_goal(
            plan,
            focus_area=focus[i % len(focus)],
            description=f"Goal {i}",
            persons_own_words=f"In my words {i}",
            owner_organisation=org("probation"),
            acting_user=user(author),
        )
        for j in range(milestones_each):
            actions.do_add_milestone(
                goal,
                description=f"Step {i}.{j}",
                target_on=today() + timedelta(days=j - 3),
                assigned_organisation=org("mentor-network") if j == 0 else None,
                acting_user=user(author),
            )


def payload(**overrides: Any) -> dict[str, Any]:
    return {
        "focus_area": "daily_life",
        "description": "Finish the electrician's course.",
        "persons_own_words": "I want a real job.",
        "owner_organisation": "municipality-harbour",
        **overrides,
    }
