"""The REST API: ``/api/v1/`` wired from each app's ``api`` module, plus the schema and its docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from continuum.accounts.api import views as accounts_views
from continuum.audit.api import views as audit_views

v1 = [
    path("me/", accounts_views.MeView.as_view(), name="me"),
    path("organisations/", accounts_views.OrganisationListView.as_view(), name="organisation-list"),
    path("auth/token/", accounts_views.TokenView.as_view(), name="token"),
    path("auth/token/current/", accounts_views.CurrentTokenView.as_view(), name="token-current"),
    path("audit/verify/", audit_views.VerifyView.as_view(), name="audit-verify"),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
