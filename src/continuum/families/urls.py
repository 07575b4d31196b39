"""The family pages under ``/families/`` (wired in ``continuum.urls``)."""

from django.urls import path

from continuum.families import views

app_name = "families"

urlpatterns = [
    # The case page's family part (the part itself is ``cases:case_part`` "family")
    path("cases/<uuid:case_id>/relatives/", views.relationship_add, name="relationship_add"),
    path("cases/<uuid:case_id>/children/", views.child_add, name="child_add"),
    path("cases/<uuid:case_id>/refusals/", views.refusal_add, name="refusal_add"),
    path("refusals/<uuid:refusal_id>/offers/", views.re_offer_add, name="re_offer_add"),
    # A child's page
    path("children/<uuid:child_id>/", views.child, name="child"),
    path("children/<uuid:child_id>/placements/", views.placement_add, name="placement_add"),
    path("children/<uuid:child_id>/details/", views.profile_update, name="profile_update"),
    path("children/<uuid:child_id>/best-interest/", views.best_interest_add, name="best_interest_add"),
    path("children/<uuid:child_id>/contact-orders/", views.contact_order_add, name="contact_order_add"),
    path("contact-orders/<uuid:order_id>/visits/", views.visit_add, name="visit_add"),
    path("visits/<uuid:visit_id>/", views.visit_update, name="visit_update"),
    # Family files
    path("files/", views.file_list, name="file_list"),
    path("files/open/", views.file_open, name="file_open"),
    path("files/<uuid:file_id>/", views.file_detail, name="file_detail"),
    path("files/<uuid:file_id>/clients/", views.client_add, name="client_add"),
    path("files/<uuid:file_id>/counsellors/", views.counsellor_add, name="counsellor_add"),
    path("files/<uuid:file_id>/counsellors/<slug:slug>/end/", views.counsellor_end, name="counsellor_end"),
    path("files/<uuid:file_id>/clearings/", views.clearing_add, name="clearing_add"),
    path("files/<uuid:file_id>/help-plan/", views.help_plan_save, name="help_plan_save"),
    path("files/<uuid:file_id>/sessions/", views.session_add, name="session_add"),
    # Family days
    path("family-days/", views.day_list, name="day_list"),
    path("family-days/new/", views.day_create, name="day_create"),
    path("family-days/<uuid:day_id>/", views.day_detail, name="day_detail"),
    path("family-days/<uuid:day_id>/participants/", views.participant_add, name="participant_add"),
    path("participants/<uuid:participant_id>/attendance/", views.attendance, name="attendance"),
]
