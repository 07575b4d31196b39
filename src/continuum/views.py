"""The home page and the error pages shared by every app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static

from continuum.accounts.actions import can_manage_accounts
from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.assessments.sections import home_section
from continuum.audit.policy import can_read_audit_log
from continuum.cases.dashboard import case_dashboard
from continuum.cases.policy import can_use_cases
from continuum.conferences.dashboard import conference_dashboard
from continuum.plans.dashboard import plans_dashboard
from continuum.sharing.policy import can_oversee_sharing
from continuum.signals.dashboard import signals_dashboard


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "manages_accounts": can_manage_accounts(user),
        "reads_audit_log": can_read_audit_log(user),
        "uses_cases": can_use_cases(user),
        "oversees_sharing": can_oversee_sharing(user),
        # My cases, deadlines, hand-overs waiting, gaps (empty for those who do not work on cases).
        **case_dashboard(user),
        # Reporting signals, and for the central point its intake at a glance.
        **signals_dashboard(user),
        # Assessment reviews that are overdue (issue 5).
        **home_section(user),
        # Conferences this week, open and overdue actions of my organisation.
        **conference_dashboard(user),
        # Overdue milestones of the plans in my cases (issue 6).
        **plans_dashboard(user),
    }
    return render(request, "home.html", context)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and calendar clients ask for /favicon.ico whatever the page says: the static icon."""
    return HttpResponsePermanentRedirect(static("continuum/favicon.svg"))


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": title}, status=status)
    return render(request, "error.html", {"title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "Bad request.", "The request could not be understood. Go back and try again.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        "You do not have access to this page.",
        "Your role does not include this page. If you need it for your work, ask your coordinator.",
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        "Not found.",
        "There is nothing here, or it is not shared with your organisation.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        "Something went wrong on our side.",
        "Nothing was saved. Try again in a moment; if it keeps happening, tell your administrator.",
    )
