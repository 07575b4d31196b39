"""The plans app's API under ``/api/v1/`` (wired in ``continuum.urls``); ids are ``<str:>``, see there."""

from django.urls import path

from continuum.plans.api import group_views, views

urlpatterns = [
    path("cases/<str:case_id>/plan/", views.CasePlanView.as_view(), name="case-plan"),
    path(
        "cases/<str:case_id>/plan/revisions/",
        views.CasePlanRevisionView.as_view(),
        name="case-plan-revisions",
    ),
    path("cases/<str:case_id>/plans/", views.CasePlanListView.as_view(), name="case-plan-list"),
    path("plans/<str:plan_id>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<str:plan_id>/goals/", views.PlanGoalListView.as_view(), name="plan-goal-list"),
    path("plans/<str:plan_id>/agreement/", views.PlanAgreementView.as_view(), name="plan-agreement"),
    path("goals/<str:goal_id>/", views.GoalDetailView.as_view(), name="goal-detail"),
    path(
        "goals/<str:goal_id>/milestones/",
        views.GoalMilestoneListView.as_view(),
        name="goal-milestone-list",
    ),
    path("milestones/<str:milestone_id>/", views.MilestoneDetailView.as_view(), name="milestone-detail"),
    path(
        "milestones/<str:milestone_id>/achieve/",
        views.MilestoneAchieveView.as_view(),
        name="milestone-achieve",
    ),
    path(
        "cases/<str:case_id>/interventions/",
        views.CaseInterventionListView.as_view(),
        name="case-intervention-list",
    ),
    path(
        "interventions/<str:intervention_id>/",
        views.InterventionDetailView.as_view(),
        name="intervention-detail",
    ),
    path(
        "interventions/<str:intervention_id>/sessions/",
        views.InterventionSessionListView.as_view(),
        name="intervention-session-list",
    ),
    path(
        "interventions/<str:intervention_id>/end/",
        views.InterventionEndView.as_view(),
        name="intervention-end",
    ),
    path("group-programmes/", group_views.GroupProgrammeListView.as_view(), name="group-programme-list"),
    path(
        "group-programmes/<str:programme_id>/",
        group_views.GroupProgrammeDetailView.as_view(),
        name="group-programme-detail",
    ),
    path(
        "group-programmes/<str:programme_id>/participants/",
        group_views.GroupProgrammeParticipantListView.as_view(),
        name="group-programme-participant-list",
    ),
    path(
        "group-programmes/<str:programme_id>/sessions/",
        group_views.GroupProgrammeSessionListView.as_view(),
        name="group-programme-session-list",
    ),
    path("group-sessions/<str:session_id>/", group_views.GroupSessionDetailView.as_view(), name="group-session-detail"),
    path(
        "group-sessions/<str:session_id>/attendance/",
        group_views.GroupSessionAttendanceView.as_view(),
        name="group-session-attendance",
    ),
]
