"""Plans and interventions (API.md, "Plans and interventions"): thin views over ``actions`` and ``access``.

Every record returned is logged as read (R11); what the user may not see is a 404, what the user
sees but may not change a 403, bad input a 400 with nothing changed, a stale ``version`` a 409.
No call here sets a plan to agreed: that happens only through a conference decision
(``actions.do_agree_plan``, called by the conferences app).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework.request import Request

from continuum.plans import actions
from continuum.plans.access import (
    access_goal,
    access_intervention,
    access_milestone,
    access_plan,
    current_plan_of,
    interventions_visible_to,
    plan_contents,
    plans_visible_to,
    sessions_of,
)
from continuum.plans.api.serializers import (
    AgreementInSerializer,
    GoalCreateSerializer,
    GoalSerializer,
    GoalUpdateSerializer,
    InterventionCreateSerializer,
    InterventionDetailSerializer,
    InterventionEndSerializer,
    InterventionSerializer,
    MilestoneAchieveSerializer,
    MilestoneCreateSerializer,
    MilestoneSerializer,
    PlanRevisionSerializer,
    PlanSerializer,
    PlanSummarySerializer,
    PlanUpdateSerializer,
    SessionCreateSerializer,
)
from continuum.plans.models import Goal, Intervention, InterventionSession, Milestone, Plan
from continuum.sharing.access import access_case, read_records
from continuum.sharing.api.records import Endpoints, RecordView, serialized
from continuum.sharing.disclosure import log_denied

NOT_FOUND = OpenApiResponse(description="Not found, or not visible to the user (the same answer).")
FORBIDDEN = OpenApiResponse(description="Visible, but the user's organisation may not do this.")
BAD_INPUT = OpenApiResponse(description="Bad input, or the plan is agreed or superseded; nothing changed.")
endpoints = Endpoints(not_found=NOT_FOUND, forbidden=FORBIDDEN, bad_input=BAD_INPUT)


def _plan_data(request: Request, plan: Plan) -> Any:
    """The plan with its goals and milestones the user may see (all logged as read)."""
    return PlanSerializer(plan, context={"contents": plan_contents(request.user, plan)}).data


def _plan_now(request: Request, plan: Plan) -> Any:
    return _plan_data(request, access_plan(request.user, plan.pk))


def _goal_now(request: Request, goal: Goal) -> Any:
    goal = access_goal(request.user, goal.pk)
    goal.shown_milestones = list(  # type: ignore[attr-defined]
        Milestone.objects.visible_to(request.user).filter(goal=goal).select_related("assigned_organisation")
    )
    read_records(request.user, goal.shown_milestones)  # type: ignore[attr-defined]
    return GoalSerializer(goal).data


def _milestone_now(request: Request, milestone: Milestone) -> Any:
    return MilestoneSerializer(access_milestone(request.user, milestone.pk)).data


def _intervention_data(request: Request, intervention: Intervention) -> Any:
    return InterventionDetailSerializer(intervention, context={"sessions": sessions_of(intervention)}).data


def _intervention_now(request: Request, record: Intervention | InterventionSession) -> Any:
    intervention_id = record.intervention_id if isinstance(record, InterventionSession) else record.pk
    return _intervention_data(request, access_intervention(request.user, intervention_id))


def _current_plan(user: Any, case_id: Any) -> Plan:
    case = access_case(user, case_id)
    plan = current_plan_of(user, case)
    if plan is None:
        log_denied(user, "plan", case.pk)
        raise Http404
    return access_plan(user, plan.pk)


def _new_revision(case: Any, *, summary: str = "", acting_user: Any) -> Plan:
    """The case's first plan (with its summary), or a new draft revision copied from the current plan."""
    if summary and not Plan.objects.filter(case=case).exists():
        return actions.do_create_plan(case, summary=summary, acting_user=acting_user)
    return actions.do_start_plan_revision(case, acting_user=acting_user)


plans = endpoints.of("plan_id", access_plan, _plan_now, PlanSerializer)
goals = endpoints.of("goal_id", access_goal, _goal_now, GoalSerializer)
milestones = endpoints.of("milestone_id", access_milestone, _milestone_now, MilestoneSerializer)
interventions = endpoints.of("intervention_id", access_intervention, _intervention_now, InterventionDetailSerializer)
cases = endpoints.of("case_id", access_case, _plan_now, PlanSerializer)


# --- plans ---------------------------------------------------------------------------------------------------


class CasePlanView(RecordView):
    get = endpoints.of("case_id", _current_plan, _plan_data, PlanSerializer).read(
        "The case's current plan: the newest revision that is not superseded"
    )


class CasePlanRevisionView(RecordView):
    post = cases.write(
        _new_revision,
        PlanRevisionSerializer,
        status=201,
        summary="Start a new draft revision copied from the current plan (or the case's first plan)",
    )


class CasePlanListView(RecordView):
    serializer_class = PlanSummarySerializer
    queryset = Plan.objects.none()  # for the schema; requests read through ``visible_to``
    get = endpoints.listing(
        "case_id",
        access_case,
        lambda request, case: plans_visible_to(request.user).filter(case=case).order_by("-revision"),
        PlanSummarySerializer,
        summary="Every revision of the case's plan the user may see, newest first",
    )


class PlanDetailView(RecordView):
    get = endpoints.of("plan_id", access_plan, _plan_data, PlanSerializer).read("A plan revision")
    patch = plans.write(
        actions.do_update_plan,
        PlanUpdateSerializer,
        stale=True,
        summary="Change a draft plan (send the version you read)",
    )


class PlanGoalListView(RecordView):
    post = plans.write(
        actions.do_add_goal,
        GoalCreateSerializer,
        answer=goals,
        status=201,
        summary="Add a goal to a draft plan, in the person's own words",
    )


class PlanAgreementView(RecordView):
    post = plans.write(
        actions.do_record_agreement,
        AgreementInSerializer,
        stale=True,
        summary="Record the person's own position on a draft plan",
    )


class GoalDetailView(RecordView):
    get = goals.read("A goal")
    patch = goals.write(
        actions.do_update_goal, GoalUpdateSerializer, stale=True, summary="Change a goal of a draft plan"
    )
    delete = endpoints.write(
        "goal_id",
        access_goal,
        actions.do_remove_goal,
        None,
        output=None,
        status=204,
        responses={204: None, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        summary="Remove a goal (and its milestones) from a draft plan",
    )


class GoalMilestoneListView(RecordView):
    post = goals.write(
        actions.do_add_milestone,
        MilestoneCreateSerializer,
        answer=milestones,
        status=201,
        summary="Add a small, dated milestone to a goal of a draft plan",
    )


class MilestoneDetailView(RecordView):
    get = endpoints.of("milestone_id", access_milestone, serialized(MilestoneSerializer), MilestoneSerializer).read(
        "A milestone"
    )


class MilestoneAchieveView(RecordView):
    post = milestones.write(
        actions.do_achieve_milestone, MilestoneAchieveSerializer, summary="Mark a milestone achieved"
    )


# --- interventions ---------------------------------------------------------------------------------------------


class CaseInterventionListView(RecordView):
    serializer_class = InterventionSerializer
    queryset = Intervention.objects.none()  # for the schema; requests read through ``visible_to``
    get = endpoints.listing(
        "case_id",
        access_case,
        lambda request, case: interventions_visible_to(request.user).filter(case=case).order_by("-starts_on", "pk"),
        InterventionSerializer,
        summary="The case's interventions the user may see, with attendance",
    )
    post = endpoints.write(
        "case_id",
        access_case,
        actions.do_add_intervention,
        _intervention_now,
        input=InterventionCreateSerializer,
        output=InterventionDetailSerializer,
        status=201,
        summary="Record an intervention (filed under the category its type implies)",
    )


class InterventionDetailView(RecordView):
    get = endpoints.of("intervention_id", access_intervention, _intervention_data, InterventionDetailSerializer).read(
        "An intervention with its sessions"
    )


class InterventionSessionListView(RecordView):
    post = interventions.write(
        actions.do_record_session,
        SessionCreateSerializer,
        status=201,
        summary="Record a session and whether the person attended",
    )


class InterventionEndView(RecordView):
    post = interventions.write(actions.do_end_intervention, InterventionEndSerializer, summary="End an intervention")
