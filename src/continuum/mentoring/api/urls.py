"""The mentoring app's API under ``/api/v1/`` (wired in ``continuum.urls``); ids are ``<str:>``, see there."""

from django.urls import path

from continuum.mentoring.api import views

urlpatterns = [
    path("mentors/", views.MentorListView.as_view(), name="mentor-list"),
    path("mentors/<str:mentor_id>/supervision/", views.SupervisionView.as_view(), name="mentor-supervision"),
    path("cases/<str:case_id>/mentor-suggestions/", views.SuggestionsView.as_view(), name="case-mentor-suggestions"),
    path("cases/<str:case_id>/mentoring/", views.CaseMentoringView.as_view(), name="case-mentoring"),
    path("mentoring/<str:mentoring_id>/", views.MentoringDetailView.as_view(), name="mentoring-detail"),
    path("mentoring/<str:mentoring_id>/sessions/", views.SessionListView.as_view(), name="mentoring-sessions"),
    path("mentoring/<str:mentoring_id>/end/", views.EndView.as_view(), name="mentoring-end"),
]
