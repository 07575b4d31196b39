"""The statistics pages (issue 17): a table to look at, the publications and the builder, a report.

Thin views over ``actions`` (which count through the sharing engine or the disclosure control) and
``report`` (which lays the tables out). Who may do what is ``policy``; a page a user may not use is
a 403, bad input the page again with its errors (400).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.accounts.reauth import reauthentication_redirect
from continuum.cases.models import Case
from continuum.insights import actions, report, tables
from continuum.insights.forms import (
    SLOTS,
    DashboardForm,
    LessonForm,
    LessonSearchForm,
    PublicationForm,
    TableForm,
    TableSlotForm,
)
from continuum.insights.models import Lesson, Publication
from continuum.insights.policy import (
    can_export_microdata,
    can_publish,
    can_read_lessons,
    can_read_publications,
    can_see_all,
    can_see_mine,
    can_use_tables,
    can_write_lesson,
)
from continuum.lib.forms import add_action_errors, form_action
from continuum.people.models import Person
from continuum.sharing.access import parse_id

PUBLICATIONS_SHOWN = 50
CASES_PER_PAGE = 25


def _scopes(user: Any) -> list[str]:
    return [scope for scope, allowed in (("mine", can_see_mine(user)), ("all", can_see_all(user))) if allowed]


@login_required
@require_GET
def table_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not can_use_tables(user):
        raise PermissionDenied
    scopes = _scopes(user)
    asked = "measure" in request.GET
    form = TableForm(
        request.GET if asked else None, scopes=scopes, initial={"scope": scopes[0], "measure": "cases", "by1": "gender"}
    )
    shown, status = None, 200
    if asked:
        if form.is_valid():
            try:
                table = actions.table_for(
                    user, measure=form.cleaned_data["measure"], by=form.breakdowns(), scope=form.cleaned_data["scope"]
                )
            except ValidationError as exc:
                add_action_errors(form, exc, {"by": "by1"})
                status = 400
            else:
                data = tables.as_data(table)
                shown = report.grid("", "", table.measure, list(table.by), data["cells"], data["totals"])
                shown.protected = table.safe is not None
        else:
            status = 400
    context = {"form": form, "grid": shown, "scopes": scopes, "exports": can_export_microdata(user)}
    return render(request, "insights/table.html", context, status=status)


@login_required
@require_GET
def dashboard_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The outcome indicators with a chart beside each table: of the team's own cases (and each of them
    in a list), or for coordinators, the central point and evaluators, of every case, protected."""
    user = request.user
    if not can_use_tables(user):
        raise PermissionDenied
    scopes = _scopes(user)
    default_by = "phase" if scopes[0] == "mine" else "release_year"
    form = DashboardForm(request.GET or {"scope": scopes[0], "by": default_by}, scopes=scopes)
    if not form.is_valid():
        refused = {"form": form, "dashboard": None, "scopes": scopes}
        return render(request, "insights/dashboard.html", refused, status=400)
    dashboard = actions.dashboard_for(user, by=form.cleaned_data["by"], scope=form.cleaned_data["scope"])
    context: dict[str, Any] = {"form": form, "dashboard": dashboard, "scopes": scopes}
    if dashboard.scope == "mine":
        page = Paginator(
            Case.objects.visible_to(user).select_related("person").order_by("-opened_at", "pk"), CASES_PER_PAGE
        ).get_page(request.GET.get("page"))
        cases = list(page.object_list)
        found = {row.case_id: row for row in tables.rows(Case.objects.filter(pk__in=[c.pk for c in cases]), user)}
        readable = set(
            Person.objects.visible_to(user).filter(pk__in=[c.person_id for c in cases]).values_list("pk", flat=True)
        )
        context["page"] = page
        context["case_rows"] = [(case, case.person_id in readable, found[case.pk]) for case in cases]
        query = request.GET.copy()
        query.pop("page", None)
        context["pagination_query"] = query.urlencode()
    return render(request, "insights/dashboard.html", context)


def _publications(user: Any) -> Any:
    if not can_read_publications(user):
        raise PermissionDenied
    return Publication.objects.select_related("organisation", "published_by")


@login_required
@require_http_methods(["GET", "POST"])
def publication_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    found = list(_publications(user)[:PUBLICATIONS_SHOWN])
    publishes = can_publish(user)
    posted = request.method == "POST"
    if posted and not publishes:
        raise PermissionDenied
    form = PublicationForm(request.POST if posted else None)
    slots = [TableSlotForm(request.POST if posted else None, prefix=f"t{n}") for n in range(1, SLOTS + 1)]
    problems: list[str] = []
    status = 200
    if posted:
        checked = [form.is_valid(), *(slot.is_valid() for slot in slots)]  # every form, for its errors
        valid = all(checked)
        asked = [
            {
                "measure": slot.cleaned_data["measure"],
                "by": slot.breakdowns(),
                "title": slot.cleaned_data["title"],
                "commentary": slot.cleaned_data["commentary"],
            }
            for slot in slots
            if slot.is_valid() and slot.cleaned_data.get("measure")
        ]
        if valid and not asked:
            form.add_error(None, _("Add at least one table."))
            valid = False
        if valid:
            try:
                publication = actions.do_publish(
                    title=form.cleaned_data["title"],
                    commentary=form.cleaned_data["commentary"],
                    tables_asked=asked,
                    acting_user=user,
                )
            except ValidationError as exc:
                errors = getattr(exc, "message_dict", {})
                problems = errors.get("tables", [])
                for field in ("title",):
                    for text in errors.get(field, []):
                        form.add_error(field, text)
                if not errors:
                    form.add_error(None, exc.messages)
            else:
                messages.success(request, _("The report is published."))
                return redirect("insights:publication", publication_id=publication.pk)
        status = 400
    context = {"publications": found, "publishes": publishes, "form": form, "slots": slots, "problems": problems}
    return render(request, "insights/publications.html", context, status=status)


def _publication(request: AuthenticatedHttpRequest, publication_id: str) -> Publication:
    pk = parse_id(publication_id)
    found = _publications(request.user).prefetch_related("tables").filter(pk=pk).first() if pk else None
    if found is None:
        raise Http404
    return found


@login_required
@require_GET
def publication_page(request: AuthenticatedHttpRequest, publication_id: str) -> HttpResponse:
    publication = _publication(request, publication_id)
    context = {"publication": publication, "grids": report.publication_grids(publication)}
    return render(request, "insights/publication.html", context)


@login_required
@require_GET
def publication_pdf(request: AuthenticatedHttpRequest, publication_id: str) -> HttpResponse:
    publication = _publication(request, publication_id)
    response = HttpResponse(report.render_publication_pdf(publication), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="publication-{publication.pk}.pdf"'
    return response


@login_required
@require_GET
def research_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The research export as a CSV download; when it cannot be released, the reason on a page (400)."""
    if not can_export_microdata(request.user):
        raise PermissionDenied
    if (reauthenticate := reauthentication_redirect(request)) is not None:
        return reauthenticate
    result = actions.do_research_export(acting_user=request.user)
    if not result.released:
        return render(request, "insights/export_refused.html", {"reason": result.reason}, status=400)
    response = HttpResponse(actions.export_csv(result).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="continuum-research-export.csv"'
    return response


# --- lessons learned -------------------------------------------------------------------------------------------

LESSONS_SHOWN = 50


@login_required
@require_http_methods(["GET", "POST"])
def lesson_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not can_read_lessons(user):
        raise PermissionDenied
    search = LessonSearchForm(request.GET or None)
    found = actions.lessons(**search.cleaned_data) if search.is_valid() else actions.lessons()
    writes = can_write_lesson(user)
    posted = request.method == "POST"
    if posted and not writes:
        raise PermissionDenied
    form = LessonForm(request.POST if posted else None, initial={"language": get_language()[:2]})
    status = 200 if search.is_valid() or not search.is_bound else 400
    if posted:
        lesson = form_action(form, lambda data: actions.do_write_lesson(acting_user=user, **data))
        if lesson is not None:
            messages.success(request, _("Thank you: the lesson is in the library for every organisation."))
            return redirect("insights:lesson", lesson_id=lesson.pk)
        status = 400
    context = {
        "search": search,
        "lessons": list(found[:LESSONS_SHOWN]),
        "more": found.count() > LESSONS_SHOWN,
        "form": form if writes else None,
    }
    return render(request, "insights/lessons.html", context, status=status)


@login_required
@require_GET
def lesson_page(request: AuthenticatedHttpRequest, lesson_id: str) -> HttpResponse:
    if not can_read_lessons(request.user):
        raise PermissionDenied
    pk = parse_id(lesson_id)
    lesson = Lesson.objects.filter(pk=pk).first() if pk else None
    if lesson is None:
        raise Http404
    return render(request, "insights/lesson.html", {"lesson": lesson})
