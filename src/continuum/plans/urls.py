from django.urls import path

from continuum.plans import group_views, views

app_name = "plans"

urlpatterns = [
    path("cases/<uuid:case_id>/start/", views.plan_start, name="plan_start"),
    path("cases/<uuid:case_id>/interventions/new/", views.intervention_new, name="intervention_new"),
    path("<uuid:plan_id>/", views.plan_detail, name="plan_detail"),
    path("<uuid:plan_id>/update/", views.plan_update, name="plan_update"),
    path("<uuid:plan_id>/goals/", views.goal_add, name="goal_add"),
    path("<uuid:plan_id>/agreement/", views.agreement_record, name="agreement_record"),
    path("<uuid:plan_id>/print/", views.plan_print, name="plan_print"),
    path("goals/<uuid:goal_id>/remove/", views.goal_remove, name="goal_remove"),
    path("goals/<uuid:goal_id>/milestones/", views.milestone_add, name="milestone_add"),
    path("milestones/<uuid:milestone_id>/achieve/", views.milestone_achieve, name="milestone_achieve"),
    path("interventions/<uuid:intervention_id>/", views.intervention_detail, name="intervention_detail"),
    path("interventions/<uuid:intervention_id>/sessions/", views.session_add, name="session_add"),
    path("interventions/<uuid:intervention_id>/end/", views.intervention_end, name="intervention_end"),
    path("groups/", group_views.programme_list, name="programme_list"),
    path("groups/<uuid:programme_id>/", group_views.programme_detail, name="programme_detail"),
    path("groups/<uuid:programme_id>/participants/", group_views.participant_add, name="participant_add"),
    path("groups/<uuid:programme_id>/sessions/", group_views.group_session_add, name="group_session_add"),
    path("group-sessions/<uuid:session_id>/", group_views.group_session, name="group_session"),
]
