"""Plans and interventions (API.md, "Plans and interventions"): thin views over ``actions`` and ``access``.

Every record returned is logged as read (R11); what the user may not see is a 404, what the user
sees but may not change a 403, bad input a 400 with nothing changed, a stale ``version`` a 409.
No call here sets a plan to agreed: that happens only through a conference decision
(``actions.do_agree_plan``, called by the conferences app).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from continuum.api.pagination import page_of
from continuum.api.permissions import acting_user
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
from continuum.plans.models import Goal, Intervention, Milestone, Plan
from continuum.sharing.access import access_case, read_records
from continuum.sharing.disclosure import log_denied

CASE_ID = OpenApiParameter("case_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
PLAN_ID = OpenApiParameter("plan_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
GOAL_ID = OpenApiParameter("goal_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
MILESTONE_ID = OpenApiParameter("milestone_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
INTERVENTION_ID = OpenApiParameter("intervention_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
NOT_FOUND = OpenApiResponse(description="Not found, or not visible to the user (the same answer).")
FORBIDDEN = OpenApiResponse(description="Visible, but the user's organisation may not do this.")
BAD_INPUT = OpenApiResponse(description="Bad input, or the plan is agreed or superseded; nothing changed.")
STALE = OpenApiResponse(description="Stale version: someone else saved first; re-read and send the new version.")


def _plan_response(request: Request, plan_id: Any, *, status_code: int = status.HTTP_200_OK) -> Response:
    """The plan as the user now sees it, with its visible goals and milestones (all logged as read)."""
    plan = access_plan(request.user, plan_id)
    contents = plan_contents(request.user, plan)
    return Response(PlanSerializer(plan, context={"contents": contents}).data, status=status_code)


def _goal_response(request: Request, goal: Goal, *, status_code: int = status.HTTP_200_OK) -> Response:
    goal = access_goal(request.user, goal.pk)
    goal.shown_milestones = list(  # type: ignore[attr-defined]
        Milestone.objects.visible_to(request.user).filter(goal=goal).select_related("assigned_organisation")
    )
    read_records(request.user, goal.shown_milestones)  # type: ignore[attr-defined]
    return Response(GoalSerializer(goal).data, status=status_code)


def _intervention_response(
    request: Request, intervention_id: Any, *, status_code: int = status.HTTP_200_OK
) -> Response:
    intervention = access_intervention(request.user, intervention_id)
    data = InterventionDetailSerializer(intervention, context={"sessions": sessions_of(intervention)}).data
    return Response(data, status=status_code)


# --- plans ---------------------------------------------------------------------------------------------------


class CasePlanView(APIView):
    @extend_schema(
        parameters=[CASE_ID],
        responses={200: PlanSerializer, 404: NOT_FOUND},
        summary="The case's current plan: the newest revision that is not superseded",
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = access_case(request.user, case_id)
        plan = current_plan_of(request.user, case)
        if plan is None:
            log_denied(request.user, "plan", case.pk)
            raise Http404
        return _plan_response(request, plan.pk)


class CasePlanRevisionView(APIView):
    @extend_schema(
        parameters=[CASE_ID],
        request=PlanRevisionSerializer,
        responses={201: PlanSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        summary="Start a new draft revision copied from the current plan (or the case's first plan)",
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = access_case(request.user, case_id)
        data = PlanRevisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = acting_user(request)
        summary = data.validated_data.get("summary", "")
        if summary and not Plan.objects.filter(case=case).exists():
            plan = actions.do_create_plan(case, summary=summary, acting_user=user)
        else:
            plan = actions.do_start_plan_revision(case, acting_user=user)
        return _plan_response(request, plan.pk, status_code=status.HTTP_201_CREATED)


class CasePlanListView(generics.GenericAPIView):
    serializer_class = PlanSummarySerializer
    queryset = Plan.objects.none()  # for the schema; requests read through ``visible_to``

    @extend_schema(
        parameters=[CASE_ID],
        responses={200: PlanSummarySerializer(many=True), 404: NOT_FOUND},
        summary="Every revision of the case's plan the user may see, newest first",
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = access_case(request.user, case_id)
        page = page_of(self, plans_visible_to(request.user).filter(case=case).order_by("-revision"))
        read_records(request.user, page)
        return self.get_paginated_response(PlanSummarySerializer(page, many=True).data)


class PlanDetailView(APIView):
    @extend_schema(parameters=[PLAN_ID], responses={200: PlanSerializer, 404: NOT_FOUND}, summary="A plan revision")
    def get(self, request: Request, plan_id: str) -> Response:
        return _plan_response(request, plan_id)

    @extend_schema(
        parameters=[PLAN_ID],
        request=PlanUpdateSerializer,
        responses={200: PlanSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: STALE},
        summary="Change a draft plan (send the version you read)",
    )
    def patch(self, request: Request, plan_id: str) -> Response:
        plan = access_plan(request.user, plan_id)
        data = PlanUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        actions.do_update_plan(plan, version=version, acting_user=acting_user(request), **values)
        return _plan_response(request, plan.pk)


class PlanGoalListView(APIView):
    @extend_schema(
        parameters=[PLAN_ID],
        request=GoalCreateSerializer,
        responses={201: GoalSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        summary="Add a goal to a draft plan, in the person's own words",
    )
    def post(self, request: Request, plan_id: str) -> Response:
        plan = access_plan(request.user, plan_id)
        data = GoalCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        goal = actions.do_add_goal(plan, acting_user=acting_user(request), **data.validated_data)
        return _goal_response(request, goal, status_code=status.HTTP_201_CREATED)


class PlanAgreementView(APIView):
    @extend_schema(
        parameters=[PLAN_ID],
        request=AgreementInSerializer,
        responses={200: PlanSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: STALE},
        summary="Record the person's own position on a draft plan",
    )
    def post(self, request: Request, plan_id: str) -> Response:
        plan = access_plan(request.user, plan_id)
        data = AgreementInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.do_record_agreement(plan, acting_user=acting_user(request), **data.validated_data)
        return _plan_response(request, plan.pk)


class GoalDetailView(APIView):
    @extend_schema(parameters=[GOAL_ID], responses={200: GoalSerializer, 404: NOT_FOUND}, summary="A goal")
    def get(self, request: Request, goal_id: str) -> Response:
        return _goal_response(request, access_goal(request.user, goal_id))

    @extend_schema(
        parameters=[GOAL_ID],
        request=GoalUpdateSerializer,
        responses={200: GoalSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: STALE},
        summary="Change a goal of a draft plan",
    )
    def patch(self, request: Request, goal_id: str) -> Response:
        goal = access_goal(request.user, goal_id)
        data = GoalUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version", None)
        goal = actions.do_update_goal(goal, version=version, acting_user=acting_user(request), **values)
        return _goal_response(request, goal)

    @extend_schema(
        parameters=[GOAL_ID],
        responses={204: None, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        summary="Remove a goal (and its milestones) from a draft plan",
    )
    def delete(self, request: Request, goal_id: str) -> Response:
        goal = access_goal(request.user, goal_id)
        actions.do_remove_goal(goal, acting_user=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class GoalMilestoneListView(APIView):
    @extend_schema(
        parameters=[GOAL_ID],
        request=MilestoneCreateSerializer,
        responses={201: MilestoneSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        summary="Add a small, dated milestone to a goal of a draft plan",
    )
    def post(self, request: Request, goal_id: str) -> Response:
        goal = access_goal(request.user, goal_id)
        data = MilestoneCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        milestone = actions.do_add_milestone(goal, acting_user=acting_user(request), **data.validated_data)
        return Response(
            MilestoneSerializer(access_milestone(request.user, milestone.pk)).data, status=status.HTTP_201_CREATED
        )


class MilestoneDetailView(APIView):
    @extend_schema(
        parameters=[MILESTONE_ID], responses={200: MilestoneSerializer, 404: NOT_FOUND}, summary="A milestone"
    )
    def get(self, request: Request, milestone_id: str) -> Response:
        return Response(MilestoneSerializer(access_milestone(request.user, milestone_id)).data)


class MilestoneAchieveView(APIView):
    @extend_schema(
        parameters=[MILESTONE_ID],
        request=MilestoneAchieveSerializer,
        responses={200: MilestoneSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        summary="Mark a milestone achieved",
    )
    def post(self, request: Request, milestone_id: str) -> Response:
        milestone = access_milestone(request.user, milestone_id)
        data = MilestoneAchieveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.do_achieve_milestone(milestone, acting_user=acting_user(request), **data.validated_data)
        return Response(MilestoneSerializer(access_milestone(request.user, milestone.pk)).data)


# --- interventions ---------------------------------------------------------------------------------------------


class CaseInterventionListView(generics.GenericAPIView):
    serializer_class = InterventionSerializer
    queryset = Intervention.objects.none()  # for the schema; requests read through ``visible_to``

    @extend_schema(
        parameters=[CASE_ID],
        responses={200: InterventionSerializer(many=True), 404: NOT_FOUND},
        summary="The case's interventions the user may see, with attendance",
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = access_case(request.user, case_id)
        page = page_of(self, interventions_visible_to(request.user).filter(case=case).order_by("-starts_on", "pk"))
        read_records(request.user, page)
        return self.get_paginated_response(InterventionSerializer(page, many=True).data)

    @extend_schema(
        parameters=[CASE_ID],
        request=InterventionCreateSerializer,
        responses={201: InterventionDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        summary="Record an intervention (filed under the category its type implies)",
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = access_case(request.user, case_id)
        data = InterventionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        intervention = actions.do_add_intervention(case, acting_user=acting_user(request), **data.validated_data)
        return _intervention_response(request, intervention.pk, status_code=status.HTTP_201_CREATED)


class InterventionDetailView(APIView):
    @extend_schema(
        parameters=[INTERVENTION_ID],
        responses={200: InterventionDetailSerializer, 404: NOT_FOUND},
        summary="An intervention with its sessions",
    )
    def get(self, request: Request, intervention_id: str) -> Response:
        return _intervention_response(request, intervention_id)


class InterventionSessionListView(APIView):
    @extend_schema(
        parameters=[INTERVENTION_ID],
        request=SessionCreateSerializer,
        responses={201: InterventionDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        summary="Record a session and whether the person attended",
    )
    def post(self, request: Request, intervention_id: str) -> Response:
        intervention = access_intervention(request.user, intervention_id)
        data = SessionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.do_record_session(intervention, acting_user=acting_user(request), **data.validated_data)
        return _intervention_response(request, intervention.pk, status_code=status.HTTP_201_CREATED)


class InterventionEndView(APIView):
    @extend_schema(
        parameters=[INTERVENTION_ID],
        request=InterventionEndSerializer,
        responses={200: InterventionDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        summary="End an intervention",
    )
    def post(self, request: Request, intervention_id: str) -> Response:
        intervention = access_intervention(request.user, intervention_id)
        data = InterventionEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.do_end_intervention(intervention, acting_user=acting_user(request), **data.validated_data)
        return _intervention_response(request, intervention.pk)
