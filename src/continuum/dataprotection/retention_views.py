"""The data protection officer's retention page: the review queue with its deadlines, the legal holds,
a form to place one and a button to end one early (docs/data-protection.md, "Retention").

It shows case numbers, persons' references, categories, counts and dates, never what records say (R10).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.dataprotection import retention_actions
from continuum.dataprotection.retention import due_groups, review_days
from continuum.dataprotection.retention_forms import HoldForm
from continuum.dataprotection.retention_models import LegalHold
from continuum.lib.forms import form_action, message_action
from continuum.sharing.disclosure import log_denied
from continuum.sharing.policy import can_oversee_sharing

GROUPS_PER_PAGE = 50
HOLDS_SHOWN = 50


def _require_dpo(request: AuthenticatedHttpRequest) -> None:
    if not can_oversee_sharing(request.user):
        log_denied(request.user, "retention", "")
        raise PermissionDenied


def _page(request: AuthenticatedHttpRequest, form: HoldForm | None = None) -> HttpResponse:
    today = timezone.localdate()
    groups = due_groups(today)
    page = Paginator(groups, GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "group": group,
            "hold": max(group.holds, key=lambda h: h.until, default=None),
            "erasure_on": None if group.held else group.erasure_on(today),
        }
        for group in page
    ]
    holds = list(
        LegalHold.objects.select_related("case", "placed_by", "ended_by").order_by("-placed_at", "pk")[:HOLDS_SHOWN]
    )
    record(
        AuditAction.READ,
        actor=request.user,
        object_type="retention_queue",
        purpose="retention review",
        detail={"groups": len(groups), "shown": len(rows)},
    )
    context = {
        "page": page,
        "rows": rows,
        "total": len(groups),
        "holds": [(hold, hold.in_force(today)) for hold in holds],
        "form": form or HoldForm(),
        "review_days": review_days(),
        "today": today,
    }
    return render(request, "dataprotection/retention.html", context, status=400 if form is not None else 200)


@login_required
@require_GET
def retention(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_dpo(request)
    return _page(request)


@login_required
@require_POST
def place_hold(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_dpo(request)
    form = HoldForm(request.POST)
    hold = form_action(
        form,
        lambda data: retention_actions.do_place_hold(
            data["case_number"], reason=data["reason"], until=data["until"], acting_user=request.user
        ),
        aliases={"case": "case_number"},
    )
    if hold is None:
        return _page(request, form)
    messages.success(
        request,
        _("Case %(number)s is held until %(until)s.") % {"number": hold.case.number, "until": hold.until.isoformat()},
    )
    return redirect("dataprotection:retention")


@login_required
@require_POST
def end_hold(request: AuthenticatedHttpRequest, hold_id: str) -> HttpResponse:
    _require_dpo(request)
    hold = LegalHold.objects.filter(pk=hold_id).first()
    if hold is None:
        raise Http404
    message_action(
        request,
        lambda: retention_actions.do_end_hold(hold, acting_user=request.user),
        done=_("The hold has ended: the case's due records are erased after the review window."),
        failed=_("The hold was not ended: "),
    )
    return redirect("dataprotection:retention")
