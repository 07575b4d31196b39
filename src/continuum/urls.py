from django.urls import include, path

from continuum import views
from continuum.api import urls as api_urls

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("continuum.accounts.urls")),
    path("audit/", include("continuum.audit.urls")),
    path("cases/", include("continuum.cases.urls")),
    path("sharing/", include("continuum.sharing.urls")),
    path("api/v1/", include((api_urls.v1, "v1"))),
    path("api/", include((api_urls.urlpatterns, "api"))),
]

handler400 = "continuum.views.bad_request"
handler403 = "continuum.views.permission_denied"
handler404 = "continuum.views.page_not_found"
handler500 = "continuum.views.server_error"
