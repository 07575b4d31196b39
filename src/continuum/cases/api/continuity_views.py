"""Case continuity (API.md, "Persons and cases": transfers; issue 4): custody episodes, transfers,
sentences, release conditions, legal status changes, hand-overs, phase history, gaps, timeline.

404 for a case or person the user may not see (the same answer as for one that does not exist),
403 for a case the user sees but may not change (checked before the input, so a refusal says
nothing about the input), 400 for bad input with nothing written. Every page of records returned
is logged as read (R11).
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from continuum.api.pagination import page_of
from continuum.cases import actions
from continuum.cases.access import access_handover, own_membership
from continuum.cases.api.continuity_serializers import (
    CustodyEpisodeCreateSerializer,
    CustodyEpisodeEndSerializer,
    CustodyEpisodeSerializer,
    GapSerializer,
    HandoverCreateSerializer,
    HandoverSerializer,
    LegalStatusChangeCreateSerializer,
    LegalStatusChangeSerializer,
    PhaseChangeSerializer,
    ReleaseConditionCreateSerializer,
    ReleaseConditionSerializer,
    SentenceCreateSerializer,
    SentenceSerializer,
    TimelineEventSerializer,
    TransferCreateSerializer,
    TransferSerializer,
)
from continuum.cases.gaps import gaps_for
from continuum.cases.models import (
    Case,
    CustodyEpisode,
    Handover,
    LegalStatusChange,
    PhaseChange,
    ReleaseCondition,
    Sentence,
    Transfer,
)
from continuum.cases.policy import can_hand_over, can_manage_case, can_record_transfer
from continuum.cases.timeline import person_timeline, records_of
from continuum.sharing.access import access_case, access_person, parse_id, read_records
from continuum.sharing.api.records import (
    CaseRecordList,
    Create,
    Endpoints,
    RecordView,
    fresh,
    require,
    serialized,
)

PERSON_ID = OpenApiParameter("person_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
ORDER = OpenApiParameter(
    "order", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=["oldest", "newest"], description="Oldest first by default."
)
endpoints = Endpoints(forbidden=OpenApiResponse(description="The user sees the case but may not do this."))
MANAGERS_ONLY = (
    "Only the lead organisation's coordinator or case manager, or the central point's coordinator, records this."
)


def _may_record_transfer(user: Any, case: Case) -> bool:
    episode = actions.current_custody_episode(case)
    return can_record_transfer(user, case, episode.facility_id if episode is not None else None)


def _may_hand_over(user: Any, case: Case) -> bool:
    return can_hand_over(user, own_membership(user, case))


def _transfer(case: Case, *, date: Any, acting_user: Any, **fields: Any) -> Transfer:
    return actions.do_transfer(case, transferred_on=date, acting_user=acting_user, **fields)


def _add_release_condition(case: Case, *, type: str, acting_user: Any, **fields: Any) -> ReleaseCondition:
    return actions.do_add_release_condition(case, condition_type=type, acting_user=acting_user, **fields)


def _end_custody_episode(episode: CustodyEpisode, *, ended_on: Any, acting_user: Any) -> None:
    case = cast(Case, episode.case)  # found through its case (``_episode_to_end``)
    actions.do_end_custody_episode(case, episode_id=episode.pk, ended_on=ended_on, acting_user=acting_user)


def _legal_status_history(request: Request, case: Case) -> QuerySet[LegalStatusChange]:
    # The person's legal status history, whichever of the person's cases it was recorded on.
    visible = LegalStatusChange.objects.visible_to(request.user)
    return visible.filter(person_id=case.person_id).order_by("-changed_on", "-created_at", "pk")


def _phase_history(request: Request, case: Case) -> QuerySet[PhaseChange]:
    # Every member sees the phase and its history, so nothing here is logged as a read of a record.
    return (
        PhaseChange.objects.filter(case=case).select_related("changed_by", "changed_org").order_by("changed_at", "pk")
    )


def _episode_to_end(user: Any, case_id: Any, episode_id: Any) -> CustodyEpisode:
    case = access_case(user, case_id)
    require(
        _may_record_transfer(user, case),
        "Only the case's managers, or the prison holding the person, end a custody episode.",
    )
    episode = CustodyEpisode.objects.visible_to(user).filter(case=case, pk=parse_id(episode_id)).first()
    if episode is None:
        raise Http404
    episode.case = case
    return episode


class ContinuityRecords(CaseRecordList):
    endpoints = endpoints


class CaseTransferListView(ContinuityRecords):
    record_model, serializer_class = Transfer, TransferSerializer
    related, ordering = ("from_facility", "to_facility"), ("-transferred_on", "-created_at", "pk")
    list_summary = "The case's transfers the user may see"
    create = Create(
        _transfer,
        TransferCreateSerializer,
        "Transfer the person to another prison: it joins the team, the sending prison leaves",
        rule=_may_record_transfer,
        refusal="Only the case's managers, or the case manager of the prison holding the person, record a transfer.",
    )


class CaseCustodyEpisodeListView(ContinuityRecords):
    record_model, serializer_class = CustodyEpisode, CustodyEpisodeSerializer
    related, ordering = ("facility",), ("-started_on", "-created_at", "pk")
    list_summary = "The case's custody episodes the user may see"
    create = Create(
        actions.do_start_custody_episode,
        CustodyEpisodeCreateSerializer,
        "Record a custody episode (also a re-entry into prison, on the same case)",
        rule=can_manage_case,
        refusal=MANAGERS_ONLY,
    )


class CustodyEpisodeEndView(RecordView):
    post = endpoints.write(
        ("case_id", "episode_id"),
        _episode_to_end,
        _end_custody_episode,
        fresh(CustodyEpisode, CustodyEpisodeSerializer, "facility"),
        input=CustodyEpisodeEndSerializer,
        output=CustodyEpisodeSerializer,
        summary="Record the end of the current custody episode (a release)",
    )


class CaseSentenceListView(ContinuityRecords):
    record_model, serializer_class = Sentence, SentenceSerializer
    ordering = ("-imposed_on", "-created_at", "pk")
    list_summary = "The case's sentences the user may see"
    create = Create(
        actions.do_record_sentence,
        SentenceCreateSerializer,
        "Record a sentence's dates",
        rule=can_manage_case,
        refusal=MANAGERS_ONLY,
    )


class CaseReleaseConditionListView(ContinuityRecords):
    record_model, serializer_class = ReleaseCondition, ReleaseConditionSerializer
    ordering = ("-valid_from", "-created_at", "pk")
    list_summary = "The case's release conditions the user may see"
    create = Create(
        _add_release_condition,
        ReleaseConditionCreateSerializer,
        "Record a release condition",
        rule=can_manage_case,
        refusal=MANAGERS_ONLY,
    )


class CaseLegalStatusChangeListView(RecordView):
    serializer_class = LegalStatusChangeSerializer
    queryset = LegalStatusChange.objects.none()

    get = endpoints.listing(
        "case_id",
        access_case,
        _legal_status_history,
        LegalStatusChangeSerializer,
        summary="The person's changes of legal status the user may see",
    )
    post = endpoints.write(
        "case_id",
        access_case,
        actions.do_change_legal_status,
        fresh(LegalStatusChange, LegalStatusChangeSerializer),
        input=LegalStatusChangeCreateSerializer,
        output=LegalStatusChangeSerializer,
        status=201,
        rule=can_manage_case,
        refusal=MANAGERS_ONLY,
        summary="Change the person's legal status (e.g. a deportation order) and keep it in the history",
    )


class CaseHandoverListView(ContinuityRecords):
    record_model, serializer_class = Handover, HandoverSerializer
    related = ("organisation", "from_user", "to_user")
    list_summary = "The case's hand-overs the user may see"
    create = Create(
        actions.do_handover,
        HandoverCreateSerializer,
        "Hand the case over to a colleague of the same organisation",
        rule=_may_hand_over,
        refusal="Only the responsible practitioner, or a coordinator or case manager of the organisation, hands over.",
    )


class HandoverAcknowledgeView(RecordView):
    post = endpoints.write(
        "handover_id",
        access_handover,
        actions.do_acknowledge_handover,
        serialized(HandoverSerializer),
        output=HandoverSerializer,
        summary="The new practitioner has read the hand-over (its summary is no longer shown)",
    )


class CasePhaseChangeListView(RecordView):
    serializer_class = PhaseChangeSerializer
    queryset = PhaseChange.objects.none()

    get = endpoints.listing(
        "case_id",
        access_case,
        _phase_history,
        PhaseChangeSerializer,
        log_read=False,
        summary="The case's phase history (every member sees it, like the phase)",
    )


class CaseGapListView(RecordView):
    serializer_class = GapSerializer

    get = endpoints.listing(
        "case_id",
        access_case,
        lambda request, case: gaps_for(request.user, [case]),
        GapSerializer,
        log_read=False,
        summary="Gaps in the case's continuity the user may know of",
    )


class PersonTimelineView(generics.GenericAPIView):
    serializer_class = TimelineEventSerializer

    @extend_schema(
        parameters=[PERSON_ID, ORDER],
        responses={200: TimelineEventSerializer(many=True), 404: endpoints.not_found},
        summary="The person's whole history the user may see, across cases, custody episodes and organisations",
    )
    def get(self, request: Request, person_id: str) -> Response:
        person = access_person(request.user, person_id)
        events = person_timeline(request.user, person, newest_first=request.query_params.get("order") == "newest")
        page = page_of(self, events)
        read_records(request.user, records_of(page), purpose="timeline")
        return self.get_paginated_response(TimelineEventSerializer(page, many=True).data)
