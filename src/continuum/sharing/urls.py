from django.urls import path

from continuum.sharing import views

app_name = "sharing"

urlpatterns = [
    path("policy/", views.policy, name="policy"),
    path("overrides/", views.overrides, name="overrides"),
    path("overrides/<uuid:override_id>/review/", views.override_review, name="override_review"),
    path("disclosures/", views.disclosures, name="disclosures"),
]
