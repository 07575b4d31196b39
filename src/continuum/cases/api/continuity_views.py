"""Case continuity (API.md, "Persons and cases": transfers; issue 4): custody episodes, transfers,
sentences, release conditions, legal status changes, hand-overs, phase history, gaps, timeline.

404 for a case or person the user may not see (the same answer as for one that does not exist),
403 for a case the user sees but may not change (checked before the input, so a refusal says
nothing about the input), 400 for bad input with nothing written. Every page of records returned
is logged as read (R11).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from continuum.api.pagination import page_of
from continuum.api.permissions import acting_user
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
from continuum.sharing.access import access_case, access_person, read_records

CASE_ID = OpenApiParameter("case_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
PERSON_ID = OpenApiParameter("person_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
EPISODE_ID = OpenApiParameter("episode_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
HANDOVER_ID = OpenApiParameter("handover_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
ORDER = OpenApiParameter(
    "order", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=["oldest", "newest"], description="Oldest first by default."
)
NOT_FOUND = OpenApiResponse(description="Not found, or not visible to the user (the same answer).")
NOT_ALLOWED = OpenApiResponse(description="The user sees the case but may not do this.")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_manager(user: Any, case: Case) -> None:
    _require(
        can_manage_case(user, case),
        "Only the lead organisation's coordinator or case manager, or the central point's coordinator, records this.",
    )


def _holding_facility_id(case: Case) -> Any:
    episode = actions.current_custody_episode(case)
    return episode.facility_id if episode is not None else None


class _CaseRecordList(generics.GenericAPIView):
    """``GET``: the case's records of one model visible to the user, paginated and logged as read."""

    record_model: Any = None
    related: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ("-created_at", "pk")

    def visible(self, case: Case) -> QuerySet[Any]:
        return (
            self.record_model.objects.visible_to(self.request.user)
            .filter(case=case)
            .select_related(*self.related)
            .order_by(*self.ordering)
        )

    def list_response(self, request: Request, case_id: str) -> Response:
        case = access_case(request.user, case_id)
        page = page_of(self, self.visible(case))
        read_records(request.user, page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def created(self, record: Any) -> Response:
        fresh = self.record_model.objects.visible_to(self.request.user).select_related(*self.related).get(pk=record.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


class CaseTransferListView(_CaseRecordList):
    serializer_class = TransferSerializer
    queryset = Transfer.objects.none()  # for the schema; requests read through ``visible_to``
    record_model = Transfer
    related = ("from_facility", "to_facility")
    ordering = ("-transferred_on", "-created_at", "pk")

    @extend_schema(
        parameters=[CASE_ID],
        responses={200: TransferSerializer(many=True), 404: NOT_FOUND},
        summary="The case's transfers the user may see",
    )
    def get(self, request: Request, case_id: str) -> Response:
        return self.list_response(request, case_id)

    @extend_schema(
        parameters=[CASE_ID],
        request=TransferCreateSerializer,
        responses={201: TransferSerializer, 400: None, 403: NOT_ALLOWED, 404: NOT_FOUND},
        summary="Transfer the person to another prison: it joins the team, the sending prison leaves",
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = access_case(request.user, case_id)
        _require(
            can_record_transfer(request.user, case, _holding_facility_id(case)),
            "Only the case's managers, or the case manager of the prison holding the person, record a transfer.",
        )
        data = TransferCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        transfer = actions.do_transfer(
            case,
            to_facility=fields["to_facility"],
            transferred_on=fields["date"],
            unit_type=fields["unit_type"],
            handover_note=fields["handover_note"],
            acting_user=acting_user(request),
        )
        return self.created(transfer)


class CaseCustodyEpisodeListView(_CaseRecordList):
    serializer_class = CustodyEpisodeSerializer
    queryset = CustodyEpisode.objects.none()
    record_model = CustodyEpisode
    related = ("facility",)
    ordering = ("-started_on", "-created_at", "pk")

    @extend_schema(
        parameters=[CASE_ID],
        responses={200: CustodyEpisodeSerializer(many=True), 404: NOT_FOUND},
        summary="The case's custody episodes the user may see",
    )
    def get(self, request: Request, case_id: str) -> Response:
        return self.list_response(request, case_id)

    @extend_schema(
        parameters=[CASE_ID],
        request=CustodyEpisodeCreateSerializer,
        responses={201: CustodyEpisodeSerializer, 400: None, 403: NOT_ALLOWED, 404: NOT_FOUND},
        summary="Record a custody episode (also a re-entry into prison, on the same case)",
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = access_case(request.user, case_id)
        _require_manager(request.user, case)
        data = CustodyEpisodeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        episode = actions.do_start_custody_episode(case, acting_user=acting_user(request), **data.validated_data)
        return self.created(episode)


class CustodyEpisodeEndView(APIView):
    @extend_schema(
        parameters=[CASE_ID, EPISODE_ID],
        request=CustodyEpisodeEndSerializer,
        responses={200: CustodyEpisodeSerializer, 400: None, 403: NOT_ALLOWED, 404: NOT_FOUND},
        summary="Record the end of the current custody episode (a release)",
    )
    def post(self, request: Request, case_id: str, episode_id: str) -> Response:
        case = access_case(request.user, case_id)
        _require(
            can_record_transfer(request.user, case, _holding_facility_id(case)),
            "Only the case's managers, or the prison holding the person, end a custody episode.",
        )
        episode = (
            CustodyEpisode.objects.visible_to(request.user).filter(case=case, pk=_uuid_or_none(episode_id)).first()
        )
        if episode is None:
            raise Http404
        data = CustodyEpisodeEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.do_end_custody_episode(
            case, episode_id=episode.pk, ended_on=data.validated_data["ended_on"], acting_user=acting_user(request)
        )
        fresh = CustodyEpisode.objects.visible_to(request.user).select_related("facility").get(pk=episode.pk)
        return Response(CustodyEpisodeSerializer(fresh).data)


def _uuid_or_none(value: str) -> Any:
    try:
        return UUID(str(value))
    except ValueError:
        return None


class CaseSentenceListView(_CaseRecordList):
    serializer_class = SentenceSerializer
    queryset = Sentence.objects.none()
    record_model = Sentence
    ordering = ("-imposed_on", "-created_at", "pk")

    @extend_schema(
        parameters=[CASE_ID],
        responses={200: SentenceSerializer(many=True), 404: NOT_FOUND},
        summary="The case's sentences the user may see",
    )
    def get(self, request: Request, case_id: str) -> Response:
        return self.list_response(request, case_id)

    @extend_schema(
        parameters=[CASE_ID],
        request=SentenceCreateSerializer,
        responses={201: SentenceSerializer, 400: None, 403: NOT_ALLOWED, 404: NOT_FOUND},
        summary="Record a sentence's dates",
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = access_case(request.user, case_id)
        _require_manager(request.user, case)
        data = SentenceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sentence = actions.do_record_sentence(case, acting_user=acting_user(request), **data.validated_data)
        return self.created(sentence)


class CaseReleaseConditionListView(_CaseRecordList):
    serializer_class = ReleaseConditionSerializer
    queryset = ReleaseCondition.objects.none()
    record_model = ReleaseCondition
    ordering = ("-valid_from", "-created_at", "pk")

    @extend_schema(
        parameters=[CASE_ID],
        responses={200: ReleaseConditionSerializer(many=True), 404: NOT_FOUND},
        summary="The case's release conditions the user may see",
    )
    def get(self, request: Request, case_id: str) -> Response:
        return self.list_response(request, case_id)

    @extend_schema(
        parameters=[CASE_ID],
        request=ReleaseConditionCreateSerializer,
        responses={201: ReleaseConditionSerializer, 400: None, 403: NOT_ALLOWED, 404: NOT_FOUND},
        summary="Record a release condition",
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = access_case(request.user, case_id)
        _require_manager(request.user, case)
        data = ReleaseConditionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        condition = actions.do_add_release_condition(
            case, condition_type=fields.pop("type"), acting_user=acting_user(request), **fields
        )
        return self.created(condition)


class CaseLegalStatusChangeListView(_CaseRecordList):
    serializer_class = LegalStatusChangeSerializer
    queryset = LegalStatusChange.objects.none()
    record_model = LegalStatusChange
    ordering = ("-changed_on", "-created_at", "pk")

    def visible(self, case: Case) -> QuerySet[Any]:
        # The person's legal status history, whichever of the person's cases it was recorded on.
        return (
            LegalStatusChange.objects.visible_to(self.request.user)
            .filter(person_id=case.person_id)
            .order_by(*self.ordering)
        )

    @extend_schema(
        parameters=[CASE_ID],
        responses={200: LegalStatusChangeSerializer(many=True), 404: NOT_FOUND},
        summary="The person's changes of legal status the user may see",
    )
    def get(self, request: Request, case_id: str) -> Response:
        return self.list_response(request, case_id)

    @extend_schema(
        parameters=[CASE_ID],
        request=LegalStatusChangeCreateSerializer,
        responses={201: LegalStatusChangeSerializer, 400: None, 403: NOT_ALLOWED, 404: NOT_FOUND},
        summary="Change the person's legal status (e.g. a deportation order) and keep it in the history",
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = access_case(request.user, case_id)
        _require_manager(request.user, case)
        data = LegalStatusChangeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = actions.do_change_legal_status(case, acting_user=acting_user(request), **data.validated_data)
        return self.created(change)


class CaseHandoverListView(_CaseRecordList):
    serializer_class = HandoverSerializer
    queryset = Handover.objects.none()
    record_model = Handover
    related = ("organisation", "from_user", "to_user")

    @extend_schema(
        parameters=[CASE_ID],
        responses={200: HandoverSerializer(many=True), 404: NOT_FOUND},
        summary="The case's hand-overs the user may see",
    )
    def get(self, request: Request, case_id: str) -> Response:
        return self.list_response(request, case_id)

    @extend_schema(
        parameters=[CASE_ID],
        request=HandoverCreateSerializer,
        responses={201: HandoverSerializer, 400: None, 403: NOT_ALLOWED, 404: NOT_FOUND},
        summary="Hand the case over to a colleague of the same organisation",
    )
    def post(self, request: Request, case_id: str) -> Response:
        user = acting_user(request)
        case = access_case(user, case_id)
        member = own_membership(user, case)
        _require(
            can_hand_over(user, member),
            "Only the responsible practitioner, or a coordinator or case manager of the organisation, hands over.",
        )
        data = HandoverCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        handover = actions.do_handover(case, acting_user=user, **data.validated_data)
        return self.created(handover)


class HandoverAcknowledgeView(APIView):
    @extend_schema(
        parameters=[HANDOVER_ID],
        request=None,
        responses={200: HandoverSerializer, 403: NOT_ALLOWED, 404: NOT_FOUND},
        summary="The new practitioner has read the hand-over (its summary is no longer shown)",
    )
    def post(self, request: Request, handover_id: str) -> Response:
        handover = access_handover(request.user, handover_id)
        actions.do_acknowledge_handover(handover, acting_user=acting_user(request))
        return Response(HandoverSerializer(handover).data)


class CasePhaseChangeListView(generics.GenericAPIView):
    serializer_class = PhaseChangeSerializer
    queryset = PhaseChange.objects.none()

    @extend_schema(
        parameters=[CASE_ID],
        responses={200: PhaseChangeSerializer(many=True), 404: NOT_FOUND},
        summary="The case's phase history (every member sees it, like the phase)",
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = access_case(request.user, case_id)
        changes = PhaseChange.objects.filter(case=case).select_related("changed_by", "changed_org")
        page = page_of(self, changes.order_by("changed_at", "pk"))
        return self.get_paginated_response(PhaseChangeSerializer(page, many=True).data)


class CaseGapListView(generics.GenericAPIView):
    serializer_class = GapSerializer

    @extend_schema(
        parameters=[CASE_ID],
        responses={200: GapSerializer(many=True), 404: NOT_FOUND},
        summary="Gaps in the case's continuity the user may know of",
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = access_case(request.user, case_id)
        page = page_of(self, gaps_for(request.user, [case]))
        return self.get_paginated_response(GapSerializer(page, many=True).data)


class PersonTimelineView(generics.GenericAPIView):
    serializer_class = TimelineEventSerializer

    @extend_schema(
        parameters=[PERSON_ID, ORDER],
        responses={200: TimelineEventSerializer(many=True), 404: NOT_FOUND},
        summary="The person's whole history the user may see, across cases, custody episodes and organisations",
    )
    def get(self, request: Request, person_id: str) -> Response:
        person = access_person(request.user, person_id)
        events = person_timeline(request.user, person, newest_first=request.query_params.get("order") == "newest")
        page = page_of(self, events)
        read_records(request.user, records_of(page), purpose="timeline")
        return self.get_paginated_response(TimelineEventSerializer(page, many=True).data)
