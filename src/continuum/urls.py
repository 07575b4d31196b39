"""The project's URLs: the pages, and the REST API (``/api/v1/``: each app's ``api/urls.py``) with its schema and docs.

API object ids in paths are plain strings, not ``<uuid:>``: a malformed id then reaches the view's
``access_*`` helper and gets the same JSON 404 (and the same audit event) as any id that is not
there or not visible (R12).
"""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from continuum import views
from continuum.cases import continuity_views, search_views

api_v1 = [
    path("", include("continuum.accounts.api.urls")),
    path("", include("continuum.audit.api.urls")),
    path("", include("continuum.people.api.urls")),
    path("", include("continuum.cases.api.urls")),
    path("", include("continuum.sharing.api.urls")),
    path("", include("continuum.signals.api.urls")),
    path("", include("continuum.assessments.api.urls")),
    path("", include("continuum.conferences.api.urls")),
    path("", include("continuum.plans.api.urls")),
    path("", include("continuum.transition.api.urls")),
    path("", include("continuum.families.api.urls")),
    path("", include("continuum.training.api.urls")),
    path("", include("continuum.mentoring.api.urls")),
    path("", include("continuum.insights.api.urls")),
    path("", include("continuum.dataprotection.api.urls")),
]

# Swagger UI and ReDoc set styles inline (ReDoc through styled-components): allowed on these two
# pages of public API documentation only, never on a page that shows a case.
docs_csp = csp_update({"style-src": [UNSAFE_INLINE]})

api = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs_csp(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("redoc/", docs_csp(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("continuum.accounts.urls")),
    path("passkeys/", include("continuum.accounts.passkey_urls")),
    path("assessments/", include("continuum.assessments.urls")),
    path("audit/", include("continuum.audit.urls")),
    path("cases/", include("continuum.cases.urls")),
    path("search/", search_views.search, name="search"),
    path("persons/<uuid:person_id>/timeline/", continuity_views.timeline, name="person_timeline"),
    path("sharing/", include("continuum.sharing.urls")),
    path("signals/", include("continuum.signals.urls")),
    path("conferences/", include("continuum.conferences.urls")),
    path("plans/", include("continuum.plans.urls")),
    path("releases/", include("continuum.transition.urls")),
    path("families/", include("continuum.families.urls")),
    path("insights/", include("continuum.insights.urls")),
    path("data-protection/", include("continuum.dataprotection.urls")),
    path("mentoring/", include("continuum.mentoring.urls")),
    path("training/", include("continuum.training.urls")),
    path("api/v1/", include((api_v1, "v1"))),
    path("api/", include((api, "api"))),
    path("favicon.ico", views.favicon),
]

handler400 = "continuum.views.bad_request"
handler403 = "continuum.views.permission_denied"
handler404 = "continuum.views.page_not_found"
handler500 = "continuum.views.server_error"
