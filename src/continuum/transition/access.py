"""The doors to release plans, their items, scenarios, follow-ups and re-offending records (``visible_to``
underneath, on ``sharing.access``).

Each ``access_*`` helper answers 404 for what is not there or not visible, the same answer, logs
the read (R11) and returns the record.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from continuum.cases.models import Case, ReleaseCondition
from continuum.sharing.access import access_case, access_record, access_visible, read_records
from continuum.sharing.disclosure import log_denied, log_reads
from continuum.transition.models import (
    ConditionReview,
    ReleaseItem,
    ReleasePlan,
    ReoffendingRecord,
    ResettlementCheck,
    Scenario,
)


def release_plan_of(user: Any, case: Case) -> ReleasePlan | None:
    """The case's release plan as the user may see it (not logged: the caller logs what it shows)."""
    return (
        ReleasePlan.objects.visible_to(user)
        .filter(case=case)
        .select_related("destination_municipality", "released_to", "released_by")
        .first()
    )


def access_release_plan(user: Any, case_id: Any) -> ReleasePlan:
    """The release plan of a case the user may see, or 404 (no case, no plan, or not visible)."""
    case = access_case(user, case_id)
    plan = release_plan_of(user, case)
    if plan is None:
        log_denied(user, "release_plan", case.pk)
        raise Http404
    read_records(user, [plan])
    return plan


def access_release_plan_by_id(user: Any, plan_id: Any) -> ReleasePlan:
    return access_visible(
        ReleasePlan.objects.visible_to(user).select_related("case", "destination_municipality", "released_to"),
        user,
        plan_id,
        object_type="release_plan",
        on_found=lambda found: log_reads(user, [found]),
    )


def items_of(user: Any, plan: ReleasePlan) -> list[ReleaseItem]:
    """The plan's items the user may see, in the order of the domains, logged as read."""
    from continuum.transition.choices import Domain

    order = {domain: index for index, domain in enumerate(Domain.values)}
    items = list(
        ReleaseItem.objects.visible_to(user).filter(plan=plan).select_related("owner_organisation", "updated_by")
    )
    items.sort(key=lambda item: order.get(item.domain, len(order)))
    read_records(user, items)
    return items


def access_release_item(user: Any, item_id: Any) -> ReleaseItem:
    item: ReleaseItem = access_visible(
        ReleaseItem.objects.visible_to(user).select_related("plan", "case", "owner_organisation", "updated_by"),
        user,
        item_id,
        object_type="release_item",
        on_found=lambda found: log_reads(user, [found]),
    )
    return item


def scenarios_of(user: Any, case: Case) -> Any:
    """The case's scenarios the user may see, newest discussed first (a queryset; log what is shown)."""
    return Scenario.objects.visible_to(user).filter(case=case).order_by("-discussed_on", "-created_at", "pk")


def resettlement_checks_of(user: Any, case: Case) -> Any:
    """The case's follow-ups after release the user may see, latest first (a queryset; log what is shown)."""
    return ResettlementCheck.objects.visible_to(user).filter(case=case).order_by("-checked_on", "-created_at", "pk")


def reoffending_of(user: Any, case: Case) -> Any:
    """The case's recall and re-offending records the user may see, latest first (a queryset; log what is shown)."""
    return ReoffendingRecord.objects.visible_to(user).filter(case=case).order_by("-occurred_on", "-created_at", "pk")


def access_release_condition(user: Any, condition_id: Any) -> ReleaseCondition:
    condition: ReleaseCondition = access_record(user, ReleaseCondition, condition_id, object_type="release_condition")
    return condition


def conditions_with_reviews(user: Any, case: Case) -> list[ReleaseCondition]:
    """The case's release conditions the user may see, each with ``shown_reviews`` (its visible reviews,
    oldest first), ``in_effect_until`` (after the reviews) and ``next_review_on``; two queries, logged."""
    conditions = list(ReleaseCondition.objects.visible_to(user).filter(case=case).order_by("valid_from", "created_at"))
    reviews = list(
        ConditionReview.objects.visible_to(user)
        .filter(condition__in=[c.pk for c in conditions])
        .order_by("reviewed_on", "created_at")
    )
    by_condition: dict[Any, list[ConditionReview]] = {c.pk: [] for c in conditions}
    for review in reviews:
        by_condition[review.condition_id].append(review)
    for condition in conditions:
        shown = by_condition[condition.pk]
        for review in shown:
            review.condition = condition  # already read: no query for the label
        condition.shown_reviews = shown
        until = condition.valid_until
        next_review = None
        for review in shown:
            if review.new_valid_until is not None:
                until = review.new_valid_until
            next_review = review.next_review_on
        condition.in_effect_until = until
        condition.next_review_on = next_review
    read_records(user, [*conditions, *reviews])
    return conditions
