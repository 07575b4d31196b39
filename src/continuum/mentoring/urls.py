"""The mentoring pages under ``/mentoring/`` (wired in ``continuum.urls``)."""

from django.urls import path

from continuum.mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("mentors/", views.mentor_list, name="mentor_list"),
    path("mentors/new/", views.mentor_new, name="mentor_new"),
    path("mentors/me/", views.my_profile, name="my_profile"),
    path("mentors/<uuid:mentor_id>/", views.mentor_detail, name="mentor_detail"),
    path("mentors/<uuid:mentor_id>/supervisions/", views.supervision_add, name="supervision_add"),
    path("cases/<uuid:case_id>/suggestions/", views.suggestions, name="suggestions"),
    path("cases/<uuid:case_id>/matches/", views.match_add, name="match_add"),
    path("<uuid:mentoring_id>/", views.mentoring_detail, name="mentoring_detail"),
    path("<uuid:mentoring_id>/sessions/", views.session_add, name="session_add"),
    path("<uuid:mentoring_id>/end/", views.mentoring_end, name="mentoring_end"),
]
