"""The sharing app's API under ``/api/v1/`` (wired in ``continuum.urls``); ids are ``<str:>``, see there."""

from django.urls import path

from continuum.sharing.api import views

urlpatterns = [
    path(
        "persons/<str:person_id>/consents/",
        views.PersonConsentListView.as_view(),
        name="person-consent-list",
    ),
    path(
        "consents/<str:consent_id>/withdraw/",
        views.ConsentWithdrawView.as_view(),
        name="consent-withdraw",
    ),
    path("cases/<str:case_id>/overrides/", views.CaseOverrideView.as_view(), name="case-override-list"),
    path(
        "persons/<str:person_id>/disclosures/",
        views.PersonDisclosureListView.as_view(),
        name="person-disclosure-list",
    ),
    path("policy/", views.PolicyView.as_view(), name="policy"),
]
