"""The release plan's part of the case page (``cases/parts/release.html``), and small filters of the
release pages.

``cases`` never imports ``transition`` (docs/architecture.md, "Layers"): the case page loads this part
by its template, like the plan and the conferences. Read through ``visible_to`` in a fixed number of
queries, and logged as read (R11).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from continuum.sharing.access import read_records
from continuum.transition.access import items_of, release_plan_of
from continuum.transition.policy import PLANNING_PHASES, can_write_release_plan
from continuum.transition.releases import alert_label, plan_readiness

register = template.Library()


@register.filter
def absolute(value: Any) -> int:
    """``{{ days|absolute }}``: a number of days without its sign ("3 days ago")."""
    try:
        return abs(int(value))
    except (TypeError, ValueError):
        return 0


@register.inclusion_tag("transition/_case_section.html", takes_context=True)
def release_on_case(context: template.Context) -> dict[str, Any]:
    user = context["user"]
    case = context["case"]
    request = context.get("request")
    shown: dict[str, Any] = {"case": case, "htmx": bool(getattr(request, "htmx", False))}
    plan = release_plan_of(user, case)
    if plan is None:
        shown["begins"] = case.phase in PLANNING_PHASES and can_write_release_plan(user, case)
        return shown
    read_records(user, [plan], purpose="case page")
    items = items_of(user, plan)
    summary = plan_readiness(user, plan, items)
    today = timezone.localdate()
    shown.update(
        {
            "plan": plan,
            "readiness": summary["readiness"],
            "open_count": len(summary["open_domains"]),
            "alert": summary["alert"],
            "alert_label": alert_label(summary["alert"]),
            "days_to_go": (plan.expected_release_on - today).days,
        }
    )
    return shown
