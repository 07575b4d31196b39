"""Searching the journal: only entries the user may see are searched (R12)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.cases.access import search_entries
from continuum.cases.policy import can_use_cases
from continuum.sharing.access import read_records

RESULTS_PER_PAGE = 25


@login_required
@require_GET
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not can_use_cases(user):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:200]
    page = None
    if query:
        results = search_entries(user, query).select_related("case", "person").order_by("-created_at", "pk")
        page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        read_records(user, list(page.object_list), purpose="search")
    context = {"query": query, "page": page, "pagination_query": urlencode({"q": query}) if query else ""}
    return render(request, "cases/search.html", context)
