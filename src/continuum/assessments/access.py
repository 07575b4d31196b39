"""The doors to assessments (the one-door rule: ``Assessment.objects.visible_to`` underneath).

``access_assessment`` answers 404 for an assessment that is not there or not visible, logs the read
(R11) and returns it with its instrument and assessors. ``visible_ratings`` applies the independence
rule: an assessor who has not submitted sees only their own ratings; everyone else who sees the
assessment sees the ratings of the assessors who have submitted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from continuum.assessments.choices import AssessmentStatus
from continuum.assessments.models import Assessment, Assessor, AssessorRating, ConsensusRating
from continuum.assessments.summaries import trend
from continuum.sharing.access import read_records
from continuum.sharing.disclosure import log_denied


def _uuid(value: Any) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError):
        return None


def assessments_visible_to(user: Any) -> QuerySet[Assessment]:
    """Visible assessments with what lists and details show, in a bounded number of queries."""
    return (
        Assessment.objects.visible_to(user)
        .select_related("instrument", "finalised_by")
        .prefetch_related(
            Prefetch(
                "assessors", queryset=Assessor.objects.select_related("user", "organisation").order_by("user__username")
            )
        )
    )


def access_assessment(user: Any, assessment_id: Any, *, purpose: str = "") -> Assessment:
    """One assessment the user may see (logged as a read or disclosure), or 404."""
    pk = _uuid(assessment_id)
    assessment = assessments_visible_to(user).filter(pk=pk).first() if pk else None
    if assessment is None:
        log_denied(user, "assessment", assessment_id)
        raise Http404
    read_records(user, [assessment], purpose=purpose)
    return assessment


def _assessor_of(assessment: Assessment, user: Any) -> Assessor | None:
    return next((a for a in assessment.assessors.all() if a.user_id == getattr(user, "pk", None)), None)


def ratings_hidden_from(assessment: Assessment, user: Any) -> bool:
    """Whether the other assessors' ratings are hidden from ``user`` (an assessor yet to submit)."""
    me = _assessor_of(assessment, user)
    return me is not None and not me.submitted


def visible_ratings(assessment: Assessment, user: Any) -> list[AssessorRating]:
    """The individual ratings ``user`` may read on an assessment they can see (one query)."""
    ratings = (
        AssessorRating.objects.filter(assessment=assessment)
        .select_related("assessor")
        .order_by("assessor__username", "item")
    )
    if ratings_hidden_from(assessment, user):
        return list(ratings.filter(assessor=user))
    submitted = [a.user_id for a in assessment.assessors.all() if a.submitted]
    mine = [user.pk] if _assessor_of(assessment, user) else []
    return list(ratings.filter(assessor__in=[*submitted, *mine]))


def consensus_of(assessment: Assessment) -> list[ConsensusRating]:
    return list(ConsensusRating.objects.filter(assessment=assessment).select_related("recorded_by").order_by("item"))


def finalised_on_case(user: Any, case: Any) -> list[Assessment]:
    """The case's finalised assessments the user may see, oldest first (not yet logged as read)."""
    return list(
        assessments_visible_to(user)
        .filter(case=case, status=AssessmentStatus.FINALISED)
        .order_by("finalised_on", "created_at", "pk")
    )


def consensus_by_assessment(assessments: Iterable[Assessment]) -> dict[Any, dict[str, int | None]]:
    """Assessment id -> item code -> agreed rating, for assessments already read (one query)."""
    consensus: dict[Any, dict[str, int | None]] = {}
    rows = ConsensusRating.objects.filter(assessment__in=[a.pk for a in assessments]).values(
        "assessment_id", "item", "rating"
    )
    for row in rows:
        consensus.setdefault(row["assessment_id"], {})[row["item"]] = row["rating"]
    return consensus


def case_trend(
    user: Any, case: Any, *, purpose: str = "assessment trend", finalised: list[Assessment] | None = None
) -> list[dict[str, Any]]:
    """``summaries.trend`` of the finalised assessments on the case the user may see (logged as read).

    ``finalised``: those assessments, already read through ``assessments_visible_to`` by the caller.
    """
    if finalised is None:
        finalised = finalised_on_case(user, case)
    read_records(user, finalised, purpose=purpose)
    return trend(finalised, consensus_by_assessment(finalised))


def previous_assessment(user: Any, assessment: Assessment) -> Assessment | None:
    """The latest finalised assessment with the same instrument on the same case, before this one, that
    the user may see: its consensus is the reference when continuing (e.g. after a transfer)."""
    return (
        assessments_visible_to(user)
        .filter(
            case=assessment.case,
            instrument__code=assessment.instrument.code,
            status=AssessmentStatus.FINALISED,
            created_at__lt=assessment.created_at,
        )
        .order_by("-finalised_on", "-created_at")
        .first()
    )
