"""Release and transition (API.md, "Transition and release"): thin views over ``actions`` and ``access``.

What the user may not see is a 404 (the same as what is not there), what the user sees but may not
change a 403, bad input a 400 with nothing changed, a stale ``version`` a 409. Every record answered
is read again through ``visible_to`` and logged as read (R11).
"""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from continuum.api.pagination import page_of
from continuum.sharing.access import access_case
from continuum.sharing.api.records import CaseRecordList, Create, Endpoints, RecordView, visible_records
from continuum.transition import actions
from continuum.transition.access import (
    access_release_condition,
    access_release_item,
    access_release_plan,
    access_release_plan_by_id,
    items_of,
    scenarios_of,
)
from continuum.transition.api.serializers import (
    ConditionReviewCreateSerializer,
    ConditionReviewSerializer,
    ReleaseInSerializer,
    ReleaseItemSerializer,
    ReleaseItemUpdateSerializer,
    ReleasePlanCreateSerializer,
    ReleasePlanSerializer,
    ReleasePlanUpdateSerializer,
    ReleaseSerializer,
    ReoffendingRecordCreateSerializer,
    ReoffendingRecordSerializer,
    ResettlementCheckCreateSerializer,
    ResettlementCheckSerializer,
    ScenarioCreateSerializer,
    ScenarioSerializer,
)
from continuum.transition.models import (
    ConditionReview,
    ReleaseItem,
    ReleasePlan,
    ReoffendingRecord,
    ResettlementCheck,
    Scenario,
)
from continuum.transition.policy import (
    can_record_reoffending,
    can_record_resettlement_check,
    can_release,
    can_review_condition,
    can_update_item,
    can_write_release_plan,
)
from continuum.transition.releases import DEFAULT_WITHIN_DAYS, MAX_WITHIN_DAYS, plan_readiness, releases_for

NOT_FOUND = OpenApiResponse(description="Not found, or not visible to the user (the same answer).")
FORBIDDEN = OpenApiResponse(description="Visible, but the user's organisation may not do this.")
BAD_INPUT = OpenApiResponse(description="Bad input; nothing changed.")
endpoints = Endpoints(not_found=NOT_FOUND, forbidden=FORBIDDEN, bad_input=BAD_INPUT)
# Refusals are lazy: they are put in the language of each request, not of the moment of import.
PLAN_WRITERS_ONLY = cast(str, gettext_lazy("Only members that write the case's plan work on its release plan."))
OWNER_OR_WRITER_ONLY = cast(
    str, gettext_lazy("Only the organisation that owns this item, or one that writes it, changes it.")
)
MANAGERS_ONLY = cast(str, gettext_lazy("Only the lead organisation's coordinator or case manager records the release."))
REVIEWERS_ONLY = cast(str, gettext_lazy("Only the case's managers and probation review release conditions."))
LEGAL_WRITERS_ONLY = cast(
    str, gettext_lazy("Only members that write the case's legal records record a recall or re-offending.")
)


def _plan_data(request: Request, plan: ReleasePlan) -> Any:
    """The plan with the items the user may see (logged as read), readiness, alert and scenarios."""
    items = items_of(request.user, plan)
    scenarios = scenarios_of(request.user, plan.case).count() if plan.case else 0
    context = {"items": items, "summary": plan_readiness(request.user, plan, items), "scenarios_discussed": scenarios}
    return ReleasePlanSerializer(plan, context=context).data


def _plan_now(request: Request, record: Any) -> Any:
    """The release plan as the user now sees it (by its id: after a release the prison is no longer a
    member of the case, and still sees the plan it wrote, R0)."""
    plan_id = record.plan_id if isinstance(record, ReleaseItem) else record.pk
    return _plan_data(request, access_release_plan_by_id(request.user, plan_id))


def _item_now(request: Request, item: ReleaseItem) -> Any:
    return ReleaseItemSerializer(access_release_item(request.user, item.pk)).data


def _create_plan(case: Any, *, acting_user: Any, **fields: Any) -> ReleasePlan:
    return actions.do_create_release_plan(case, acting_user=acting_user, **fields)


cases = endpoints.of("case_id", access_case, _plan_now, ReleasePlanSerializer)
plans = endpoints.of("case_id", access_release_plan, _plan_now, ReleasePlanSerializer)
items = endpoints.of("item_id", access_release_item, _item_now, ReleaseItemSerializer)


class CaseReleasePlanView(RecordView):
    get = endpoints.of("case_id", access_release_plan, _plan_data, ReleasePlanSerializer).read(
        "The case's release plan with its items, readiness and alert (404 while there is none)"
    )
    post = cases.write(
        _create_plan,
        ReleasePlanCreateSerializer,
        status=201,
        rule=can_write_release_plan,
        refusal=PLAN_WRITERS_ONLY,
        summary="Begin the case's release plan: one item per domain, each not started",
    )
    patch = plans.write(
        actions.do_update_release_plan,
        ReleasePlanUpdateSerializer,
        stale=True,
        rule=lambda user, plan: plan.case is not None and can_write_release_plan(user, plan.case),
        refusal=PLAN_WRITERS_ONLY,
        summary="Change the expected day, the release type or the destination (send the version you read)",
    )


class ReleaseItemDetailView(RecordView):
    get = items.read("One domain of a release plan")
    patch = items.write(
        actions.do_update_release_item,
        ReleaseItemUpdateSerializer,
        stale=True,
        # Refused before the input is looked at: a 403 says nothing about the input.
        rule=lambda user, item: item.case is not None and can_update_item(user, item.case, item),
        refusal=OWNER_OR_WRITER_ONLY,
        summary=(
            "Change a domain's status, owner, due date or note (send the version you read); declining "
            "support or marking it not required needs a note"
        ),
    )


class CaseReleaseView(RecordView):
    post = cases.write(
        actions.do_release,
        ReleaseInSerializer,
        rule=can_release,
        refusal=MANAGERS_ONLY,
        summary=(
            "Release: the case moves to probation or the community under its new lead, the prison's "
            "membership ends, the plan carries on, the hand-over is recorded"
        ),
    )


class CaseScenarioListView(CaseRecordList):
    endpoints = endpoints
    record_model, serializer_class = Scenario, ScenarioSerializer
    ordering = ("-discussed_on", "-created_at", "pk")
    list_summary = "The scenarios discussed with the person that the user may see, newest first"
    create = Create(
        actions.do_record_scenario,
        ScenarioCreateSerializer,
        "Record a scenario discussed with the person before release",
        rule=can_write_release_plan,
        refusal=PLAN_WRITERS_ONLY,
    )


class CaseResettlementCheckListView(CaseRecordList):
    endpoints = endpoints
    record_model, serializer_class = ResettlementCheck, ResettlementCheckSerializer
    ordering = ("-checked_on", "-created_at", "pk")
    list_summary = "The case's follow-ups after release that the user may see, latest first"
    create = Create(
        actions.do_record_resettlement_check,
        ResettlementCheckCreateSerializer,
        "Record a follow-up after release: accommodation, work or education, family contact (once released)",
        rule=can_record_resettlement_check,
        refusal=PLAN_WRITERS_ONLY,
    )


class CaseReoffendingListView(CaseRecordList):
    endpoints = endpoints
    record_model, serializer_class = ReoffendingRecord, ReoffendingRecordSerializer
    ordering = ("-occurred_on", "-created_at", "pk")
    list_summary = "The case's recall and re-offending records that the user may see, latest first"
    create = Create(
        actions.do_record_reoffending,
        ReoffendingRecordCreateSerializer,
        "Record a recall, a new charge or a new conviction as recorded by its source",
        rule=can_record_reoffending,
        refusal=LEGAL_WRITERS_ONLY,
    )


class ConditionReviewListView(RecordView):
    serializer_class = ConditionReviewSerializer
    queryset = ConditionReview.objects.none()  # for the schema; requests read through ``visible_to``
    get = endpoints.listing(
        "condition_id",
        access_release_condition,
        visible_records(ConditionReview, parent="condition", order=("reviewed_on", "created_at", "pk")),
        ConditionReviewSerializer,
        summary="The reviews of a release condition the user may see, oldest first",
    )
    post = endpoints.write(
        "condition_id",
        access_release_condition,
        actions.do_review_condition,
        lambda request, review: (
            ConditionReviewSerializer(ConditionReview.objects.visible_to(request.user).get(pk=review.pk)).data
        ),
        input=ConditionReviewCreateSerializer,
        output=ConditionReviewSerializer,
        status=201,
        rule=lambda user, condition: condition.case is not None and can_review_condition(user, condition.case),
        refusal=REVIEWERS_ONLY,
        summary="Record a review of a release condition: kept, relaxed, tightened or lifted",
    )


class WithinDays(serializers.Serializer):
    within_days = serializers.IntegerField(min_value=0, max_value=MAX_WITHIN_DAYS, default=DEFAULT_WITHIN_DAYS)


class ReleaseListView(RecordView):
    serializer_class = ReleaseSerializer
    queryset = ReleasePlan.objects.none()  # for the schema; requests read through ``visible_to``

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "within_days",
                OpenApiTypes.INT,
                description=f"Releases expected within this many days, and overdue (default {DEFAULT_WITHIN_DAYS}).",
            )
        ],
        responses={200: ReleaseSerializer(many=True), 400: BAD_INPUT},
        summary="The release calendar: releases of the cases the user's organisation is a member of, soonest first",
    )
    def get(self, request: Request) -> Response:
        asked = WithinDays(data=request.query_params)
        asked.is_valid(raise_exception=True)
        rows = releases_for(request.user, within_days=asked.validated_data["within_days"])
        page = page_of(self, rows)
        data = [
            {
                "case": row.plan.case_id,
                "case_number": row.plan.case.number if row.plan.case else "",
                "member": row.member,
                "expected_release_on": row.plan.expected_release_on,
                "release_type": row.plan.release_type,
                "destination_municipality": (
                    row.plan.destination_municipality.slug if row.plan.destination_municipality else None
                ),
                "readiness": row.readiness,
                "open_domains": row.open_domains,
                "alert": row.alert,
            }
            for row in page
        ]
        return self.get_paginated_response(ReleaseSerializer(data, many=True).data)
