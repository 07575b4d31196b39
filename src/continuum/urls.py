from django.urls import include, path

from continuum import views
from continuum.api import urls as api_urls
from continuum.cases import continuity_views, search_views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("continuum.accounts.urls")),
    path("assessments/", include("continuum.assessments.urls")),
    path("audit/", include("continuum.audit.urls")),
    path("cases/", include("continuum.cases.urls")),
    path("search/", search_views.search, name="search"),
    path("persons/<uuid:person_id>/timeline/", continuity_views.timeline, name="person_timeline"),
    path("sharing/", include("continuum.sharing.urls")),
    path("signals/", include("continuum.signals.urls")),
    path("conferences/", include("continuum.conferences.urls")),
    path("plans/", include("continuum.plans.urls")),
    path("api/v1/", include((api_urls.v1, "v1"))),
    path("api/", include((api_urls.urlpatterns, "api"))),
]

handler400 = "continuum.views.bad_request"
handler403 = "continuum.views.permission_denied"
handler404 = "continuum.views.page_not_found"
handler500 = "continuum.views.server_error"
