"""The data protection app's API under ``/api/v1/`` (wired in ``continuum.urls``)."""

urlpatterns: list = []
