"""Searching: the persons whose identity the user may read (by name, date of birth or reference) and
the journal entries the user may see (R12); nothing else is searched."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.cases.access import search_entries
from continuum.cases.models import Case
from continuum.cases.policy import can_use_cases
from continuum.people.search import find_persons
from continuum.sharing.access import read_records

RESULTS_PER_PAGE = 25
PERSONS_SHOWN = 10


def _with_cases(user: Any, persons: list[Any]) -> list[Any]:
    """Each person with the cases of theirs the user may see (phase, lead organisation): one query."""
    cases: dict[Any, list[Case]] = {}
    visible = Case.objects.visible_to(user).filter(person__in=[p.pk for p in persons])
    for case in visible.select_related("lead_organisation").order_by("-opened_at"):
        cases.setdefault(case.person_id, []).append(case)
    for person in persons:
        person.visible_cases = cases.get(person.pk, [])
    return persons


@login_required
@require_GET
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not can_use_cases(user):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:200]
    page = None
    persons: list[Any] = []
    if query:
        persons = _with_cases(user, find_persons(user, query)[:PERSONS_SHOWN])
        results = search_entries(user, query).select_related("case", "person").order_by("-created_at", "pk")
        page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        read_records(user, list(page.object_list), purpose="search")
    context = {
        "query": query,
        "persons": persons,
        "page": page,
        "pagination_query": urlencode({"q": query}) if query else "",
    }
    return render(request, "cases/search.html", context)
