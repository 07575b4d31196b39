"""The plan and interventions sections of the case page (one ``{% include %}`` in the case template).

Everything is read through ``visible_to`` and the access helpers, in a fixed number of queries
whatever the number of goals, milestones or interventions, and logged as read (R11).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import pgettext_lazy

from continuum.cases.access import cases_reading_category
from continuum.plans.access import (
    assigned_milestones,
    interventions_visible_to,
    plan_contents,
    plans_visible_to,
)
from continuum.plans.choices import PlanStatus
from continuum.plans.policy import can_write_plan
from continuum.sharing import engine
from continuum.sharing.access import read_records
from continuum.sharing.choices import Category

register = template.Library()

INTERVENTIONS_SHOWN = 50

# A plan's status inside a sentence ("Revision 2: agreed."): its own words, not the label lower-cased
# (German nouns keep their capital).
STATUS_IN_A_SENTENCE: dict[str, Any] = {
    PlanStatus.DRAFT: pgettext_lazy("plan status, in a sentence", "draft"),
    PlanStatus.AGREED: pgettext_lazy("plan status, in a sentence", "agreed"),
    PlanStatus.SUPERSEDED: pgettext_lazy("plan status, in a sentence", "superseded"),
}


@register.filter
def status_in_a_sentence(status: str) -> str:
    """``{{ plan.status|status_in_a_sentence }}``: "draft", "agreed" or "superseded" in the page's language."""
    return str(STATUS_IN_A_SENTENCE.get(status, status))


@register.inclusion_tag("plans/_case_section.html", takes_context=True)
def plans_on_case(context: template.Context) -> dict[str, Any]:
    user = context["user"]
    case = context["case"]
    history = list(plans_visible_to(user).filter(case=case).order_by("-revision"))
    # The current plan (as ``current_plan_of``): the newest revision that is not superseded.
    plan = next((p for p in history if p.status != PlanStatus.SUPERSEDED), None)
    contents = plan_contents(user, plan, purpose="case page") if plan else None
    if plan is not None:
        read_records(user, [plan], purpose="case page")
    interventions = list(
        interventions_visible_to(user).filter(case=case).order_by("-starts_on", "pk")[: INTERVENTIONS_SHOWN + 1]
    )
    read_records(user, interventions[:INTERVENTIONS_SHOWN], purpose="case page")
    writes = can_write_plan(user, case)
    return {
        "case": case,
        "user": user,
        "plan": plan,
        "contents": contents,
        "history": history,
        "last_agreed": next((p for p in history if p.status == PlanStatus.AGREED), None),
        "reads_plans": case.pk in cases_reading_category(user, [case], Category.PLAN),
        "assigned": assigned_milestones(user, case) if plan is None else [],
        "writes_plan": writes,
        "can_start": writes and (plan is None or plan.status != PlanStatus.DRAFT),
        "interventions": interventions[:INTERVENTIONS_SHOWN],
        "interventions_more": len(interventions) > INTERVENTIONS_SHOWN,
        "adds_interventions": bool(engine.writable_categories(user, case)),
        "csrf_token": context.get("csrf_token"),
    }
