"""The release pages under ``/releases/`` (wired in ``continuum.urls``)."""

from django.urls import path

from continuum.transition import views

app_name = "transition"

urlpatterns = [
    path("", views.release_calendar, name="calendar"),
    path("cases/<uuid:case_id>/", views.release_plan, name="release_plan"),
    path("cases/<uuid:case_id>/begin/", views.plan_create, name="plan_create"),
    path("cases/<uuid:case_id>/update/", views.plan_update, name="plan_update"),
    path("cases/<uuid:case_id>/scenarios/", views.scenario_add, name="scenario_add"),
    path("cases/<uuid:case_id>/release/", views.release, name="release"),
    path("cases/<uuid:case_id>/follow-ups/", views.resettlement_check_add, name="resettlement_check_add"),
    path("cases/<uuid:case_id>/reoffending/", views.reoffending_add, name="reoffending_add"),
    path("items/<uuid:item_id>/", views.item_update, name="item_update"),
    path("conditions/<uuid:condition_id>/reviews/", views.condition_review, name="condition_review"),
]
