"""The transition app's API under ``/api/v1/`` (wired in ``continuum.urls``); ids are ``<str:>``, see there."""

from django.urls import path

from continuum.transition.api import views

urlpatterns = [
    path("cases/<str:case_id>/release-plan/", views.CaseReleasePlanView.as_view(), name="case-release-plan"),
    path("release-items/<str:item_id>/", views.ReleaseItemDetailView.as_view(), name="release-item-detail"),
    path("releases/", views.ReleaseListView.as_view(), name="release-list"),
    path("cases/<str:case_id>/scenarios/", views.CaseScenarioListView.as_view(), name="case-scenario-list"),
    path(
        "cases/<str:case_id>/resettlement-checks/",
        views.CaseResettlementCheckListView.as_view(),
        name="case-resettlement-check-list",
    ),
    path("cases/<str:case_id>/reoffending/", views.CaseReoffendingListView.as_view(), name="case-reoffending-list"),
    path("cases/<str:case_id>/release/", views.CaseReleaseView.as_view(), name="case-release"),
    path(
        "release-conditions/<str:condition_id>/reviews/",
        views.ConditionReviewListView.as_view(),
        name="release-condition-review-list",
    ),
]
