from django.urls import path

from continuum.dataprotection import retention_views, subject_access_views

app_name = "dataprotection"

urlpatterns = [
    # Subject access (subject_access_views.py).
    path("subject-access/", subject_access_views.find, name="subject_access_find"),
    path("subject-access/<uuid:person_id>/", subject_access_views.summary, name="subject_access"),
    path(
        "subject-access/<uuid:person_id>/download/",
        subject_access_views.download,
        name="subject_access_download",
    ),
    path(
        "subject-access/<uuid:person_id>/restrictions/",
        subject_access_views.restrict,
        name="subject_access_restrict",
    ),
    # Retention (retention_views.py).
    path("retention/", retention_views.retention, name="retention"),
    path("retention/holds/", retention_views.place_hold, name="retention_hold"),
    path("retention/holds/<uuid:hold_id>/end/", retention_views.end_hold, name="retention_hold_end"),
]
