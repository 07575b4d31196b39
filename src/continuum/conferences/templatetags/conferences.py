"""Conference parts of other apps' pages, without touching their views.

``{% case_conferences case %}``: the case page's small "Conferences" section. ``{% plan_decisions plan %}``:
on a plan page, the conference decisions about that plan revision and where they stand.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from continuum.conferences.access import visible_decisions
from continuum.conferences.choices import in_sentence as _in_sentence
from continuum.conferences.dashboard import case_conferences as _case_conferences
from continuum.conferences.dashboard import describe_decisions
from continuum.sharing.access import read_records

register = template.Library()


@register.filter
def in_sentence(label: Any) -> str:
    """``{{ case.get_phase_display|in_sentence }}``: a label inside a sentence, as its language writes it."""
    return _in_sentence(label)


@register.inclusion_tag("conferences/_case_conferences.html", takes_context=True)
def case_conferences(context: Any, case: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return _case_conferences(user, case) if user is not None else {}


@register.inclusion_tag("conferences/_plan_decisions.html", takes_context=True)
def plan_decisions(context: Any, plan: Any) -> dict[str, Any]:
    """The decisions the user may see about ``plan``, each with its status in plain words (a fixed
    number of queries); the conference is linked only for organisations that take part in it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {}
    decisions = list(
        visible_decisions(user)
        .filter(plan=plan)
        .prefetch_related("conference__cancelled_occurrences")
        .order_by("created_at", "pk")
    )
    if not decisions:
        return {"plan_decisions": []}
    read_records(user, decisions, purpose="plan page")
    describe_decisions(user, decisions)
    for decision in decisions:
        upcoming = decision.conference.next_meeting
        decision.meeting_text = (  # type: ignore[attr-defined]
            _("next meeting %(day)s") % {"day": date_format(timezone.localtime(upcoming), "DATE_FORMAT")}
            if upcoming
            else _("met on %(day)s")
            % {"day": date_format(timezone.localtime(decision.conference.scheduled_at), "DATE_FORMAT")}
        )
    return {"plan_decisions": decisions}
