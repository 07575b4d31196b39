"""The families app's API under ``/api/v1/`` (wired in ``continuum.urls``); ids are ``<str:>``, see there."""

from django.urls import path

from continuum.families.api import views

urlpatterns = [
    path("cases/<str:case_id>/children/", views.CaseChildListView.as_view(), name="case-child-list"),
    path("cases/<str:case_id>/relationships/", views.CaseRelationshipListView.as_view(), name="case-relationship-list"),
    path("cases/<str:case_id>/visit-schedule/", views.CaseVisitScheduleView.as_view(), name="case-visit-schedule"),
    path("cases/<str:case_id>/refusals/", views.CaseRefusalListView.as_view(), name="case-refusal-list"),
    path("relationships/<str:relationship_id>/", views.RelationshipDetailView.as_view(), name="relationship-detail"),
    path("children/<str:child_id>/", views.ChildDetailView.as_view(), name="child-detail"),
    path("children/<str:child_id>/placements/", views.ChildPlacementListView.as_view(), name="child-placement-list"),
    path("children/<str:child_id>/profile/", views.ChildProfileView.as_view(), name="child-profile"),
    path("children/<str:child_id>/best-interest/", views.ChildBestInterestView.as_view(), name="child-best-interest"),
    path(
        "children/<str:child_id>/contact-orders/",
        views.ChildContactOrderListView.as_view(),
        name="child-contact-order-list",
    ),
    path("contact-orders/<str:order_id>/", views.ContactOrderDetailView.as_view(), name="contact-order-detail"),
    path(
        "contact-orders/<str:order_id>/visits/",
        views.ContactOrderVisitListView.as_view(),
        name="contact-order-visit-list",
    ),
    path("visits/<str:visit_id>/", views.VisitDetailView.as_view(), name="visit-detail"),
    path("family-files/", views.FamilyFileListView.as_view(), name="family-file-list"),
    path("family-files/<str:file_id>/", views.FamilyFileDetailView.as_view(), name="family-file-detail"),
    path("family-files/<str:file_id>/clearing/", views.FamilyFileClearingView.as_view(), name="family-file-clearing"),
    path("family-files/<str:file_id>/help-plan/", views.FamilyFileHelpPlanView.as_view(), name="family-file-help-plan"),
    path(
        "family-files/<str:file_id>/sessions/",
        views.FamilyFileSessionListView.as_view(),
        name="family-file-session-list",
    ),
    path(
        "family-files/<str:file_id>/clients/", views.FamilyFileClientListView.as_view(), name="family-file-client-list"
    ),
    path(
        "family-files/<str:file_id>/counsellors/",
        views.FamilyFileCounsellorListView.as_view(),
        name="family-file-counsellor-list",
    ),
    path(
        "family-files/<str:file_id>/counsellors/<str:slug>/",
        views.FamilyFileCounsellorView.as_view(),
        name="family-file-counsellor",
    ),
    path("refusals/<str:refusal_id>/", views.RefusalDetailView.as_view(), name="refusal-detail"),
    path("refusals/<str:refusal_id>/re-offers/", views.RefusalReOfferListView.as_view(), name="refusal-re-offer-list"),
    path("family-days/", views.FamilyDayListView.as_view(), name="family-day-list"),
    path("family-days/<str:day_id>/", views.FamilyDayDetailView.as_view(), name="family-day-detail"),
    path(
        "family-days/<str:day_id>/participants/",
        views.FamilyDayParticipantListView.as_view(),
        name="family-day-participant-list",
    ),
    path(
        "family-day-participants/<str:participant_id>/",
        views.FamilyDayParticipantView.as_view(),
        name="family-day-participant",
    ),
]
