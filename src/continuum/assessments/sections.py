"""The assessment parts of other pages: the case page's "Assessments" section and the home page's reviews due.

Both read through the access helpers in a fixed number of queries and log what they show (R11).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import ngettext

from continuum.assessments.access import assessments_visible_to, case_trend
from continuum.assessments.charts import trend_figures
from continuum.assessments.choices import INSTRUMENT_CATEGORIES, AssessmentStatus
from continuum.assessments.policy import can_open_assessment
from continuum.assessments.reviews import overdue_reviews, review_prompts
from continuum.cases.policy import can_use_cases
from continuum.sharing.access import read_records

# The case page lists the newest assessments; older ones stay in the trend and the timeline.
CASE_LIST_LIMIT = 20
HOME_LIST_LIMIT = 10


def case_section(user: Any, case: Any) -> dict[str, Any]:
    """The context of ``assessments/_case_section.html``."""
    everything = list(assessments_visible_to(user).filter(case=case).order_by("-created_at", "pk"))
    shown = everything[:CASE_LIST_LIMIT]
    read_records(user, shown, purpose="case page")
    today = timezone.localdate()
    newest: dict[str, Any] = {}
    for assessment in everything:  # newest first: the first of each instrument is its latest
        newest.setdefault(assessment.instrument.code, assessment)
    for assessment in shown:
        assessors = list(assessment.assessors.all())
        done = sum(1 for a in assessors if a.submitted)
        assessment.progress_text = ngettext(  # type: ignore[attr-defined]
            "%(submitted)s of %(total)s assessor submitted",
            "%(submitted)s of %(total)s assessors submitted",
            len(assessors),
        ) % {"submitted": done, "total": len(assessors)}
        assessment.module_names = list(assessment.instrument.module_names(list(assessment.modules)).values())  # type: ignore[attr-defined]
        assessment.pending_names = [a.user.display_name for a in assessors if not a.submitted]  # type: ignore[attr-defined]
        assessment.review_overdue = (  # type: ignore[attr-defined]
            assessment.status == AssessmentStatus.FINALISED
            and assessment.next_review_on is not None
            and assessment.next_review_on < today
            and newest[assessment.instrument.code] is assessment
        )
    finalised = sorted(
        (a for a in everything if a.status == AssessmentStatus.FINALISED),
        key=lambda a: (a.finalised_on, a.created_at, str(a.pk)),
    )
    return {
        "assessments": shown,
        "assessments_more": len(everything) - len(shown),
        "can_start_assessment": any(can_open_assessment(user, case, c) for c in INSTRUMENT_CATEGORIES),
        "review_prompts": review_prompts(user, case, everything),
        "next_review": min(
            (a.next_review_on for a in newest.values() if a.status == AssessmentStatus.FINALISED and a.next_review_on),
            default=None,
        ),
        "trend_figures": (
            trend_figures(case_trend(user, case, purpose="case page", finalised=finalised)) if finalised else []
        ),
        "today": today,
    }


def home_section(user: Any) -> dict[str, Any]:
    """For the home page: ``reviews_due`` (overdue reviews of the cases the user can see) and
    ``to_rate`` (assessments still waiting for this user's own ratings)."""
    if not can_use_cases(user):
        return {}
    overdue = overdue_reviews(user)
    shown = overdue[:HOME_LIST_LIMIT]
    to_rate = list(
        assessments_visible_to(user)
        .exclude(status=AssessmentStatus.FINALISED)
        .filter(assessors__user=user, assessors__submitted_at__isnull=True)
        .select_related("case")
        .order_by("created_at", "pk")[:HOME_LIST_LIMIT]
    )
    read_records(user, [*shown, *to_rate], purpose="home page")
    return {"reviews_due": {"shown": shown, "total": len(overdue)}, "to_rate": to_rate}
