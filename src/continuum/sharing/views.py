"""The data protection officer's pages: the sharing policy, the override review queue, disclosures.

The DPO sees logs, policy and disclosures, never case content (R10): these pages show references,
categories, organisations and dates, not what records say.
"""

from __future__ import annotations

import csv
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.audit.models import AuditAction, AuditEvent
from continuum.lib.text import csv_row
from continuum.sharing import actions
from continuum.sharing.access import access_disclosure_report
from continuum.sharing.choices import MEMBER_TYPES, Access, Category
from continuum.sharing.disclosure import describe_groups, group_disclosures
from continuum.sharing.forms import DisclosureReportForm
from continuum.sharing.models import Override, PolicyRule, PolicyVersion
from continuum.sharing.policy import can_oversee_sharing
from continuum.sharing.preview import short_type

VERSIONS_PER_PAGE = 10
OVERRIDES_PER_PAGE = 25
DISCLOSURES_PER_PAGE = 50


def _require_dpo(request: AuthenticatedHttpRequest) -> None:
    if not can_oversee_sharing(request.user):
        raise PermissionDenied


def _cell(org_type: str, category: str) -> str:
    return f"{org_type}__{category}"


def _category_label(category: str) -> str:
    return Category(category).label if category in Category.values else category


def _access_word(access: Any) -> str:
    """An access level as the matrix's selects say it: none, read, write."""
    words = {
        Access.NONE: pgettext("access level", "none"),
        Access.READ: pgettext("access level", "read"),
        Access.WRITE: pgettext("access level", "write"),
    }
    return words.get(access, str(access or ""))


# --- The policy matrix ----------------------------------------------------------------------------


@login_required
def policy(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The matrix as a table of selects (category x organisation type); saving makes a new version."""
    _require_dpo(request)
    current = PolicyVersion.objects.select_related("created_by").order_by("-number").first()
    rules = {(r.org_type, r.category): r.access for r in PolicyRule.objects.filter(version=current)}
    note = ""
    errors: list[str] = []
    note_error = ""
    if request.method == "POST":
        note = request.POST.get("note", "").strip()
        changes: dict[tuple[str, str], str] = {}
        for org_type in MEMBER_TYPES:
            for category in Category.values:
                value = request.POST.get(_cell(org_type, category))
                if value is None:
                    continue
                if value not in Access.values:
                    errors.append(
                        _("%(type)s / %(category)s: choose none, read or write.")
                        % {"type": short_type(org_type), "category": _category_label(category)}
                    )
                    continue
                changes[(org_type, category)] = value
        if not note:
            note_error = _("Say why the policy changes: the note is kept with the new version.")
        if not errors and not note_error:
            try:
                version = actions.do_change_policy(changes, note=note, acting_user=request.user)
            except ValidationError as exc:
                for key, messages_ in exc.message_dict.items():
                    if key == "note":
                        note_error = " ".join(messages_)
                    else:
                        errors.extend(messages_)
            else:
                if version is None:
                    messages.info(request, _("Nothing was changed, so no new version was made."))
                else:
                    messages.success(
                        request, _("Policy version %(number)s is in force from now on.") % {"number": version.number}
                    )
                return redirect("sharing:policy")
        # Show what was entered, so nothing has to be chosen again.
        rules.update(changes)
    rows = [
        {
            "category": category,
            "label": label,
            "cells": [
                {
                    "name": _cell(t, category),
                    "org_label": short_type(t),
                    "value": rules.get((t, category), Access.NONE),
                }
                for t in MEMBER_TYPES
            ],
        }
        for category, label in Category.choices
    ]
    versions = Paginator(
        PolicyVersion.objects.select_related("created_by").order_by("-number"), VERSIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    numbers = [str(v.number) for v in versions]
    changes_by_version = {
        event.object_id: [
            {
                "org_type": short_type(c.get("org_type", "")),
                "category": _category_label(c.get("category", "")),
                "old": _access_word(c.get("old")),
                "new": _access_word(c.get("new")),
            }
            for c in event.detail.get("changes", [])
        ]
        for event in AuditEvent.objects.filter(
            action=AuditAction.POLICY_CHANGE, object_type="policy_version", object_id__in=numbers
        )
    }
    history = [{"version": v, "changes": changes_by_version.get(str(v.number))} for v in versions]
    context = {
        "current": current,
        "org_types": [(t, short_type(t)) for t in MEMBER_TYPES],
        "accesses": Access.choices,
        "rows": rows,
        "note": note,
        "note_error": note_error,
        "errors": errors,
        "history": history,
        "page": versions,
    }
    return render(request, "sharing/policy.html", context)


# --- Override reviews ----------------------------------------------------------------------------


def _override_queue(request: AuthenticatedHttpRequest, **extra: Any) -> HttpResponse:
    pending = (
        Override.objects.filter(reviewed_at__isnull=True)
        .select_related("case__person", "recipient", "granted_by", "granted_org")
        .order_by("granted_at")
    )
    page = Paginator(pending, OVERRIDES_PER_PAGE).get_page(request.GET.get("page"))
    reviewed = (
        Override.objects.filter(reviewed_at__isnull=False)
        .select_related("case", "recipient", "reviewed_by")
        .order_by("-reviewed_at")[:10]
    )
    context = {"page": page, "reviewed": reviewed, **extra}
    return render(request, "sharing/overrides.html", context)


@login_required
@require_GET
def overrides(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Legal overrides waiting for the DPO's review, oldest first."""
    _require_dpo(request)
    return _override_queue(request)


@login_required
@require_POST
def override_review(request: AuthenticatedHttpRequest, override_id: str) -> HttpResponse:
    _require_dpo(request)
    override = Override.objects.filter(pk=override_id).first()
    if override is None:
        raise Http404
    note = request.POST.get("note", "")
    revoke = request.POST.get("revoke") == "on"
    try:
        actions.do_review_override(override, note=note, revoke=revoke, acting_user=request.user)
    except ValidationError as exc:
        return _override_queue(
            request,
            failed_id=override.pk,
            failed_note=note,
            failed_revoke=revoke,
            error=" ".join(exc.messages),
        )
    if revoke:
        messages.success(
            request, _("Override %(reference)s is reviewed and ended now.") % {"reference": override.reference}
        )
    else:
        messages.success(request, _("Override %(reference)s is reviewed.") % {"reference": override.reference})
    return redirect("sharing:overrides")


# --- Disclosure reports ---------------------------------------------------------------------------


@login_required
@require_GET
def disclosures(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who saw which kinds of records about a person, when and on what basis (R11), one row per day,
    reader, basis, kind and category; for a period, and as CSV with ``format=csv``. No record content."""
    _require_dpo(request)
    query = request.GET.copy()
    if "reference" in query and "person" not in query:
        # ``?reference=P-…`` works as well as the form's own ``?person=P-…`` (links written by hand).
        query["person"] = query.get("reference", "")
    form = DisclosureReportForm(query if query.get("person") else None)
    if not form.is_valid():
        return render(request, "sharing/disclosures.html", {"form": form, "person": None})
    person = form.person_found
    since, until = form.period()
    export_format = "csv" if request.GET.get("format") == "csv" else ""
    # The same door as the API: checks the DPO's role and audits reading (or exporting) the report.
    _person, rows = access_disclosure_report(
        request.user, person.pk, since=since, until=until, export_format=export_format
    )
    if export_format:
        return _disclosures_csv(person.reference, since, until, group_disclosures(rows))
    page = Paginator(group_disclosures(rows), DISCLOSURES_PER_PAGE).get_page(request.GET.get("page"))
    chosen = {"person": person.reference, "from": since, "to": until}
    filters = urlencode({key: str(value) for key, value in chosen.items() if value})
    context = {
        "form": form,
        "person": person,
        "page": page,
        "groups": describe_groups(page),
        "total": rows.count(),
        "pagination_query": filters,
        "csv_query": f"{filters}&format=csv",
        "since": since,
        "until": until,
    }
    return render(request, "sharing/disclosures.html", context)


CSV_HEADER = [
    "Day",
    "Organisation",
    "User",
    "Username",
    "Basis",
    "Explanation",
    "Record kind",
    "Category",
    "Records read",
    "First read",
    "Last read",
]


def _disclosures_csv(reference: str, since: date | None, until: date | None, rows: Any) -> HttpResponse:
    """The report's grouped rows as CSV, named after the person's reference and the days it covers."""
    last_day = until or timezone.localdate()
    name = f"disclosures-{reference}{f'-from-{since:%Y-%m-%d}' if since else ''}-to-{last_day:%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for group in describe_groups(rows.iterator()):
        writer.writerow(
            csv_row(
                (
                    f"{group.day:%Y-%m-%d}",
                    group.organisation,
                    group.user,
                    group.username,
                    group.basis,
                    group.explanation,
                    group.kind,
                    group.category,
                    group.count,
                    f"{group.first:%Y-%m-%d %H:%M}",
                    f"{group.last:%Y-%m-%d %H:%M}",
                )
            )
        )
    return response
