from django.urls import path

from continuum.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.table_page, name="tables"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("research-export.csv", views.research_export, name="research_export"),
    path("lessons/", views.lesson_list, name="lessons"),
    path("lessons/<uuid:lesson_id>/", views.lesson_page, name="lesson"),
    path("publications/", views.publication_list, name="publications"),
    path("publications/<uuid:publication_id>/", views.publication_page, name="publication"),
    path("publications/<uuid:publication_id>/pdf/", views.publication_pdf, name="publication_pdf"),
]
