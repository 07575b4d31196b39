"""The home page and the error pages shared by every app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from continuum.accounts.actions import can_manage_accounts
from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.assessments.sections import home_section
from continuum.audit.policy import can_read_audit_log
from continuum.cases.dashboard import case_dashboard
from continuum.cases.policy import can_use_cases
from continuum.conferences.dashboard import conference_dashboard
from continuum.families.dashboard import family_dashboard
from continuum.insights.dashboard import statistics_dashboard
from continuum.plans.dashboard import plans_dashboard
from continuum.sharing.policy import can_oversee_sharing
from continuum.signals.dashboard import signals_dashboard
from continuum.transition.dashboard import release_dashboard


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    role = user.get_role_display()
    context = {
        # "You work for … as case manager": German writes every noun, a role too, with a capital letter.
        "role_in_sentence": role if get_language() == "de" else role.lower(),
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
        # What my organisation still has to settle before a release; cases released to it lately (issue 14).
        **release_dashboard(user),
        # Visits with the children to record, and refusals to offer again (issue 15).
        **family_dashboard(user),
        # For evaluators, coordinators and the central point: outcomes, tables, reports (issue 17).
        **statistics_dashboard(user),
    }
    return render(request, "home.html", context)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and calendar clients ask for /favicon.ico whatever the page says: the static icon."""
    return HttpResponsePermanentRedirect(static("continuum/favicon.svg"))


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path == "/api" or request.path.startswith("/api/"):
        return JsonResponse({"detail": title}, status=status)
    return render(request, "error.html", {"title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, _("Bad request."), _("The request could not be understood. Go back and try again."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        _("You do not have access to this page."),
        _("Your role does not include this page. If you need it for your work, ask your coordinator."),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        _("Not found."),
        _("There is nothing here, or it is not shared with your organisation."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        _("Something went wrong on our side."),
        _("Nothing was saved. Try again in a moment; if it keeps happening, tell your administrator."),
    )
