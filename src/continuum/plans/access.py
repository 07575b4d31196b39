"""The doors to plans and interventions (the one-door rule: ``visible_to`` underneath).

Each ``access_*`` helper answers 404 for what is not there or not visible, logs the read (R11) and
returns the object. ``plan_contents`` gives the goals and milestones of a plan the viewer may see:
goals withheld from the viewer (R4) are left out, and so are their milestones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import Count, Max, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from continuum.cases.choices import Phase
from continuum.cases.models import Case, CaseMember
from continuum.plans.choices import FocusArea, PlanStatus, SessionKind
from continuum.plans.models import (
    Goal,
    GroupProgramme,
    GroupSession,
    Intervention,
    InterventionSession,
    Milestone,
    Plan,
)
from continuum.sharing import engine
from continuum.sharing.access import access_visible, read_records
from continuum.sharing.disclosure import log_denied


def _uuid(value: Any) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError):
        return None


def plans_visible_to(user: Any) -> QuerySet[Plan]:
    return Plan.objects.visible_to(user).select_related("case", "agreement_recorded_by")


def current_plan_of(user: Any, case: Case) -> Plan | None:
    """The case's current plan as the user sees it: the newest revision that is not superseded.

    While a new revision is a draft waiting for a conference, the draft is current and the agreed
    revision before it is the last agreed one (``last_agreed_plan_of``).
    """
    return plans_visible_to(user).filter(case=case).exclude(status=PlanStatus.SUPERSEDED).order_by("-revision").first()


def access_plan(user: Any, plan_id: Any, *, purpose: str = "") -> Plan:
    pk = _uuid(plan_id)
    plan = plans_visible_to(user).filter(pk=pk).first() if pk else None
    if plan is None:
        log_denied(user, "plan", plan_id)
        raise Http404
    read_records(user, [plan], purpose=purpose)
    return plan


def access_goal(user: Any, goal_id: Any) -> Goal:
    pk = _uuid(goal_id)
    goal = (
        Goal.objects.visible_to(user).select_related("plan", "owner_organisation").filter(pk=pk).first() if pk else None
    )
    if goal is None:
        log_denied(user, "plan_goal", goal_id)
        raise Http404
    read_records(user, [goal])
    return goal


def access_milestone(user: Any, milestone_id: Any) -> Milestone:
    pk = _uuid(milestone_id)
    milestone = (
        Milestone.objects.visible_to(user)
        .select_related("goal", "goal__plan", "assigned_organisation")
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if milestone is None:
        log_denied(user, "plan_milestone", milestone_id)
        raise Http404
    read_records(user, [milestone])
    return milestone


@dataclass
class Progress:
    """ "3 of 7 milestones achieved, 1 overdue" (over the milestones the viewer sees)."""

    total: int = 0
    achieved: int = 0
    overdue: int = 0

    def sentence(self) -> str:
        if not self.total:
            return _("No milestones yet.")
        values = {"achieved": self.achieved, "total": self.total, "overdue": self.overdue}
        if self.overdue:
            return (
                ngettext(
                    "%(achieved)s of %(total)s milestone achieved, %(overdue)s overdue.",
                    "%(achieved)s of %(total)s milestones achieved, %(overdue)s overdue.",
                    self.total,
                )
                % values
            )
        return (
            ngettext(
                "%(achieved)s of %(total)s milestone achieved.",
                "%(achieved)s of %(total)s milestones achieved.",
                self.total,
            )
            % values
        )


@dataclass
class PlanContents:
    """A plan's goals (each with ``shown_milestones``) and milestones the viewer may see."""

    goals: list[Goal] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    progress: Progress = field(default_factory=Progress)


def plan_contents(user: Any, plan: Plan, *, purpose: str = "", today: date | None = None) -> PlanContents:
    """The visible goals and their visible milestones of a visible plan: two queries, logged (R11)."""
    return contents_of_plans(user, [plan], purpose=purpose, today=today)[plan.pk]


def current_plans_of(user: Any, cases: list[Case]) -> dict[UUID, Plan]:
    """Per case, its current plan as the user sees it (as ``current_plan_of``), in one query for any
    number of cases (meeting packs)."""
    current: dict[UUID, Plan] = {}
    for plan in (
        plans_visible_to(user)
        .filter(case__in=cases)
        .exclude(status=PlanStatus.SUPERSEDED)
        .order_by("case_id", "-revision")
    ):
        current.setdefault(plan.case_id, plan)  # type: ignore[arg-type]
    return current


def contents_of_plans(
    user: Any, plans: list[Plan], *, purpose: str = "", today: date | None = None
) -> dict[UUID, PlanContents]:
    """``plan_contents`` of several visible plans at once: two queries whatever their number, logged (R11)."""
    today = today or timezone.localdate()
    goals = list(
        Goal.objects.visible_to(user)
        .filter(plan__in=plans)
        .select_related("owner_organisation")
        .order_by("focus_area", "created_at", "pk")
    )
    order = {area: i for i, area in enumerate(FocusArea.values)}  # the MAR order of the focus areas
    goals.sort(key=lambda g: order.get(g.focus_area, len(order)))
    goal_ids = {g.pk for g in goals}
    milestones = list(
        Milestone.objects.visible_to(user)
        .filter(goal__plan__in=plans, goal_id__in=goal_ids)
        .select_related("assigned_organisation")
        .order_by("target_on", "created_at", "pk")
    )
    by_goal: dict[UUID, list[Milestone]] = {g.pk: [] for g in goals}
    for milestone in milestones:
        milestone.overdue = milestone.is_overdue(today)
        by_goal[milestone.goal_id].append(milestone)
    contents = {plan.pk: PlanContents() for plan in plans}
    for goal in goals:
        goal.shown_milestones = by_goal[goal.pk]
        plan_contents_ = contents[goal.plan_id]
        plan_contents_.goals.append(goal)
        plan_contents_.milestones.extend(by_goal[goal.pk])
    for item in contents.values():
        item.milestones.sort(key=lambda m: (m.target_on, m.created_at, m.pk))
        item.progress = Progress(
            total=len(item.milestones),
            achieved=sum(1 for m in item.milestones if m.achieved),
            overdue=sum(1 for m in item.milestones if m.is_overdue(today)),
        )
    read_records(user, [*goals, *milestones], purpose=purpose)
    return contents


def assigned_milestones(user: Any, case: Case) -> list[Milestone]:
    """The milestones of the case's current plan assigned to the user's organisation (R8's view).

    The current plan is found without reading it (a subquery, nothing of it is returned): a mentoring
    organisation does not see the plan, only the steps it helps with.
    """
    org_id = getattr(user, "organisation_id", None)
    if org_id is None:
        return []
    current = (
        Plan.objects.filter(case=case).exclude(status=PlanStatus.SUPERSEDED).order_by("-revision").values("pk")[:1]
    )
    milestones = list(
        Milestone.objects.visible_to(user)
        .filter(case=case, assigned_organisation_id=org_id, goal__plan=Subquery(current))
        .select_related("assigned_organisation")
        .order_by("target_on", "pk")
    )
    read_records(user, milestones)
    return milestones


def interventions_visible_to(user: Any) -> QuerySet[Intervention]:
    """Visible interventions with their provider, practitioner and attendance counts (one query)."""
    return (
        Intervention.objects.visible_to(user)
        .select_related("provider_organisation", "practitioner", "group")
        .annotate(
            # Individual interviews a group participant asked for are not attendance.
            sessions_held=Count("sessions", filter=~Q(sessions__kind=SessionKind.INDIVIDUAL_INTERVIEW), distinct=True),
            sessions_attended=Count(
                "sessions",
                filter=Q(sessions__attended=True) & ~Q(sessions__kind=SessionKind.INDIVIDUAL_INTERVIEW),
                distinct=True,
            ),
            last_session_on=Max("sessions__held_on", filter=~Q(sessions__kind=SessionKind.INDIVIDUAL_INTERVIEW)),
        )
    )


def access_intervention(user: Any, intervention_id: Any, *, purpose: str = "") -> Intervention:
    pk = _uuid(intervention_id)
    intervention = interventions_visible_to(user).filter(pk=pk).first() if pk else None
    if intervention is None:
        log_denied(user, "intervention", intervention_id)
        raise Http404
    read_records(user, [intervention], purpose=purpose)
    return intervention


def sessions_of(intervention: Intervention) -> list[InterventionSession]:
    """The sessions of an intervention the caller has already accessed (its visibility covers them)."""
    return list(
        intervention.sessions.select_related("recorded_by", "group_session").order_by("-held_on", "-recorded_at")
    )


# --- group programmes (issue 16) --------------------------------------------------------------------


def programmes_for(user: Any) -> QuerySet[GroupProgramme]:
    """The group programmes the user's organisation provides or facilitates (no one's information)."""
    viewer = engine.viewer_for(user)
    if not viewer.sees_content or viewer.organisation_id is None:
        return GroupProgramme.objects.none()
    facilitated = GroupProgramme.facilitator_organisations.through.objects.filter(
        organisation_id=viewer.organisation_id
    ).values("groupprogramme_id")
    return GroupProgramme.objects.filter(
        Q(provider_organisation_id=viewer.organisation_id) | Q(pk__in=facilitated)
    ).select_related("provider_organisation")


def access_programme(user: Any, programme_id: Any) -> GroupProgramme:
    found: GroupProgramme = access_visible(
        programmes_for(user).prefetch_related("facilitator_organisations"),
        user,
        programme_id,
        object_type="group_programme",
    )
    return found


def participants_of(user: Any, programme: GroupProgramme) -> list[Intervention]:
    """The programme's participants the user may see, each through the intervention on their own
    case (``visible_to``): never the others, not even how many there are (R12). Logged as read."""
    found = list(
        interventions_visible_to(user)
        .filter(group=programme)
        .select_related("person", "case")
        .order_by("person__family_name", "person__given_name", "pk")
    )
    read_records(user, found, purpose="group programme")
    return found


def access_group_session(user: Any, session_id: Any) -> GroupSession:
    found: GroupSession = access_visible(
        GroupSession.objects.filter(programme__in=programmes_for(user))
        .select_related("programme", "programme__provider_organisation")
        .prefetch_related("facilitators"),
        user,
        session_id,
        object_type="group_session",
    )
    return found


def attendance_at(session: GroupSession, participants: list[Intervention]) -> dict[UUID, InterventionSession]:
    """The attendance recorded at a group session for ``participants`` (already visible), by intervention."""
    rows = InterventionSession.objects.filter(group_session=session, intervention__in=participants).select_related(
        "recorded_by"
    )
    return {row.intervention_id: row for row in rows}


JOINABLE_SHOWN = 200


def cases_to_join(user: Any, programme: GroupProgramme) -> list[Case]:
    """Cases whose person the user might add to the programme: open cases the user's organisation and
    the programme's provider are both current members of, and not in the group yet (the action checks
    the rest). At most ``JOINABLE_SHOWN``, by name."""
    provider_on = CaseMember.objects.filter(
        organisation_id=programme.provider_organisation_id, until__isnull=True
    ).values("case_id")
    taking_part = Intervention.objects.filter(group=programme).values("case_id")
    return list(
        Case.objects.visible_to(user)
        .exclude(phase=Phase.CLOSED)
        .filter(pk__in=provider_on)
        .exclude(pk__in=taking_part)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "number")[:JOINABLE_SHOWN]
    )
