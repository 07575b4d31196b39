"""The training pages under ``/training/`` (wired in ``continuum.urls``)."""

from django.urls import path

from continuum.training import views

app_name = "training"

urlpatterns = [
    path("", views.my_training, name="mine"),
    path("courses/", views.catalogue, name="catalogue"),
    path("new-course/", views.course_add, name="course_add"),
    path("new-requirement/", views.requirement_add, name="requirement_add"),
    path("courses/<slug:code>/", views.course, name="course"),
    path("courses/<slug:code>/completions/", views.completion_add, name="completion_add"),
    path("courses/<slug:code>/sessions/", views.session_add, name="session_add"),
    path("sessions/<uuid:session_id>/attendance/", views.attendance, name="attendance"),
    path("organisations/<slug:slug>/gaps/", views.organisation_gaps, name="organisation_gaps"),
]
