"""The signals part of the home page: the central point's intake at a glance (a fixed few queries)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from continuum.signals.access import visible_signals
from continuum.signals.choices import SignalStatus
from continuum.signals.policy import can_report_signals, can_triage_signals

BACKLOG_DAYS = 7


def signals_dashboard(user: Any) -> dict[str, Any]:
    """``reports_signals``/``triages_signals`` for the home page's cards, and for the central point
    ``signal_summary``: new signals, the backlog, reviews due and cases still to open."""
    triages = can_triage_signals(user)
    context: dict[str, Any] = {"reports_signals": can_report_signals(user), "triages_signals": triages}
    if triages:
        signals = visible_signals(user)
        today = timezone.localdate()
        context["signal_summary"] = {
            "new": signals.filter(status=SignalStatus.NEW).count(),
            "backlog": signals.filter(
                status=SignalStatus.NEW, queued_at__lt=timezone.now() - timedelta(days=BACKLOG_DAYS)
            ).count(),
            "reviews_due": signals.filter(status=SignalStatus.MONITORING, review_date__lte=today).count(),
            "cases_to_open": signals.filter(status=SignalStatus.INCLUDED, case__isnull=True).count(),
            "backlog_days": BACKLOG_DAYS,
        }
    return context
