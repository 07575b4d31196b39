from django.urls import path

from continuum.cases import continuity_views, entry_views, sharing_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_new, name="case_new"),
    path("<uuid:case_id>/", views.case_detail, name="case_detail"),
    path("<uuid:case_id>/parts/<slug:part>/", views.case_part, name="case_part"),
    path("<uuid:case_id>/update/", views.case_update, name="case_update"),
    path("<uuid:case_id>/members/", views.member_add, name="member_add"),
    path("<uuid:case_id>/members/<slug:slug>/end/", views.member_end, name="member_end"),
    path("<uuid:case_id>/consents/", sharing_views.consent_add, name="consent_add"),
    path(
        "<uuid:case_id>/consents/<uuid:consent_id>/withdraw/", sharing_views.consent_withdraw, name="consent_withdraw"
    ),
    path("<uuid:case_id>/overrides/", sharing_views.override_add, name="override_add"),
    path("<uuid:case_id>/entries/new/", entry_views.entry_new, name="entry_new"),
    path("<uuid:case_id>/entries/audience/", entry_views.entry_audience, name="entry_audience"),
    path("<uuid:case_id>/view-as/<slug:slug>/", sharing_views.view_as, name="view_as"),
    path("<uuid:case_id>/disclosures/", sharing_views.case_disclosures, name="case_disclosures"),
    # Continuity (issue 4)
    path("<uuid:case_id>/transfers/", continuity_views.transfer_add, name="transfer_add"),
    path("<uuid:case_id>/custody/", continuity_views.custody_add, name="custody_add"),
    path("<uuid:case_id>/custody/<uuid:episode_id>/end/", continuity_views.custody_end, name="custody_end"),
    path("<uuid:case_id>/sentences/", continuity_views.sentence_add, name="sentence_add"),
    path("<uuid:case_id>/release-conditions/", continuity_views.condition_add, name="condition_add"),
    path("<uuid:case_id>/legal-status/", continuity_views.legal_status_change, name="legal_status_change"),
    path("<uuid:case_id>/handovers/", continuity_views.handover_add, name="handover_add"),
    path(
        "<uuid:case_id>/handovers/<uuid:handover_id>/acknowledge/",
        continuity_views.handover_acknowledge,
        name="handover_acknowledge",
    ),
    path("entries/<uuid:entry_id>/", entry_views.entry_detail, name="entry_detail"),
    path(
        "entries/<uuid:entry_id>/attachments/<uuid:attachment_id>/",
        entry_views.attachment_download,
        name="attachment_download",
    ),
]
