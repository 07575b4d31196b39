from django.urls import path

from continuum.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("chain/", views.chain, name="chain"),
]
