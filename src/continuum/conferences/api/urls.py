"""The conferences app's API under ``/api/v1/`` (wired in ``continuum.urls``); ids are ``<str:>``, see there."""

from django.urls import path

from continuum.conferences.api import export_views, views

urlpatterns = [
    path("conferences/", views.ConferenceListView.as_view(), name="conference-list"),
    path("conferences.ics", export_views.ConferenceCalendarView.as_view(), name="conference-calendar"),
    path(
        "conferences/<str:conference_id>/",
        views.ConferenceDetailView.as_view(),
        name="conference-detail",
    ),
    path(
        "conferences/<str:conference_id>/pack/",
        export_views.ConferencePackView.as_view(),
        name="conference-pack",
    ),
    path(
        "conferences/<str:conference_id>/decisions/",
        views.ConferenceDecisionListView.as_view(),
        name="conference-decision-list",
    ),
    path(
        "conferences/<str:conference_id>/attendance/",
        views.ConferenceAttendanceView.as_view(),
        name="conference-attendance",
    ),
    path(
        "conferences/<str:conference_id>/cancelled-occurrences/",
        views.ConferenceCancelledOccurrenceView.as_view(),
        name="conference-cancelled-occurrences",
    ),
    path(
        "conferences/<str:conference_id>/minutes/",
        views.ConferenceMinutesView.as_view(),
        name="conference-minutes",
    ),
    path("decisions/<str:decision_id>/", views.DecisionDetailView.as_view(), name="decision-detail"),
    path(
        "decisions/<str:decision_id>/positions/",
        views.DecisionPositionView.as_view(),
        name="decision-positions",
    ),
    path(
        "decisions/<str:decision_id>/actions/",
        views.DecisionActionView.as_view(),
        name="decision-actions",
    ),
    path("actions/", views.ActionListView.as_view(), name="action-list"),
    path("actions/<str:action_id>/complete/", views.ActionCompleteView.as_view(), name="action-complete"),
]
