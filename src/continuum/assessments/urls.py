from django.urls import path

from continuum.assessments import views

app_name = "assessments"

urlpatterns = [
    path("reviews-due/", views.overdue_list, name="overdue"),
    path("cases/<uuid:case_id>/new/", views.assessment_open, name="open"),
    path("cases/<uuid:case_id>/trend/", views.case_trend_page, name="trend"),
    path("<uuid:assessment_id>/", views.assessment_detail, name="detail"),
    path("<uuid:assessment_id>/ratings/<str:item>/", views.rating_save, name="rating_save"),
    path("<uuid:assessment_id>/submit/", views.ratings_submit, name="submit"),
    path("<uuid:assessment_id>/consensus/", views.consensus_save, name="consensus"),
    path("<uuid:assessment_id>/finalise/", views.assessment_finalise, name="finalise"),
]
