"""The insights app's API under ``/api/v1/`` (wired in ``continuum.urls``)."""

from django.urls import path

from continuum.insights.api import views

urlpatterns = [
    path("insights/table/", views.InsightsTableView.as_view(), name="insights-table"),
    path("insights/dashboard/", views.InsightsDashboardView.as_view(), name="insights-dashboard"),
    path("insights/research-export/", views.ResearchExportView.as_view(), name="research-export"),
    path("lessons/", views.LessonListView.as_view(), name="lesson-list"),
    path("lessons/<str:lesson_id>/", views.LessonDetailView.as_view(), name="lesson-detail"),
    path("publications/", views.PublicationListView.as_view(), name="publication-list"),
    path("publications/<str:publication_id>/", views.PublicationDetailView.as_view(), name="publication-detail"),
]
