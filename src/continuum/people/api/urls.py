"""The people app's API under ``/api/v1/`` (wired in ``continuum.urls``); ids are ``<str:>``, see there."""

from django.urls import path

from continuum.people.api import views

urlpatterns = [
    path("persons/", views.PersonListView.as_view(), name="person-list"),
    path("persons/<str:person_id>/", views.PersonDetailView.as_view(), name="person-detail"),
]
