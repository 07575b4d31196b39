"""The cases app's API under ``/api/v1/`` (wired in ``continuum.urls``); ids are ``<str:>``, see there."""

from django.urls import path

from continuum.cases.api import continuity_views, views

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/<str:case_id>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<str:case_id>/members/", views.CaseMemberListView.as_view(), name="case-member-list"),
    path(
        "cases/<str:case_id>/members/<str:organisation>/",
        views.CaseMemberDetailView.as_view(),
        name="case-member-detail",
    ),
    path("cases/<str:case_id>/transfers/", continuity_views.CaseTransferListView.as_view(), name="case-transfer-list"),
    path(
        "cases/<str:case_id>/custody-episodes/",
        continuity_views.CaseCustodyEpisodeListView.as_view(),
        name="case-custody-episode-list",
    ),
    path(
        "cases/<str:case_id>/custody-episodes/<str:episode_id>/end/",
        continuity_views.CustodyEpisodeEndView.as_view(),
        name="custody-episode-end",
    ),
    path("cases/<str:case_id>/sentences/", continuity_views.CaseSentenceListView.as_view(), name="case-sentence-list"),
    path(
        "cases/<str:case_id>/release-conditions/",
        continuity_views.CaseReleaseConditionListView.as_view(),
        name="case-release-condition-list",
    ),
    path(
        "cases/<str:case_id>/legal-status-changes/",
        continuity_views.CaseLegalStatusChangeListView.as_view(),
        name="case-legal-status-change-list",
    ),
    path("cases/<str:case_id>/handovers/", continuity_views.CaseHandoverListView.as_view(), name="case-handover-list"),
    path(
        "handovers/<str:handover_id>/acknowledge/",
        continuity_views.HandoverAcknowledgeView.as_view(),
        name="handover-acknowledge",
    ),
    path(
        "cases/<str:case_id>/phase-changes/",
        continuity_views.CasePhaseChangeListView.as_view(),
        name="case-phase-change-list",
    ),
    path("cases/<str:case_id>/gaps/", continuity_views.CaseGapListView.as_view(), name="case-gap-list"),
    path("persons/<str:person_id>/timeline/", continuity_views.PersonTimelineView.as_view(), name="person-timeline"),
    path("cases/<str:case_id>/entries/", views.CaseEntryListView.as_view(), name="case-entry-list"),
    path("entries/<str:entry_id>/", views.EntryDetailView.as_view(), name="entry-detail"),
    path(
        "entries/<str:entry_id>/attachments/<str:attachment_id>/",
        views.EntryAttachmentView.as_view(),
        name="entry-attachment",
    ),
    path("search/", views.SearchView.as_view(), name="search"),
]
