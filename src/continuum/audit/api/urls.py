"""The audit app's API under ``/api/v1/`` (wired in ``continuum.urls``); ids are ``<str:>``, see there."""

from django.urls import path

from continuum.audit.api import views

urlpatterns = [
    path("audit/verify/", views.VerifyView.as_view(), name="audit-verify"),
]
