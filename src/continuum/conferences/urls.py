from django.urls import path

from continuum.conferences import calendar_views, views

app_name = "conferences"

urlpatterns = [
    path("", views.conference_list, name="conference_list"),
    path("new/", views.conference_new, name="conference_new"),
    path("actions/", views.open_actions, name="open_actions"),
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path("calendar-link/", calendar_views.calendar_link_create, name="calendar_link_create"),
    path("calendar-link/stop/", calendar_views.calendar_link_stop, name="calendar_link_stop"),
    path("actions/<uuid:action_id>/complete/", views.action_complete, name="action_complete"),
    path("decisions/<uuid:decision_id>/position/", views.position_give, name="position_give"),
    path("decisions/<uuid:decision_id>/actions/", views.action_add, name="action_add"),
    path("<uuid:conference_id>/", views.conference_detail, name="conference_detail"),
    path("<uuid:conference_id>/attendance/", views.attendance, name="attendance"),
    path("<uuid:conference_id>/decisions/", views.decision_add, name="decision_add"),
    path("<uuid:conference_id>/minutes/", views.minutes_add, name="minutes_add"),
    path("<uuid:conference_id>/cancelled-meetings/", calendar_views.occurrence_cancel, name="occurrence_cancel"),
    path("<uuid:conference_id>/general-minutes/", views.general_minutes, name="general_minutes"),
    path("<uuid:conference_id>/pack/", views.pack, name="pack"),
    path("<uuid:conference_id>/pack.pdf", views.pack_pdf, name="pack_pdf"),
]
