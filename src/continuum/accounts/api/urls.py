"""The accounts app's API under ``/api/v1/`` (wired in ``continuum.urls``); ids are ``<str:>``, see there."""

from django.urls import path

from continuum.accounts.api import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("auth/token/current/", views.CurrentTokenView.as_view(), name="token-current"),
]
