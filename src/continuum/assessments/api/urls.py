"""The assessments app's API under ``/api/v1/`` (wired in ``continuum.urls``); ids are ``<str:>``, see there."""

from django.urls import path

from continuum.assessments.api import views

urlpatterns = [
    path("instruments/", views.InstrumentListView.as_view(), name="instrument-list"),
    path(
        "cases/<str:case_id>/assessments/",
        views.CaseAssessmentListView.as_view(),
        name="case-assessment-list",
    ),
    path(
        "cases/<str:case_id>/assessment-trend/",
        views.CaseAssessmentTrendView.as_view(),
        name="case-assessment-trend",
    ),
    path(
        "assessments/<str:assessment_id>/",
        views.AssessmentDetailView.as_view(),
        name="assessment-detail",
    ),
    path(
        "assessments/<str:assessment_id>/ratings/",
        views.AssessmentRatingsView.as_view(),
        name="assessment-ratings",
    ),
    path(
        "assessments/<str:assessment_id>/submit/",
        views.AssessmentSubmitView.as_view(),
        name="assessment-submit",
    ),
    path(
        "assessments/<str:assessment_id>/consensus/",
        views.AssessmentConsensusView.as_view(),
        name="assessment-consensus",
    ),
    path(
        "assessments/<str:assessment_id>/finalise/",
        views.AssessmentFinaliseView.as_view(),
        name="assessment-finalise",
    ),
]
