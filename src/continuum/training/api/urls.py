"""The training app's API under ``/api/v1/`` (wired in ``continuum.urls``); ids are ``<str:>``, see there."""

from django.urls import path

from continuum.training.api import views

urlpatterns = [
    path("courses/", views.CourseListView.as_view(), name="course-list"),
    path("courses/<str:code>/completions/", views.CourseCompletionListView.as_view(), name="course-completion-list"),
    path("courses/<str:code>/sessions/", views.CourseSessionListView.as_view(), name="course-session-list"),
    path(
        "course-sessions/<str:session_id>/attendance/",
        views.SessionAttendanceView.as_view(),
        name="course-session-attendance",
    ),
    path(
        "organisations/<str:slug>/training-gaps/",
        views.OrganisationTrainingGapsView.as_view(),
        name="organisation-training-gaps",
    ),
    path("users/<str:username>/training/", views.UserTrainingView.as_view(), name="user-training"),
    path("training-requirements/", views.RequirementListView.as_view(), name="training-requirement-list"),
    path("cases/<str:case_id>/training-gaps/", views.CaseTrainingGapsView.as_view(), name="case-training-gaps"),
]
