from django.urls import path

from continuum.signals import views

app_name = "signals"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("report/", views.report, name="report"),
    path("mine/", views.my_signals, name="my_signals"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("import/", views.import_page, name="import"),
    path("overview/", views.overview, name="overview"),
    path("<uuid:signal_id>/", views.signal_detail, name="signal_detail"),
    path("<uuid:signal_id>/triage/", views.signal_triage, name="signal_triage"),
    path("<uuid:signal_id>/match/", views.signal_match, name="signal_match"),
    path("<uuid:signal_id>/new-person/", views.signal_new_person, name="signal_new_person"),
    path("<uuid:signal_id>/notes/", views.signal_note, name="signal_note"),
]
