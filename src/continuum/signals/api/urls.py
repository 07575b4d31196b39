"""The signals app's API under ``/api/v1/`` (wired in ``continuum.urls``); ids are ``<str:>``, see there."""

from django.urls import path

from continuum.signals.api import views

urlpatterns = [
    path("signals/", views.SignalListView.as_view(), name="signal-list"),
    path("signals/import/", views.SignalImportView.as_view(), name="signal-import"),
    path("signals/<str:signal_id>/", views.SignalDetailView.as_view(), name="signal-detail"),
    path("signals/<str:signal_id>/triage/", views.SignalTriageView.as_view(), name="signal-triage"),
    path("signals/<str:signal_id>/match/", views.SignalMatchView.as_view(), name="signal-match"),
    path(
        "signals/<str:signal_id>/new-person/",
        views.SignalNewPersonView.as_view(),
        name="signal-new-person",
    ),
    path("signals/<str:signal_id>/notes/", views.SignalNoteListView.as_view(), name="signal-note-list"),
]
