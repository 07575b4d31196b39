"""The case journal's pages: writing an entry, its audience, reading it, and its attachments.

Views parse input, call an access helper or an action, and render (STYLE.md 6). Every read of case
records goes through ``visible_to``/``access_*`` and is logged (R11) with ``read_records``; what the
user may not see is a 404 (R12).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from continuum.accounts.choices import OrgType
from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.accounts.models import Organisation, User
from continuum.cases import actions
from continuum.cases.access import access_entry
from continuum.cases.forms import EntryForm
from continuum.cases.models import Case, CaseMember
from continuum.cases.views import _withheld_labels
from continuum.lib.forms import form_action
from continuum.sharing import engine
from continuum.sharing.access import access_case
from continuum.sharing.choices import Category
from continuum.sharing.disclosure import log_denied
from continuum.sharing.preview import CaseAudience
from continuum.sharing.records import withheld_parts

# --- Journal entries ----------------------------------------------------------------------------


def _member_organisations(case: Case) -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            pk__in=CaseMember.objects.filter(case=case, until__isnull=True).values("organisation_id")
        ).order_by("name")
    )


def _audience_context(case: Case, user: User, category: str, withhold_from: list[str]) -> dict[str, Any]:
    if not category:
        return {"category_label": ""}
    audience = CaseAudience(case)
    rows = audience.audience(category=category, withhold_from=withhold_from, author_org_id=user.organisation_id)
    return {
        "category_label": Category(category).label if category in Category.values else "",
        "seen_by": [r for r in rows if r.visible],
        "hidden_from": [r for r in rows if not r.visible],
    }


@login_required
def entry_new(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    """Write a journal entry; before saving, the form shows who will see it."""
    user = request.user
    case = access_case(user, case_id)
    categories = engine.writable_categories(user, case)
    if not categories:
        raise PermissionDenied
    members = _member_organisations(case)
    previewing = request.method == "POST" and "preview" in request.POST
    if previewing:
        # "Check who will see it" without JavaScript: show the audience, validate and save nothing.
        form = EntryForm(
            initial=_initial_from(request.POST),
            categories=categories,
            members=members,
            author_org=user.organisation,
        )
    else:
        form = EntryForm(
            request.POST or None,
            request.FILES or None,
            categories=categories,
            members=members,
            author_org=user.organisation,
        )
    entry = None
    if request.method == "POST" and not previewing:
        entry = form_action(
            form,
            lambda data: actions.do_add_entry(
                case,
                category=data["category"],
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                statement=data["statement"],
                source=data["source"],
                reliability=data["reliability"],
                withhold_from=form.withhold_from,
                attachments=data["attachments"],
                acting_user=user,
            ),
            {"withhold_from": "withhold_types"},
        )
    if entry is not None:
        messages.success(request, _("“%(title)s” is saved in the journal.") % {"title": entry.title})
        return redirect("cases:case_detail", case_id=case.pk)
    posted = request.POST if request.method == "POST" else None
    category = posted.get("category", "") if posted is not None else ""
    if category not in categories:
        category = ""
    withhold = _chosen_withholding(posted, members)
    context = {
        "case": case,
        "form": form,
        "files_dropped": bool(request.method == "POST" and request.FILES),
        **_audience_context(case, user, category, withhold),
        "withhold_count": len(withhold),
    }
    return render(request, "cases/entry_form.html", context)


def _initial_from(data: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {f: data.get(f, "") for f in EntryForm.base_fields if f != "attachments"}
    initial["withhold_types"] = data.getlist("withhold_types")
    initial["withhold_orgs"] = data.getlist("withhold_orgs")
    return initial


def _chosen_withholding(data: Any, members: list[Organisation]) -> list[str]:
    """The withhold-from boxes ticked in ``data``; anything that is not a choice is ignored."""
    if data is None:
        return []
    types = [t for t in data.getlist("withhold_types") if t in OrgType.values]
    slugs = {o.slug for o in members}
    return [*types, *(f"org:{s}" for s in data.getlist("withhold_orgs") if s in slugs)]


@login_required
@require_GET
def entry_audience(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    """The live "who will see it" box of the entry form (htmx)."""
    user = request.user
    case = access_case(user, case_id)
    categories = engine.writable_categories(user, case)
    if not categories:
        raise PermissionDenied
    category = request.GET.get("category", "")
    if category not in categories:
        category = ""
    withhold = _chosen_withholding(request.GET, _member_organisations(case))
    context = {**_audience_context(case, user, category, withhold), "withhold_count": len(withhold)}
    return render(request, "cases/_audience.html", context)


@login_required
@require_GET
def entry_detail(request: AuthenticatedHttpRequest, entry_id: str) -> HttpResponse:
    user = request.user
    entry = access_entry(user, entry_id, purpose="entry page")
    case = Case.objects.visible_to(user).filter(pk=entry.case_id).first() if entry.case_id else None
    names = dict(
        Organisation.objects.filter(
            slug__in=[name for kind, name in withheld_parts(entry.withhold_from) if kind == "org"]
        ).values_list("slug", "name")
    )
    entry.withheld_labels = _withheld_labels(entry, names)  # type: ignore[attr-defined]
    return render(
        request,
        "cases/entry_detail.html",
        {"entry": entry, "case": case, "attachments": list(entry.attachments.all())},
    )


@login_required
@require_GET
def attachment_download(request: AuthenticatedHttpRequest, entry_id: str, attachment_id: str) -> FileResponse:
    user = request.user
    entry = access_entry(user, entry_id, purpose="attachment download")
    attachment = entry.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        log_denied(user, "attachment", attachment_id, case_id=entry.case_id)
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
