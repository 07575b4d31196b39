"""The data protection officer's pages: the sharing policy, the override review queue, disclosures.

The DPO sees logs, policy and disclosures, never case content (R10): these pages show references,
categories, organisations and dates, not what records say.
"""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.audit.models import AuditAction, AuditEvent
from continuum.sharing import actions
from continuum.sharing.access import access_disclosure_report
from continuum.sharing.choices import MEMBER_TYPES, Access, Category
from continuum.sharing.models import Override, PolicyRule, PolicyVersion
from continuum.sharing.policy import can_oversee_sharing
from continuum.sharing.preview import short_type

VERSIONS_PER_PAGE = 10
OVERRIDES_PER_PAGE = 25
DISCLOSURES_PER_PAGE = 50
REFERENCE = re.compile(r"^P-[2-9A-HJKMNP-Z]{6}$")


def _require_dpo(request: AuthenticatedHttpRequest) -> None:
    if not can_oversee_sharing(request.user):
        raise PermissionDenied


def _cell(org_type: str, category: str) -> str:
    return f"{org_type}__{category}"


def _category_label(category: str) -> str:
    return Category(category).label if category in Category.values else category


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
                    errors.append(f"{org_type} / {category}: choose none, read or write.")
                    continue
                changes[(org_type, category)] = value
        if not note:
            note_error = "Say why the policy changes: the note is kept with the new version."
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
                    messages.info(request, "Nothing was changed, so no new version was made.")
                else:
                    messages.success(request, f"Policy version {version.number} is in force from now on.")
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
                "old": c.get("old"),
                "new": c.get("new"),
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
        messages.success(request, f"Override {override.reference} is reviewed and ended now.")
    else:
        messages.success(request, f"Override {override.reference} is reviewed.")
    return redirect("sharing:overrides")


# --- Disclosure reports ---------------------------------------------------------------------------


@login_required
@require_GET
def disclosures(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who saw which records about a person, when and on what basis (R11). No record content."""
    _require_dpo(request)
    reference = request.GET.get("person", "").strip().upper()
    error = ""
    person = None
    page = None
    if reference:
        if not REFERENCE.match(reference):
            error = "A person reference looks like P-7F3K2Q: the letter P, a dash and six letters or digits."
        else:
            person = apps.get_model("people", "Person").objects.filter(reference=reference).first()
            if person is None:
                error = f"No person has the reference {reference}. Check it and try again."
    if person is not None:
        # The same door as the API: checks the DPO's role and audits the reading of the report.
        _person, rows = access_disclosure_report(request.user, person.pk)
        rows = rows.select_related("author_org", "case")
        page = Paginator(rows, DISCLOSURES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "reference": reference,
        "error": error,
        "person": person,
        "page": page,
        "pagination_query": f"person={reference}" if person is not None else "",
    }
    return render(request, "sharing/disclosures.html", context)
