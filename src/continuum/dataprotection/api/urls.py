"""The data protection app's API under ``/api/v1/`` (wired in ``continuum.urls``)."""

from continuum.dataprotection.api import retention_views, subject_access_views

urlpatterns: list = []
# Retention: the review queue, legal holds, erasure (retention_views.py).
urlpatterns += retention_views.urlpatterns
# Subject access and its restrictions (subject_access_views.py).
urlpatterns += subject_access_views.urlpatterns
