"""The data protection officer's view of the audit log and its chain."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from continuum.audit.checkpoints import check_log
from continuum.audit.models import AuditAction, AuditEvent
from continuum.audit.policy import can_read_audit_log


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    if not can_read_audit_log(request.user):
        raise PermissionDenied
    events = AuditEvent.objects.order_by("-seq")
    action = request.GET.get("action", "")
    actor = request.GET.get("actor", "").strip()
    if action in AuditAction.values:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_username=actor)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = {"page": page, "actions": AuditAction.choices, "action": action, "actor": actor}
    return render(request, "audit/event_list.html", context)


@login_required
def chain(request: HttpRequest) -> HttpResponse:
    if not can_read_audit_log(request.user):
        raise PermissionDenied
    report = check_log() if request.method == "POST" else None
    return render(request, "audit/chain.html", {"report": report})
